"""Administration that lists and edits: each table the administration screen shows (areas,
organisations, members, area roles, routing rules) is read, edited and emptied through the
API, with the rights the contract gives; area names are unique under one parent whatever
their case; the configuration check finds the areas where a proposal would reach nobody;
people are found by name or address without copying an ID.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from backend import ids
from backend.clock import ManualClock
from backend.db import int_column
from backend.errors import InvalidState
from backend.models import Area, AreaRole, Organisation, OrganisationMembership, RoutingRule
from backend.models.enums import AreaRoleKind, OrganisationKind, OrganisationRole, ProblemCategory
from backend.services import areas, organisations, problems, routing_gaps
from backend.services.actors import Actor
from support import GraphQL, People, Person, error_of, operation, payload

EVERY_CATEGORY = [category.value for category in ProblemCategory]


@dataclass
class Force:
    """A force with a district inside it, a police team and a council, an admin, an
    organisation admin of the police, a constable and a resident."""

    admin: Person
    chief: Person
    constable: Person
    resident: Person
    force: Area
    district: Area
    police: Organisation
    council: Organisation

    def id(self, thing: Area | Organisation | Person) -> str:
        if isinstance(thing, Area):
            return ids.encode("Area", thing.id)
        if isinstance(thing, Organisation):
            return ids.encode("Organisation", thing.id)
        return ids.encode("User", thing.user.id)


@pytest.fixture
async def force(people: People, clock: ManualClock) -> Force:
    admin = await people.make("Ada Admin", admin=True)
    chief = await people.make("Carol Chief")
    constable = await people.make("Colin Constable")
    resident = await people.make("Rita Resident")
    actor = Actor(user=admin.user)
    now = clock.now()
    shire = await areas.create_area(actor, name="Northshire", now=now)
    district = await areas.create_area(actor, name="Riverside", parent_id=shire.id, now=now)
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=now
    )
    council = await organisations.create_organisation(
        actor, name="Riverside Council", kind=OrganisationKind.COUNCIL, now=now
    )
    for person, role in ((chief, OrganisationRole.ADMIN), (constable, OrganisationRole.MEMBER)):
        await organisations.add_member(
            actor, organisation_id=police.id, email=person.user.email, role=role, now=now
        )
    return Force(admin, chief, constable, resident, shire, district, police, council)


async def top_level_error(gql: GraphQL, name: str, as_: str | None, **variables: Any) -> str:
    """The message of the error a refused read answers with, in place of any data."""
    body = await gql.raw(operation(name), variables, as_=as_)
    assert not any((body.get("data") or {}).values()), body
    message: str = body["errors"][0]["message"]
    return message


# ------------------------------------------------------------------- areas


async def test_an_admin_renames_an_area_and_changes_its_response_time(gql: GraphQL, force: Force) -> None:
    edit = {"areaId": force.id(force.district), "name": "Riverside and Docks", "responseDays": 5}
    area = payload(await gql("UpdateArea", as_=force.admin.token, input=edit))["area"]
    assert (area["name"], area["slug"], area["responseDays"]) == ("Riverside and Docks", "riverside", 5)

    inherit = {**edit, "responseDays": None, "slug": "docks"}
    area = payload(await gql("UpdateArea", as_=force.admin.token, input=inherit))["area"]
    assert (area["responseDays"], area["slug"]) == (14, "docks")
    assert (await Area.get(id=force.district.id)).sibling_key == f"{force.force.id}/riverside and docks"


async def test_a_name_another_area_under_the_same_parent_has_is_a_conflict_whatever_its_case(
    gql: GraphQL, force: Force
) -> None:
    under_force = {"name": "RIVERSIDE", "parentId": force.id(force.force)}
    error = error_of(await gql("CreateArea", as_=force.admin.token, input=under_force))
    assert (error["code"], error["field"]) == ("CONFLICT", "name")
    assert "Northshire" in error["message"]

    top = error_of(await gql("CreateArea", as_=force.admin.token, input={"name": "northshire"}))
    assert (top["code"], top["field"]) == ("CONFLICT", "name")
    assert await Area.all().count() == 2

    # The same name under another parent is another area.
    elsewhere = await gql(
        "CreateArea", as_=force.admin.token, input={"name": "Riverside", "parentId": force.id(force.district)}
    )
    assert payload(elsewhere)["area"]["slug"] == "riverside-2"

    sibling = payload(
        await gql(
            "CreateArea", as_=force.admin.token, input={"name": "Docks", "parentId": force.id(force.force)}
        )
    )["area"]
    renamed = error_of(
        await gql("UpdateArea", as_=force.admin.token, input={"areaId": sibling["id"], "name": "riverSIDE"})
    )
    assert (renamed["code"], renamed["field"]) == ("CONFLICT", "name")
    assert (await Area.get(id=ids.decode(sibling["id"], "Area", "areaId"))).name == "Docks"


async def test_a_short_name_another_area_has_is_a_conflict_when_editing(gql: GraphQL, force: Force) -> None:
    edit = {"areaId": force.id(force.district), "name": "Riverside", "slug": "northshire"}
    error = error_of(await gql("UpdateArea", as_=force.admin.token, input=edit))
    assert (error["code"], error["field"]) == ("CONFLICT", "slug")
    assert (await Area.get(id=force.district.id)).slug == "riverside"


async def test_editing_an_area_reports_every_fault_at_once(gql: GraphQL, force: Force) -> None:
    edit = {"areaId": force.id(force.district), "name": " ", "responseDays": 0, "slug": "!!"}
    result = payload(await gql("UpdateArea", as_=force.admin.token, input=edit))
    assert result["area"] is None
    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("name", "INVALID"),
        ("responseDays", "INVALID"),
        ("slug", "INVALID"),
    ]


async def test_an_admin_removes_an_empty_area_but_not_one_with_areas_or_proposals_in_it(
    gql: GraphQL, force: Force, clock: ManualClock
) -> None:
    inside = error_of(await gql("RemoveArea", as_=force.admin.token, input={"areaId": force.id(force.force)}))
    assert (inside["code"], inside["field"]) == ("INVALID_STATE", "areaId")

    await problems.propose(
        Actor(user=force.resident.user),
        area_id=force.district.id,
        title="Speeding on Mill Lane",
        description="Cars race down Mill Lane every evening.",
        category=ProblemCategory.ROAD_SAFETY,
        now=clock.now(),
    )
    kept = error_of(
        await gql("RemoveArea", as_=force.admin.token, input={"areaId": force.id(force.district)})
    )
    assert (kept["code"], kept["field"]) == ("INVALID_STATE", "areaId")
    assert await Area.all().count() == 2

    empty = await areas.create_area(Actor(user=force.admin.user), name="Docks", now=clock.now())
    await areas.set_routing_rule(
        Actor(user=force.admin.user),
        area_id=empty.id,
        category=ProblemCategory.DRUGS,
        organisation_id=force.police.id,
        now=clock.now(),
    )
    removed = payload(await gql("RemoveArea", as_=force.admin.token, input={"areaId": force.id(empty)}))
    assert removed == {"area": {"id": force.id(empty), "name": "Docks"}, "errors": []}
    assert not await Area.exists(id=empty.id)
    assert not await RoutingRule.exists(area_id=empty.id)


@pytest.mark.parametrize("who", ["chief", "constable", "resident"])
async def test_only_platform_admins_edit_or_remove_areas(gql: GraphQL, force: Force, who: str) -> None:
    person: Person = getattr(force, who)
    edit = {"areaId": force.id(force.district), "name": "Taken over"}
    assert error_of(await gql("UpdateArea", as_=person.token, input=edit))["code"] == "FORBIDDEN"
    remove = {"areaId": force.id(force.district)}
    assert error_of(await gql("RemoveArea", as_=person.token, input=remove))["code"] == "FORBIDDEN"
    assert error_of(await gql("UpdateArea", input=edit))["code"] == "UNAUTHENTICATED"
    assert (await Area.get(id=force.district.id)).name == "Riverside"


# ----------------------------------------------------------- organisations


async def test_an_admin_corrects_an_organisation_and_removes_one_set_up_by_mistake(
    gql: GraphQL, force: Force, clock: ManualClock
) -> None:
    edit = {"organisationId": force.id(force.council), "name": "Riverside Borough Council", "kind": "COUNCIL"}
    edited = payload(await gql("UpdateOrganisation", as_=force.admin.token, input=edit))["organisation"]
    assert edited["name"] == "Riverside Borough Council"

    taken = error_of(
        await gql("UpdateOrganisation", as_=force.admin.token, input={**edit, "name": "NORTHSHIRE police"})
    )
    assert (taken["code"], taken["field"]) == ("CONFLICT", "name")

    await areas.set_routing_rule(
        Actor(user=force.admin.user),
        area_id=force.district.id,
        category=ProblemCategory.ENVIRONMENT,
        organisation_id=force.council.id,
        now=clock.now(),
    )
    routed = error_of(
        await gql(
            "RemoveOrganisation", as_=force.admin.token, input={"organisationId": force.id(force.council)}
        )
    )
    assert (routed["code"], routed["field"]) == ("INVALID_STATE", "organisationId")
    assert "Routing rules" in routed["message"]
    await areas.remove_routing_rule(
        Actor(user=force.admin.user), area_id=force.district.id, category=ProblemCategory.ENVIRONMENT
    )
    removed = payload(
        await gql(
            "RemoveOrganisation", as_=force.admin.token, input={"organisationId": force.id(force.council)}
        )
    )
    assert removed["organisation"]["name"] == "Riverside Borough Council"
    assert not await Organisation.exists(id=force.council.id)


@pytest.mark.parametrize("who", ["chief", "constable", "resident"])
async def test_only_platform_admins_edit_or_remove_organisations(
    gql: GraphQL, force: Force, who: str
) -> None:
    person: Person = getattr(force, who)
    edit = {"organisationId": force.id(force.police), "name": "Renamed", "kind": "OTHER"}
    assert error_of(await gql("UpdateOrganisation", as_=person.token, input=edit))["code"] == "FORBIDDEN"
    remove = {"organisationId": force.id(force.police)}
    assert error_of(await gql("RemoveOrganisation", as_=person.token, input=remove))["code"] == "FORBIDDEN"
    assert (await Organisation.get(id=force.police.id)).name == "Northshire Police"


# ----------------------------------------------------------------- members


async def test_the_organisation_admin_lists_changes_and_removes_members(gql: GraphQL, force: Force) -> None:
    listed = (await gql("OrganisationMembers", as_=force.chief.token, organisationId=force.id(force.police)))[
        "organisationMembers"
    ]
    assert [(m["user"]["displayName"], m["email"], m["role"]) for m in listed] == [
        ("Carol Chief", force.chief.user.email, "ADMIN"),
        ("Colin Constable", force.constable.user.email, "MEMBER"),
    ]
    promote = {"organisationId": force.id(force.police), "userId": force.id(force.constable), "role": "ADMIN"}
    assert (
        payload(await gql("SetOrganisationMemberRole", as_=force.chief.token, input=promote))["errors"] == []
    )
    assert (await OrganisationMembership.get(user_id=force.constable.user.id)).role == OrganisationRole.ADMIN

    remove = {"organisationId": force.id(force.police), "userId": force.id(force.constable)}
    assert payload(await gql("RemoveOrganisationMember", as_=force.chief.token, input=remove))["errors"] == []
    listed = (await gql("OrganisationMembers", as_=force.admin.token, organisationId=force.id(force.police)))[
        "organisationMembers"
    ]
    assert [m["user"]["displayName"] for m in listed] == ["Carol Chief"]

    again = error_of(await gql("SetOrganisationMemberRole", as_=force.admin.token, input=promote))
    assert (again["code"], again["field"]) == ("NOT_FOUND", "userId")


async def test_an_organisation_keeps_an_admin_of_its_own(gql: GraphQL, force: Force) -> None:
    police, chief = force.id(force.police), force.id(force.chief)
    # Carol is the police's only admin: she may neither step down nor be removed, by herself
    # or by a platform admin, and the message says what to do first.
    for who in (force.chief, force.admin):
        demoted = error_of(
            await gql(
                "SetOrganisationMemberRole",
                as_=who.token,
                input={"organisationId": police, "userId": chief, "role": "MEMBER"},
            )
        )
        assert (demoted["code"], demoted["field"]) == ("INVALID_STATE", "userId")
        assert demoted["message"] == (
            "The organisation's last admin cannot stop being an admin: make another member an admin first."
        )
        removed = error_of(
            await gql(
                "RemoveOrganisationMember", as_=who.token, input={"organisationId": police, "userId": chief}
            )
        )
        assert (removed["code"], removed["message"]) == (
            "INVALID_STATE",
            "The organisation's last admin cannot be removed: make another member an admin first.",
        )
    assert (await OrganisationMembership.get(user_id=force.chief.user.id)).role == OrganisationRole.ADMIN
    # Making her an admin again changes nothing and is no fault.
    again = {"organisationId": police, "userId": chief, "role": "ADMIN"}
    assert payload(await gql("SetOrganisationMemberRole", as_=force.chief.token, input=again))["errors"] == []

    # With a second admin, she hands over and steps down.
    promote = {"organisationId": police, "userId": force.id(force.constable), "role": "ADMIN"}
    assert (
        payload(await gql("SetOrganisationMemberRole", as_=force.chief.token, input=promote))["errors"] == []
    )
    step_down = {"organisationId": police, "userId": chief, "role": "MEMBER"}
    assert (
        payload(await gql("SetOrganisationMemberRole", as_=force.chief.token, input=step_down))["errors"]
        == []
    )
    assert (await OrganisationMembership.get(user_id=force.chief.user.id)).role == OrganisationRole.MEMBER


WAITING_ON_A_LOCK = (
    "SELECT count(*) AS n FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def waiting_on_a_lock() -> None:
    """Returns once a backend of this database waits on a lock: each look is a round trip to
    PostgreSQL, and the deadline stops a wait for what never comes."""
    connection = Tortoise.get_connection("default")
    async with asyncio.timeout(10):
        while not (await connection.execute_query_dict(WAITING_ON_A_LOCK))[0]["n"]:
            continue


async def test_two_admins_stepping_down_at_once_leave_one_admin(force: Force, clock: ManualClock) -> None:
    if not Tortoise.get_connection("default").capabilities.support_for_update:
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    await organisations.set_member_role(
        Actor(user=force.chief.user),
        organisation_id=force.police.id,
        user_id=force.constable.user.id,
        role=OrganisationRole.ADMIN,
    )
    # Carol steps down in a transaction still open while Colin steps down too: his change must
    # wait for hers and then find himself the last admin.
    carol_stepped_down, commit = asyncio.Event(), asyncio.Event()

    async def carol_steps_down() -> None:
        async with in_transaction():
            await organisations.set_member_role(
                Actor(user=force.chief.user),
                organisation_id=force.police.id,
                user_id=force.chief.user.id,
                role=OrganisationRole.MEMBER,
            )
            carol_stepped_down.set()
            await commit.wait()

    carol = asyncio.create_task(carol_steps_down())
    await carol_stepped_down.wait()
    colin = asyncio.create_task(
        organisations.set_member_role(
            Actor(user=force.constable.user),
            organisation_id=force.police.id,
            user_id=force.constable.user.id,
            role=OrganisationRole.MEMBER,
        )
    )
    await waiting_on_a_lock()
    commit.set()
    await carol
    with pytest.raises(InvalidState, match="last admin cannot stop being an admin"):
        await colin
    admins = OrganisationMembership.filter(organisation_id=force.police.id, role=OrganisationRole.ADMIN)
    assert await int_column(admins, "user_id") == [force.constable.user.id]


@pytest.mark.parametrize("who", ["constable", "resident"])
async def test_members_are_listed_and_changed_only_by_those_who_manage_them(
    gql: GraphQL, force: Force, who: str
) -> None:
    person: Person = getattr(force, who)
    message = await top_level_error(
        gql, "OrganisationMembers", person.token, organisationId=force.id(force.police)
    )
    assert "organisation's admins" in message
    promote = {"organisationId": force.id(force.police), "userId": force.id(person), "role": "ADMIN"}
    assert (
        error_of(await gql("SetOrganisationMemberRole", as_=person.token, input=promote))["code"]
        == "FORBIDDEN"
    )
    # The police's admin manages the police only.
    council = await top_level_error(
        gql, "OrganisationMembers", force.chief.token, organisationId=force.id(force.council)
    )
    assert "organisation's admins" in council


# -------------------------------------------------------------- area roles


async def test_the_admin_lists_every_role_and_takes_one_away(
    gql: GraphQL, force: Force, clock: ManualClock
) -> None:
    for person, area, role in (
        (force.chief, force.force, AreaRoleKind.COORDINATOR),
        (force.resident, force.district, AreaRoleKind.MODERATOR),
    ):
        await areas.assign_area_role(
            Actor(user=force.admin.user), area_id=area.id, user_id=person.user.id, role=role, now=clock.now()
        )
    holders = (await gql("Administration", as_=force.admin.token))["areaRoleHolders"]
    assert [(h["area"]["name"], h["role"], h["user"]["displayName"]) for h in holders] == [
        ("Northshire", "COORDINATOR", "Carol Chief"),
        ("Riverside", "MODERATOR", "Rita Resident"),
    ]
    revoke = {"areaId": force.id(force.district), "userId": force.id(force.resident), "role": "MODERATOR"}
    assert payload(await gql("RevokeAreaRole", as_=force.admin.token, input=revoke))["errors"] == []
    holders = (await gql("Administration", as_=force.admin.token))["areaRoleHolders"]
    assert [h["user"]["displayName"] for h in holders] == ["Carol Chief"]
    assert await AreaRole.all().count() == 1


@pytest.mark.parametrize("who", ["chief", "constable", "resident"])
async def test_only_platform_admins_see_every_role_and_the_configuration_check(
    gql: GraphQL, force: Force, who: str
) -> None:
    person: Person = getattr(force, who)
    message = await top_level_error(gql, "Administration", person.token)
    assert "platform administrators" in message


# ----------------------------------------------------------- routing rules


async def test_the_admin_lists_routing_rules_and_removes_one(gql: GraphQL, force: Force) -> None:
    for area, category, organisation in (
        (force.district, "ENVIRONMENT", force.council),
        (force.force, "DRUGS", force.police),
    ):
        rule = {"areaId": force.id(area), "category": category, "organisationId": force.id(organisation)}
        assert payload(await gql("SetRoutingRule", as_=force.admin.token, input=rule))["errors"] == []
    rules = (await gql("Administration", as_=force.admin.token))["routingRules"]
    assert [(r["area"]["name"], r["category"], r["organisation"]["name"]) for r in rules] == [
        ("Northshire", "DRUGS", "Northshire Police"),
        ("Riverside", "ENVIRONMENT", "Riverside Council"),
    ]
    remove = {"areaId": force.id(force.district), "category": "ENVIRONMENT"}
    removed = payload(await gql("RemoveRoutingRule", as_=force.admin.token, input=remove))
    assert removed["errors"] == [] and removed["area"]["routingRules"] == []
    missing = error_of(await gql("RemoveRoutingRule", as_=force.admin.token, input=remove))
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "category")
    assert (
        error_of(await gql("RemoveRoutingRule", as_=force.chief.token, input=remove))["code"] == "FORBIDDEN"
    )
    assert await RoutingRule.all().count() == 1


# ---------------------------------------------------- configuration check


async def test_the_check_lists_an_area_with_no_route_until_a_rule_or_a_coordinator_covers_it(
    gql: GraphQL, force: Force, clock: ManualClock
) -> None:
    admin = Actor(user=force.admin.user)
    gaps = (await gql("Administration", as_=force.admin.token))["routingGaps"]
    assert [(g["area"]["name"], g["categories"]) for g in gaps] == [
        ("Northshire", EVERY_CATEGORY),
        ("Riverside", EVERY_CATEGORY),
    ]
    # A rule above covers the areas inside it, for its category only.
    await areas.set_routing_rule(
        admin,
        area_id=force.force.id,
        category=ProblemCategory.DRUGS,
        organisation_id=force.police.id,
        now=clock.now(),
    )
    gaps = (await gql("Administration", as_=force.admin.token))["routingGaps"]
    without_drugs = [c for c in EVERY_CATEGORY if c != "DRUGS"]
    assert [(g["area"]["name"], g["categories"]) for g in gaps] == [
        ("Northshire", without_drugs),
        ("Riverside", without_drugs),
    ]
    # A coordinator answers for every category, in their area and the areas inside it.
    await areas.assign_area_role(
        admin,
        area_id=force.district.id,
        user_id=force.chief.user.id,
        role=AreaRoleKind.COORDINATOR,
        now=clock.now(),
    )
    gaps = (await gql("Administration", as_=force.admin.token))["routingGaps"]
    assert [g["area"]["name"] for g in gaps] == ["Northshire"]
    await areas.assign_area_role(
        admin,
        area_id=force.force.id,
        user_id=force.chief.user.id,
        role=AreaRoleKind.COORDINATOR,
        now=clock.now(),
    )
    assert await routing_gaps.gaps() == []


# ------------------------------------------------------------ people search


async def test_a_platform_admin_finds_anyone_by_name_or_address(gql: GraphQL, force: Force) -> None:
    by_name = (await gql("People", as_=force.admin.token, search="rita"))["people"]
    assert [(p["user"]["id"], p["email"]) for p in by_name] == [
        (force.id(force.resident), force.resident.user.email)
    ]
    by_address = (await gql("People", as_=force.admin.token, search="COLIN.constable@"))["people"]
    assert [p["user"]["displayName"] for p in by_address] == ["Colin Constable"]
    every_word = (await gql("People", as_=force.admin.token, search="carol constable"))["people"]
    assert every_word == []


async def test_an_organisation_admin_finds_only_their_members(gql: GraphQL, force: Force) -> None:
    found = (await gql("People", as_=force.chief.token, search="c"))["people"]
    assert [p["user"]["displayName"] for p in found] == ["Carol Chief", "Colin Constable"]
    assert (await gql("People", as_=force.chief.token, search="rita"))["people"] == []


@pytest.mark.parametrize("who", ["constable", "resident"])
async def test_nobody_else_may_search_for_people(gql: GraphQL, force: Force, who: str) -> None:
    person: Person = getattr(force, who)
    assert "administrators" in await top_level_error(gql, "People", person.token, search="rita")
    assert "sign in" in await top_level_error(gql, "People", None, search="rita")
