"""Personal data by contribution: every place a person is in the database is either erased
or kept for a stated reason, by the aggregate that owns it (backend/services/personal_data.py).

The walk below finds those places in the models themselves, so a new table with a person in
it fails here until its aggregate declares what becomes of them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from tortoise import Tortoise, fields
from tortoise.fields import Field
from tortoise.fields.relational import RelationalField
from tortoise.models import Model

from backend.models import Session, User
from backend.services import accounts, personal_data
from backend.services.actors import Actor
from backend.services.personal_data import Contribution, Sections
from backend.services.standing import Standing
from support import PASSWORD, People

# Columns that describe a person without pointing at their row: an address (or a digest of
# it), a name, a password, a phone number, where they live or were, how they sign in.
PERSONAL_COLUMN = re.compile(
    r"email|display_name|password|phone|address|home|birth|skills|latitude|longitude"
    r"|user_agent|client|device|account"
)


def models() -> list[type[Model]]:
    return list(Tortoise.apps["models"].values())


def places_of_people(model: type[Model]) -> set[str]:
    """Where a person is in this model, as "Model.field": every relation to a person, every
    column that describes one, and on the person's own row every column but its key."""
    meta = model._meta
    # A foreign key's id column is the relation itself; the other side's view of a
    # relation is found on the model that holds it.
    id_columns = {meta.fields_map[name].source_field for name in meta.fk_fields | meta.o2o_fields}
    elsewhere = meta.backward_fk_fields | meta.backward_o2o_fields | id_columns
    places = set()
    for name, field in meta.fields_map.items():
        if name in elsewhere or field.pk:
            continue
        if model is User or points_at_a_person(field) or PERSONAL_COLUMN.search(name):
            places.add(f"{model.__name__}.{name}")
    return places


def points_at_a_person(field: Field[Any]) -> bool:
    if not isinstance(field, RelationalField):
        return False
    # Until Tortoise sets a model up, its relations know their target only as named.
    return field.related_model is User or getattr(field, "model_name", None) in (User, "models.User")


def declared(contributions: tuple[Contribution, ...]) -> set[str]:
    return {place for contribution in contributions for place in (*contribution.erases, *contribution.keeps)}


def unaccounted(contributions: tuple[Contribution, ...], among: list[type[Model]]) -> list[str]:
    """Places of people in these models that no contribution erases or keeps, whole model or field."""
    known = declared(contributions)
    return sorted(
        place
        for model in among
        for place in places_of_people(model)
        if place not in known and model.__name__ not in known
    )


def without(
    name: str, contributions: tuple[Contribution, ...], *, place: str | None = None
) -> tuple[Contribution, ...]:
    """The registered contributions with one left out, or with one place taken out of it."""
    if place is None:
        return tuple(c for c in contributions if c.name != name)
    return tuple(
        replace(
            c,
            erases=tuple(p for p in c.erases if p != place),
            keeps={p: why for p, why in c.keeps.items() if p != place},
        )
        if c.name == name
        else c
        for c in contributions
    )


@pytest.mark.usefixtures("database")
async def test_every_place_a_person_is_is_erased_or_kept_for_a_reason() -> None:
    assert unaccounted(personal_data.contributions(), models()) == []


@pytest.mark.usefixtures("database")
async def test_a_new_table_with_a_person_in_it_fails_the_walk_until_its_aggregate_declares_it() -> None:
    class VolunteerBadge(Model):
        """A throwaway: never set up by Tortoise, never a table."""

        id = fields.IntField(primary_key=True)
        holder: fields.ForeignKeyRelation[User] = fields.ForeignKeyField("models.User", related_name=False)
        phone_number = fields.CharField(max_length=20)
        awarded_at = fields.DatetimeField()

    registered = personal_data.contributions()
    with_badges: list[type[Model]] = [*models(), VolunteerBadge]
    assert unaccounted(registered, with_badges) == ["VolunteerBadge.holder", "VolunteerBadge.phone_number"]

    async def no_sections(user: User, standing: Standing) -> Sections:
        return {}

    async def nothing_to_erase(user: User, now: datetime) -> None:
        return None

    badges = Contribution(
        name="badges",
        export=no_sections,
        erase=nothing_to_erase,
        erases=("VolunteerBadge.phone_number",),
        keeps={"VolunteerBadge.holder": "a badge awarded in public, shown as a former participant's"},
    )
    assert unaccounted((*registered, badges), with_badges) == []


