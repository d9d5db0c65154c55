"""The version of each table, as the database's triggers count its writes (see
backend/models/answer_versions.py): what a cached public answer is keyed by."""

from __future__ import annotations

from collections.abc import Sequence

from backend.models import AnswerVersion

# Not a table: a random number alembic 0018 gave this database, read with the versions. A
# database made afresh counts its versions from nothing again; its number keeps it from
# meeting answers stored for the one before it under the same versions.
DATABASE = "(database)"


async def current(tables: Sequence[str]) -> tuple[int, ...]:
    """The database's number, then the versions of these tables in their order, read in ONE
    statement (so at one moment): a table never written since its counter was made counts 0."""
    names = [DATABASE, *tables]
    found = dict(await AnswerVersion.filter(name__in=names).values_list("name", "version"))
    return tuple(int(found.get(name, 0)) for name in names)
