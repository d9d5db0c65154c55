"""How many times each table the cached public answers read has been written to.

Database triggers (alembic 0018) bump a table's row in the same transaction as every write
to it; no code writes here. A cached answer is keyed by the versions of the tables it read,
so a committed write makes the next read miss."""

from tortoise import fields
from tortoise.models import Model


class AnswerVersion(Model):
    name = fields.CharField(max_length=63, primary_key=True)
    version = fields.BigIntField()

    class Meta:
        table = "answer_versions"
