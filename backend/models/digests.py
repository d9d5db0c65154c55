from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import of_person
from backend.models.enums import DigestFrequency

if TYPE_CHECKING:
    from backend.models.accounts import User


class ProgressDigest(Model):
    """One progress digest a person was sent, written in the transaction of its notification.

    A person's digests are numbered 1, 2, 3...: two runs of the job at once that both find the
    same last digest give the next one the same number, and the unique pair lets one through.
    The notification's key carries the number too, so the outbox holds one mail per digest.
    """

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation["User"] = of_person("progress_digests")
    person_id: int
    number = fields.IntField()
    frequency = fields.CharEnumField(DigestFrequency, max_length=16)
    # What it covers: from the end of the one before (or one period back, for the first) to
    # the moment it was written, which is where the next one starts.
    covers_from = fields.DatetimeField()
    covers_until = fields.DatetimeField()
    # Which run of the job wrote it: how a run tells the digests it wrote from another run's.
    run = fields.CharField(max_length=32)

    class Meta:
        table = "progress_digests"
        unique_together = (("person", "number"),)
