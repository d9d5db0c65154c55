from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models import enums
from backend.models.base import (
    Record,
    by_person,
    by_person_or_none,
    for_organisation_or_none,
    of_person,
    on_problem,
    part_of,
    refers_to,
)

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.areas import Area
    from backend.models.organisations import Organisation


class Problem(Record):
    """A local problem proposed by someone, owed an official response by its owner."""

    title = fields.CharField(max_length=200)
    description = fields.TextField()
    category = fields.CharEnumField(enums.ProblemCategory, max_length=32)
    status = fields.CharEnumField(enums.ProblemStatus, max_length=16)
    stage = fields.CharEnumField(enums.SaraStage, max_length=16)
    visibility = fields.CharEnumField(enums.Visibility, max_length=16)
    area: fields.ForeignKeyRelation["Area"] = refers_to("models.Area", "problems")
    area_id: int
    proposer: fields.ForeignKeyRelation["User"] = by_person("proposals", indexed=True)
    proposer_id: int
    # Null: no routing rule applies, and the area's coordinators answer.
    owner: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "owned_problems", indexed=True
    )
    owner_id: int | None
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    # Moves with official activity (responses, updates, stages), not with supports or comments.
    updated_at = fields.DatetimeField()
    # When the current owner's answer is due: restarts when the problem is referred.
    response_due_at = fields.DatetimeField()
    # Whether the current owner has answered: false while proposed, and again once referred.
    answered = fields.BooleanField(default=False)
    # The first official response, kept for the accountability figures.
    first_responded_at = fields.DatetimeField(null=True)
    first_response_hours = fields.FloatField(null=True)
    first_response_on_time = fields.BooleanField(null=True)
    decline_reason = fields.CharEnumField(enums.DeclineReason, max_length=40, null=True)
    duplicate_of: fields.ForeignKeyNullableRelation["Problem"] = refers_to(
        "models.Problem", "duplicates", on_delete=fields.SET_NULL, null=True
    )
    duplicate_of_id: int | None
    # Kept in step with their rows in the same transaction, so boards sort and show them
    # without counting.
    support_count = fields.IntField(default=0)
    follower_count = fields.IntField(default=0)
    comment_count = fields.IntField(default=0)

    class Meta:
        table = "problems"
        # The board's orders (newest is by id), each with the id as tie-breaker ("response
        # due" puts the proposals still owed an answer first), and an area's proposals since
        # a date, for its accountability figures.
        indexes = (
            ("support_count", "id"),
            ("answered", "response_due_at", "id"),
            ("updated_at", "id"),
            ("area", "created_at"),
        )


class ProblemRouting(Model):
    """One time a proposal reached an owner: at proposal, and again at each referral.

    Its answer, and the escalations while it waited, are kept here, so each owner's
    accountability figures and each escalation step stand on their own.
    """

    id = fields.IntField(primary_key=True)
    problem: fields.ForeignKeyRelation[Problem] = on_problem("routings", indexed=True)
    problem_id: int
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none("routings")
    organisation_id: int | None
    received_at = fields.DatetimeField()
    due_at = fields.DatetimeField()
    # Twice the response time: unanswered by then, the parent area's coordinators are told.
    escalate_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)
    answer_hours = fields.FloatField(null=True)
    answered_on_time = fields.BooleanField(null=True)
    decision = fields.CharEnumField(enums.ResponseDecision, max_length=16, null=True)
    reason_code = fields.CharEnumField(enums.DeclineReason, max_length=40, null=True)
    overdue_notified_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "problem_routings"
        indexes = (("organisation", "received_at"), ("answered_at", "due_at"))


