from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import by_person_or_none, refers_to
from backend.models.enums import ActivityKind, ParticipationRung

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.areas import Area
    from backend.models.problems import Problem
    from backend.models.working_groups import WorkingGroup


class Activity(Model):
    """One act of taking part: the activity record, written with the act, never changed
    but by erasure (services/activity.py says what it keeps).

    Unfollowing or withdrawing support deletes the follow or support but adds a row here,
    so the record keeps the whole history of who took part where, and when. The ladder of
    participation is worked out from it.
    """

    id = fields.IntField(primary_key=True)
    # Null once the person erased their account: the act still counts in the area's
    # figures, but no longer belongs to anyone.
    person: fields.ForeignKeyNullableRelation["User"] = by_person_or_none()
    person_id: int | None
    area: fields.ForeignKeyRelation["Area"] = refers_to("models.Area", False)
    area_id: int
    # What the act was about; null once its person erased their account, so what is left
    # says nothing of which problems they supported, followed or left. Acts about other
    # things name those in columns of their own, emptied by erasure alike.
    problem: fields.ForeignKeyNullableRelation["Problem"] = refers_to(
        "models.Problem", False, on_delete=fields.SET_NULL, null=True
    )
    problem_id: int | None
    working_group: fields.ForeignKeyNullableRelation["WorkingGroup"] = refers_to(
        "models.WorkingGroup", False, on_delete=fields.SET_NULL, null=True
    )
    working_group_id: int | None
    # Room for the acts of later capabilities (check-ins, completed tasks, group work).
    kind = fields.CharEnumField(ActivityKind, max_length=40)
    # The rung the act reaches, kept with it so a person's rung is a MAX over an index.
    rung = fields.IntEnumField(ParticipationRung)
    occurred_at = fields.DatetimeField()

    class Meta:
        table = "activities"
        # A person's highest rung in an area over the last 12 months (read from the index
        # alone, rung included), and an area's acts month by month.
        indexes = (("person", "area", "occurred_at", "rung"), ("area", "occurred_at"))
