from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import of_person, part_of
from backend.models.enums import ParticipationRung

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.areas import Area


class LadderSnapshot(Model):
    """That an area's ladder was taken on a day, and how many people whose home is in the
    area stood on no rung there: one row per (day, area), written before the area's rungs in
    the same transaction, so a second run on the same day finds it and writes nothing.

    Kept apart from the rungs so that a day with nobody on the ladder is still a day the
    ladder was taken, and the days are few rows to search for the one nearest a date.
    """

    id = fields.IntField(primary_key=True)
    day = fields.DateField()
    area: fields.ForeignKeyRelation["Area"] = part_of("models.Area")
    area_id: int
    on_no_rung = fields.IntField()
    taken_at = fields.DatetimeField()

    class Meta:
        table = "ladder_snapshots"
        unique_together = (("area", "day"),)


class LadderRung(Model):
    """A person's rung in an area on the day of a snapshot, for rungs above NONE: the area
    counts its sub-areas, so a person stands once in every area above their acts."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField()
    area: fields.ForeignKeyRelation["Area"] = part_of("models.Area")
    area_id: int
    person: fields.ForeignKeyRelation["User"] = of_person("ladder_rungs")
    person_id: int
    rung = fields.IntEnumField(ParticipationRung)

    class Meta:
        table = "ladder_rungs"
        # An area's ladder on a day (its counts, and each person's rung to pair with
        # another day's) is one range of this index.
        unique_together = (("area", "day", "person"),)
