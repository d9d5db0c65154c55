"""A person's rights over their data (DESIGN.md §6): a copy of it all, and erasure.

No module lists everyone's tables here. Each aggregate that keeps something about a person
contributes its own part, next to the tables it owns: the sections it adds to the copy,
what erasure deletes or anonymises, and where the person stays after erasure, and why.
`export` and `erase` only run the contributions, in the order `backend/services/__init__.py`
registers them: the copy's sections come in that order; erasure runs them in reverse, all in
one transaction, so the account itself goes last and every other step still finds the
person as they were.

Erasure keeps the account's row, so public contributions stay attributed to "a former
participant"; everything that identifies or reaches the person goes. The copy holds what is
the person's own, and nothing they may no longer read.

How a new aggregate contributes (a working group, a volunteer task, an outcome...): if its
tables hold a foreign key to `User`, or a column that describes someone (an address, a name,
a password, a place, a device), its service module declares, beside its other rules,

    PERSONAL_DATA = personal_data.Contribution(
        name="working groups",
        # (user, standing) -> {"working_groups": [...]}: sections of its own, in the shape
        # the person reads; `personal_data.moment` writes times, and nothing goes in that
        # the person may no longer read
        export=_export_personal_data,
        # (user, now), inside erasure's transaction: `user` is the person as they were
        # when erasure began, name and address included, whatever other steps changed
        erase=_erase_personal_data,
        # "Model": the person's rows there go whole; "Model.field": that relation to them,
        # or column about them, is deleted or anonymised
        erases=("GroupMembership",),
        # where the person stays after erasure, shown as a former participant, and why
        keeps={"GroupAction.owner": "a co-owned action, part of the group's public record"},
    )

(or, for a table whose rows each belong to one person and go whole, just
`personal_data.rows_of_their_own("area roles", AreaRole, _export_area_roles)`)
and registers it in `backend/services/__init__.py`, where the order is set. A test walks
every model and fails on any relation to a person, or column about one, that no
contribution erases or keeps with its reason (`tests/services/test_personal_data_contributions.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model
from tortoise.transactions import in_transaction

from backend.models import User
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of

# How an erased person's account is shown.
FORMER_PARTICIPANT = "Former participant"
# How others' notifications speak of someone who erased their account.
A_FORMER_PARTICIPANT = "a former participant"
# Stands, in an export, for a problem the person may no longer see.
NO_LONGER_VISIBLE = "a restricted problem you can no longer see"
# Stands, in an export, for a working group the person may no longer see.
GROUP_NO_LONGER_VISIBLE = "a restricted working group you can no longer see"

# A part of the copy: section name -> what it holds, as JSON.
Sections = dict[str, Any]


@dataclass(frozen=True)
class Contribution:
    """One aggregate's part of a person's data, declared by the module that owns its tables."""

    name: str
    export: Callable[[User, Standing], Awaitable[Sections]]
    erase: Callable[[User, datetime], Awaitable[None]]
    # Where the person is, named "Model" (their rows there go whole, every column with them)
    # or "Model.field" (that relation to them, or column about them, is deleted or anonymised).
    erases: tuple[str, ...] = ()
    # Where the person stays after erasure, named likewise, each with the reason it stays.
    keeps: Mapping[str, str] = field(default_factory=dict)


def rows_of_their_own(
    name: str, model: type[Model], export: Callable[[User, Standing], Awaitable[Sections]]
) -> Contribution:
    """The contribution of a table whose rows each belong to one person (`user_id`): erasure
    deletes that person's rows whole."""

    async def erase(user: User, now: datetime) -> None:
        await model.filter(user_id=user.id).delete()

    return Contribution(name=name, export=export, erase=erase, erases=(model.__name__,))


_contributions: list[Contribution] = []


def register(contribution: Contribution) -> None:
    if any(known.name == contribution.name for known in _contributions):
        raise ValueError(f"a contribution named {contribution.name!r} is registered already")
    _contributions.append(contribution)


def contributions() -> tuple[Contribution, ...]:
    """Every registered contribution, in the order the copy is made."""
    return tuple(_contributions)


def moment(value: datetime | None) -> str | None:
    """A time, as the copy writes it."""
    return value.isoformat() if value else None


async def export(actor: Actor, *, now: datetime) -> dict[str, Any]:
    user = actor.require_user()
    standing = await standing_of(actor)
    copy: dict[str, Any] = {"exported_at": moment(now)}
    for contribution in _contributions:
        for section, content in (await contribution.export(user, standing)).items():
            if section in copy:
                raise ValueError(f"{contribution.name} exports a section {section!r} that is not its own")
            copy[section] = content
    return copy


async def erase(user: User, *, now: datetime) -> None:
    """Erase the person's account; the caller has made sure it is really them asking."""
    async with in_transaction():
        for contribution in reversed(_contributions):
            await contribution.erase(user, now)
    await _forget_old_pages()


async def _forget_old_pages() -> None:
    """SQLite keeps earlier versions of changed pages in its write-ahead log until a
    checkpoint; copying them into the database (whose connections zero what they delete,
    `secure_delete`) and truncating the log leaves no old copy of the erased data.
    PostgreSQL's old row versions are reclaimed by its autovacuum."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_query("PRAGMA wal_checkpoint(TRUNCATE)")