class ProblemResponse(Record):
    """An official response: part of the problem's public history."""

    problem: fields.ForeignKeyRelation[Problem] = on_problem("responses", indexed=True)
    problem_id: int
    decision = fields.CharEnumField(enums.ResponseDecision, max_length=16)
    reason_code = fields.CharEnumField(enums.DeclineReason, max_length=40, null=True)
    body = fields.TextField()
    author: fields.ForeignKeyRelation["User"] = by_person("problem_responses")
    author_id: int
    # The organisation the author answered for; null when they answered as a coordinator.
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "problem_responses"
    )
    organisation_id: int | None
    referred_to: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none("referrals")
    referred_to_id: int | None
    duplicate_of: fields.ForeignKeyNullableRelation[Problem] = refers_to(
        "models.Problem", "duplicate_responses", on_delete=fields.SET_NULL, null=True
    )
    duplicate_of_id: int | None
    # When its text was last corrected, within the correction window; null when never.
    # The decision is never corrected: only the words that explain it.
    corrected_at = fields.DatetimeField(null=True)

    class Meta:
        table = "problem_responses"


class ResponseCorrection(Record):
    """A correction of an official response, shown with it: its text put right while the
    window was open (the text it replaced is kept, for the record), or a note added under
    it afterwards."""

    response: fields.ForeignKeyRelation[ProblemResponse] = part_of(
        "models.ProblemResponse", "corrections", indexed=True
    )
    response_id: int
    kind = fields.CharEnumField(enums.CorrectionKind, max_length=16)
    # The corrected text, or the note.
    body = fields.TextField()
    # The text a TEXT correction replaced; null for a note.
    replaced_body = fields.TextField(null=True)
    author: fields.ForeignKeyRelation["User"] = by_person("response_corrections", indexed=True)
    author_id: int
    # The organisation the author corrected for; null when they corrected as a coordinator.
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "response_corrections"
    )
    organisation_id: int | None

    class Meta:
        table = "response_corrections"


class ProblemUpdate(Record):
    """Progress news from those answering for the problem, sent to its followers."""

    problem: fields.ForeignKeyRelation[Problem] = on_problem("updates", indexed=True)
    problem_id: int
    body = fields.TextField()
    author: fields.ForeignKeyRelation["User"] = by_person("problem_updates")
    author_id: int
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "problem_updates"
    )
    organisation_id: int | None

    class Meta:
        table = "problem_updates"


class ProblemSupport(Record):
    problem: fields.ForeignKeyRelation[Problem] = on_problem("supports")
    problem_id: int
    user: fields.ForeignKeyRelation["User"] = of_person("problem_supports")
    user_id: int

    class Meta:
        table = "problem_supports"
        unique_together = (("problem", "user"),)


class ProblemFollow(Record):
    problem: fields.ForeignKeyRelation[Problem] = on_problem("follows")
    problem_id: int
    user: fields.ForeignKeyRelation["User"] = of_person("problem_follows")
    user_id: int

    class Meta:
        table = "problem_follows"
        unique_together = (("problem", "user"),)


class Comment(Record):
    problem: fields.ForeignKeyRelation[Problem] = on_problem("comments")
    problem_id: int
    author: fields.ForeignKeyRelation["User"] = by_person("comments", indexed=True)
    author_id: int
    body = fields.TextField()
    # Hidden by a moderator: gone from public view, the reason kept for the record.
    hidden_at = fields.DatetimeField(null=True)
    hidden_by: fields.ForeignKeyNullableRelation["User"] = by_person_or_none("hidden_comments")
    hidden_by_id: int | None
    hidden_reason = fields.TextField(null=True)

    class Meta:
        table = "comments"
        indexes = (("problem", "id"),)


class StageChange(Model):
    """A problem's move to a new status and SARA stage (a stage set, a closing, a reopening),
    kept so that its followers' digests can say what moved since they last heard."""

    id = fields.IntField(primary_key=True)
    problem: fields.ForeignKeyRelation[Problem] = on_problem("stage_changes")
    problem_id: int
    status = fields.CharEnumField(enums.ProblemStatus, max_length=16)
    stage = fields.CharEnumField(enums.SaraStage, max_length=16)
    changed_at = fields.DatetimeField()

    class Meta:
        table = "problem_stage_changes"
        indexes = (("problem", "changed_at"),)