@pytest.mark.usefixtures("database")
async def test_the_walk_finds_a_person_nobody_declares() -> None:
    registered = personal_data.contributions()
    # A relation to a person, erased or kept; columns describing one on a table with no
    # such relation (the throttle's digest of the address, the network address); and a
    # column of the person's own row.
    assert unaccounted(without("area roles", registered), models()) == ["AreaRole.user"]
    assert unaccounted(without("sign-ins", registered, place="LoginAttempt"), models()) == [
        "LoginAttempt.account",
        "LoginAttempt.client",
        "LoginAttempt.known_device",
    ]
    assert unaccounted(without("problems", registered, place="Comment.hidden_by"), models()) == [
        "Comment.hidden_by"
    ]
    assert unaccounted(without("account", registered, place="User.skills"), models()) == ["User.skills"]


@pytest.mark.usefixtures("database")
async def test_every_declared_place_exists_and_each_kept_one_says_why() -> None:
    by_name = {model.__name__: model for model in models()}
    registered = personal_data.contributions()
    for place in declared(registered):
        model_name, _, field = place.partition(".")
        assert model_name in by_name, place
        assert not field or field in by_name[model_name]._meta.fields_map, place
    for contribution in registered:
        assert not set(contribution.erases) & set(contribution.keeps), contribution.name
        for place, reason in contribution.keeps.items():
            assert len(reason.split()) >= 3, f"{place} is kept without a reason"
    places = [place for contribution in registered for place in (*contribution.erases, *contribution.keeps)]
    assert len(places) == len(set(places)), "two contributions speak for the same place"


async def test_a_second_contribution_of_the_same_name_is_refused() -> None:
    with pytest.raises(ValueError, match="registered already"):
        personal_data.register(personal_data.contributions()[0])


async def test_the_copy_has_its_sections_in_the_order_of_the_contributions(people: People) -> None:
    rita = await people.make("Rita Resident")

    copy = await personal_data.export(Actor(user=rita.user), now=people.clock.now())

    assert list(copy) == [
        "exported_at",
        "profile",
        "notification_preferences",
        "organisations",
        "answer_templates",
        "area_roles",
        "sessions",
        "proposals",
        "comments",
        "supports",
        "follows",
        "working_group_memberships",
        "working_groups_formed",
        "actions_planned",
        "action_shares",
        "outcome_measures",
        "outcome_readings",
        "closings",
        "resolution_reviews",
        "volunteer_tasks",
        "calendar_feed",
        "notifications",
        "progress_digests",
        "activity",
        "participation_ladder",
    ]


async def test_erasure_is_all_or_nothing(people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    rita = await people.make("Rita Resident")

    async def nothing(user: User, standing: Standing) -> Sections:
        return {}

    async def fails(user: User, now: datetime) -> None:
        raise RuntimeError("the disk is full")

    # Registered first, so erased last: after every other part has done its work.
    failing = Contribution(name="failing", export=nothing, erase=fails)
    monkeypatch.setattr(personal_data, "_contributions", [failing, *personal_data.contributions()])

    with pytest.raises(RuntimeError, match="the disk is full"):
        await accounts.erase_account(Actor(user=rita.user), password=PASSWORD, now=people.clock.now())

    row = await User.get(id=rita.user.id)
    assert (row.display_name, row.email, row.erased_at) == ("Rita Resident", rita.user.email, None)
    assert await Session.filter(user_id=rita.user.id).count() == 1
