from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import Record, by_person, for_organisation_or_none, on_problem, part_of
from backend.models.enums import OutcomeDirection, ResolutionOutcome

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.organisations import Organisation
    from backend.models.problems import Problem


class OutcomeMeasure(Record):
    """A measure of whether a problem is getting better: a baseline, a target, and readings."""

    problem: fields.ForeignKeyRelation["Problem"] = on_problem("measures", indexed=True)
    problem_id: int
    name = fields.CharField(max_length=120)
    unit = fields.CharField(max_length=40)
    direction = fields.CharEnumField(OutcomeDirection, max_length=16)
    baseline = fields.FloatField()
    baseline_on = fields.DateField()
    target = fields.FloatField()
    target_on = fields.DateField()
    defined_by: fields.ForeignKeyRelation["User"] = by_person()
    defined_by_id: int

    class Meta:
        table = "outcome_measures"


class OutcomeReading(Record):
    """One reading of a measure: its value on the day it was observed, one per day."""

    measure: fields.ForeignKeyRelation[OutcomeMeasure] = part_of("models.OutcomeMeasure", "readings")
    measure_id: int
    value = fields.FloatField()
    observed_on = fields.DateField()
    note = fields.TextField(null=True)
    recorded_by: fields.ForeignKeyRelation["User"] = by_person(indexed=True)
    recorded_by_id: int

    class Meta:
        table = "outcome_readings"
        # Two readings for one day would leave it unclear which holds: the second is refused.
        unique_together = (("measure", "observed_on"),)


class ProblemResolution(Model):
    """One closing of a problem, and the community's verdict on it. A reopened problem keeps
    its past closings (with why each was reopened) and is reviewed afresh when closed again."""

    id = fields.IntField(primary_key=True)
    problem: fields.ForeignKeyRelation["Problem"] = on_problem("resolutions", indexed=True)
    problem_id: int
    outcome = fields.CharEnumField(ResolutionOutcome, max_length=16)
    summary = fields.TextField()
    closed_by: fields.ForeignKeyRelation["User"] = by_person()
    closed_by_id: int
    # The organisation the closer spoke for; null when they closed it as a coordinator.
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none()
    organisation_id: int | None
    closed_at = fields.DatetimeField()
    # Kept in step with the reviews in the same transaction.
    agree_count = fields.IntField(default=0)
    disagree_count = fields.IntField(default=0)
    # When the verdict was reached (14 days after closing): set once, by whichever sweep
    # claims it first.
    judged_at = fields.DatetimeField(null=True)
    # Set when the verdict reopened the problem: this closing no longer stands.
    reopened_at = fields.DatetimeField(null=True)

    class Meta:
        table = "problem_resolutions"
        # The verdict sweep: closings not yet judged, oldest first.
        indexes = (("judged_at", "closed_at"),)


class ResolutionReview(Record):
    """One person's view of a closing: they agree it is resolved as said, or not."""

    resolution: fields.ForeignKeyRelation[ProblemResolution] = part_of("models.ProblemResolution", "reviews")
    resolution_id: int
    user: fields.ForeignKeyRelation["User"] = by_person(indexed=True)
    user_id: int
    agrees = fields.BooleanField()
    comment = fields.TextField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "resolution_reviews"
        unique_together = (("resolution", "user"),)
