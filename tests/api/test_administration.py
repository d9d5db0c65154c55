"""Administration: areas, organisations, their members, area roles and routing rules.

Platform admins create areas, organisations, routing rules and area roles; an
organisation's admins add members to their own organisation only. Anonymous
callers are UNAUTHENTICATED, signed-in people without the right FORBIDDEN, and a
refused or invalid request writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models import (
    Area,
    AreaRole,
    Notification,
    Organisation,
    OrganisationMembership,
    RoutingRule,
)
from backend.models.enums import AreaRoleKind, NotificationKind, OrganisationKind, OrganisationRole
from backend.services import areas, organisations
from backend.services.actors import Actor
from support import GraphQL, People, Person, error_of, payload

HUGE = "x" * 100_000
GARBAGE_ID = "not an id at all"


@dataclass
class Platform:
    """An admin, a resident, an area and two organisations, made through the services."""

    admin: Person
    resident: Person
    area: Area
    police: Organisation
    council: Organisation

    @property
    def area_id(self) -> str:
        return ids.encode("Area", self.area.id)

    @property
    def police_id(self) -> str:
        return ids.encode("Organisation", self.police.id)

    @property
    def council_id(self) -> str:
        return ids.encode("Organisation", self.council.id)

    @property
    def resident_id(self) -> str:
        return ids.encode("User", self.resident.user.id)


@pytest.fixture
async def platform(people: People, clock: ManualClock) -> Platform:
    admin = await people.make("Ada Admin", admin=True)
    resident = await people.make("Rita Resident")
    actor = Actor(user=admin.user)
    area = await areas.create_area(actor, name="Northtown", now=clock.now())
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=clock.now()
    )
    council = await organisations.create_organisation(
        actor, name="Northtown Council", kind=OrganisationKind.COUNCIL, now=clock.now()
    )
    return Platform(admin=admin, resident=resident, area=area, police=police, council=council)


async def viewer(gql: GraphQL, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = (await gql("Viewer", as_=person.token))["viewer"]
    return data


# ---------------------------------------------------------------- createArea


async def test_admin_creates_an_area(gql: GraphQL, platform: Platform) -> None:
    data = await gql("CreateArea", as_=platform.admin.token, input={"name": "  Southside  "})
    result = payload(data)
    assert result["errors"] == []
    area = result["area"]
    assert area["name"] == "Southside"
    assert area["slug"] == "southside"
    assert area["responseDays"] == 14  # the platform default
    assert area["parent"] is None
    assert area["children"] == []
    assert area["routingRules"] == []
    stored = await Area.get(name="Southside")
    assert area["id"] == ids.encode("Area", stored.id)


async def test_admin_creates_an_area_within_another(gql: GraphQL, platform: Platform) -> None:
    town = payload(
        await gql("CreateArea", as_=platform.admin.token, input={"name": "Westbury", "responseDays": 7})
    )["area"]
    ward = payload(
        await gql(
            "CreateArea",
            as_=platform.admin.token,
            input={"name": "Westbury Central", "slug": "wb-central", "parentId": town["id"]},
        )
    )["area"]
    assert ward["slug"] == "wb-central"
    assert ward["parent"] == {"id": town["id"], "name": "Westbury"}
    assert ward["responseDays"] == 7  # inherited
    town_now = (await gql("Area", id=town["id"]))["area"]
    assert town_now["children"] == [{"id": ward["id"], "name": "Westbury Central"}]


async def test_areas_with_the_same_name_get_numbered_slugs(gql: GraphQL, platform: Platform) -> None:
    # One name may be used once under each parent; the short names keep them apart.
    parent = platform.area_id
    slugs = []
    for _ in range(2):
        made = await gql(
            "CreateArea", as_=platform.admin.token, input={"name": "Northtown", "parentId": parent}
        )
        parent = payload(made)["area"]["id"]
        slugs.append(payload(made)["area"]["slug"])
    assert slugs == ["northtown-2", "northtown-3"]  # "northtown" is the fixture's


async def test_an_area_slug_taken_already_is_a_conflict(gql: GraphQL, platform: Platform) -> None:
    data = await gql("CreateArea", as_=platform.admin.token, input={"name": "Another", "slug": "Northtown"})
    error = error_of(data)
    assert (error["code"], error["field"]) == ("CONFLICT", "slug")
    assert await Area.all().count() == 1


async def test_anonymous_cannot_create_an_area(gql: GraphQL, platform: Platform) -> None:
    error = error_of(await gql("CreateArea", input={"name": "Southside"}))
    assert error["code"] == "UNAUTHENTICATED"
    assert await Area.all().count() == 1


async def test_a_resident_cannot_create_an_area(gql: GraphQL, platform: Platform) -> None:
    error = error_of(await gql("CreateArea", as_=platform.resident.token, input={"name": "Southside"}))
    assert error["code"] == "FORBIDDEN"
    assert await Area.all().count() == 1


async def test_an_organisation_admin_cannot_create_an_area(
    gql: GraphQL, platform: Platform, clock: ManualClock
) -> None:
    await organisations.add_member(
        Actor(user=platform.admin.user),
        organisation_id=platform.police.id,
        email=platform.resident.user.email,
        role=OrganisationRole.ADMIN,
        now=clock.now(),
    )
    error = error_of(await gql("CreateArea", as_=platform.resident.token, input={"name": "Southside"}))
    assert error["code"] == "FORBIDDEN"
    assert await Area.all().count() == 1


BAD_AREAS = [
    pytest.param({"name": ""}, "INVALID", "name", id="empty-name"),
    pytest.param({"name": "   "}, "INVALID", "name", id="blank-name"),
    pytest.param({"name": HUGE}, "INVALID", "name", id="100-kB-name"),
    pytest.param({"name": "South\x00side"}, "INVALID", "name", id="control-character"),
    pytest.param({"name": "Southside", "slug": ""}, "INVALID", "slug", id="empty-slug"),
    pytest.param({"name": "Southside", "slug": "!!!"}, "INVALID", "slug", id="slug-without-letters"),
    pytest.param({"name": "Southside", "slug": HUGE}, "INVALID", "slug", id="100-kB-slug"),
    pytest.param({"name": "Southside", "responseDays": 0}, "INVALID", "responseDays", id="zero-days"),
    pytest.param({"name": "Southside", "responseDays": -3}, "INVALID", "responseDays", id="negative-days"),
    pytest.param({"name": "Southside", "responseDays": 366}, "INVALID", "responseDays", id="too-many-days"),
    pytest.param({"name": "Southside", "parentId": ""}, "INVALID", "parentId", id="empty-parent"),
    pytest.param({"name": "Southside", "parentId": GARBAGE_ID}, "INVALID", "parentId", id="garbage-parent"),
    pytest.param({"name": "Southside", "parentId": HUGE}, "INVALID", "parentId", id="100-kB-parent"),
    pytest.param(
        {"name": "Southside", "parentId": ids.encode("User", 1)}, "INVALID", "parentId", id="user-as-parent"
    ),
    pytest.param(
        {"name": "Southside", "parentId": ids.encode("Area", 999_999)},
        "NOT_FOUND",
        "parentId",
        id="unknown-parent",
    ),
]


async def test_areas_nest_only_as_deep_as_their_path_can_hold(
    gql: GraphQL, platform: Platform, clock: ManualClock
) -> None:
    parent = platform.area
    for level in range(2, areas.MAX_DEPTH + 1):
        parent = await areas.create_area(
            Actor(user=platform.admin.user), name=f"Level {level}", parent_id=parent.id, now=clock.now()
        )
    deepest = (await gql("Area", id=ids.encode("Area", parent.id)))["area"]
    assert deepest["name"] == f"Level {areas.MAX_DEPTH}"

    error = error_of(
        await gql(
            "CreateArea",
            as_=platform.admin.token,
            input={"name": "Too deep", "parentId": ids.encode("Area", parent.id)},
        )
    )
    assert (error["code"], error["field"]) == ("INVALID", "parentId")
    assert not await Area.exists(name="Too deep")


@pytest.mark.parametrize(("area_input", "code", "field"), BAD_AREAS)
async def test_create_area_refuses_bad_input(
    gql: GraphQL, platform: Platform, area_input: dict[str, Any], code: str, field: str
) -> None:
    error = error_of(await gql("CreateArea", as_=platform.admin.token, input=area_input))
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert await Area.all().count() == 1


# -------------------------------------------------------- createOrganisation


async def test_admin_creates_an_organisation(gql: GraphQL, platform: Platform) -> None:
    data = await gql(
        "CreateOrganisation",
        as_=platform.admin.token,
        input={"name": " Northtown Housing Trust ", "kind": "HOUSING"},
    )
    result = payload(data)
    assert result["errors"] == []
    assert result["organisation"]["name"] == "Northtown Housing Trust"
    assert result["organisation"]["kind"] == "HOUSING"
    stored = await Organisation.get(name="Northtown Housing Trust")
    assert result["organisation"]["id"] == ids.encode("Organisation", stored.id)


async def test_organisation_names_are_unique_whatever_their_case(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "CreateOrganisation",
            as_=platform.admin.token,
            input={"name": "NORTHSHIRE police", "kind": "CHARITY"},
        )
    )
    assert (error["code"], error["field"]) == ("CONFLICT", "name")
    assert await Organisation.all().count() == 2


async def test_anonymous_cannot_create_an_organisation(gql: GraphQL, platform: Platform) -> None:
    error = error_of(await gql("CreateOrganisation", input={"name": "Food Bank", "kind": "CHARITY"}))
    assert error["code"] == "UNAUTHENTICATED"
    assert await Organisation.all().count() == 2


async def test_a_resident_cannot_create_an_organisation(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "CreateOrganisation",
            as_=platform.resident.token,
            input={"name": "Food Bank", "kind": "CHARITY"},
        )
    )
    assert error["code"] == "FORBIDDEN"
    assert await Organisation.all().count() == 2


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("  ", id="blank"),
        pytest.param(HUGE, id="100-kB"),
        pytest.param("Food\x00Bank", id="control-character"),
        # 120 characters, but 240 once lower-cased: too long for the case-free key.
        pytest.param("\u0130" * 120, id="longer-when-lower-cased"),
    ],
)
async def test_create_organisation_refuses_bad_names(gql: GraphQL, platform: Platform, name: str) -> None:
    error = error_of(
        await gql("CreateOrganisation", as_=platform.admin.token, input={"name": name, "kind": "CHARITY"})
    )
    assert (error["code"], error["field"]) == ("INVALID", "name")
    assert await Organisation.all().count() == 2


# ----------------------------------------------------- addOrganisationMember


async def test_admin_adds_a_member_who_is_told(gql: GraphQL, platform: Platform) -> None:
    data = await gql(
        "AddOrganisationMember",
        as_=platform.admin.token,
        # Addresses are case-insensitive.
        input={"organisationId": platform.police_id, "email": " RITA.Resident@example.org "},
    )
    result = payload(data)
    assert result["errors"] == []
    assert result["organisation"] == {"id": platform.police_id, "name": "Northshire Police", "kind": "POLICE"}
    assert (await viewer(gql, platform.resident))["organisations"] == [
        {
            "role": "MEMBER",
            "organisation": {"id": platform.police_id, "name": "Northshire Police", "kind": "POLICE"},
        }
    ]
    told = await Notification.filter(
        recipient_id=platform.resident.user.id, kind=NotificationKind.ORGANISATION_MEMBERSHIP
    )
    assert len(told) == 1
    assert "Northshire Police" in told[0].body


async def test_an_organisation_admin_adds_members_to_their_own_organisation_only(
    gql: GraphQL, platform: Platform, people: People
) -> None:
    chief = await people.make("Carol Chief")
    newcomer = await people.make("Nadia Newcomer")
    added = payload(
        await gql(
            "AddOrganisationMember",
            as_=platform.admin.token,
            input={"organisationId": platform.police_id, "email": chief.user.email, "role": "ADMIN"},
        )
    )
    assert added["errors"] == []

    own = payload(
        await gql(
            "AddOrganisationMember",
            as_=chief.token,
            input={"organisationId": platform.police_id, "email": newcomer.user.email},
        )
    )
    assert own["errors"] == []
    other = error_of(
        await gql(
            "AddOrganisationMember",
            as_=chief.token,
            input={"organisationId": platform.council_id, "email": newcomer.user.email},
        )
    )
    assert other["code"] == "FORBIDDEN"
    memberships = await OrganisationMembership.filter(user_id=newcomer.user.id)
    assert [(m.organisation_id, m.role) for m in memberships] == [
        (platform.police.id, OrganisationRole.MEMBER)
    ]


async def test_a_plain_member_cannot_add_members(gql: GraphQL, platform: Platform, people: People) -> None:
    constable = await people.make("Colin Constable")
    await gql(
        "AddOrganisationMember",
        as_=platform.admin.token,
        input={"organisationId": platform.police_id, "email": constable.user.email},
    )
    error = error_of(
        await gql(
            "AddOrganisationMember",
            as_=constable.token,
            input={"organisationId": platform.police_id, "email": platform.resident.user.email},
        )
    )
    assert error["code"] == "FORBIDDEN"
    assert not await OrganisationMembership.exists(user_id=platform.resident.user.id)


async def test_anonymous_cannot_add_members(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "AddOrganisationMember",
            input={"organisationId": platform.police_id, "email": platform.resident.user.email},
        )
    )
    assert error["code"] == "UNAUTHENTICATED"
    assert await OrganisationMembership.all().count() == 0


async def test_a_resident_cannot_add_themself(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "AddOrganisationMember",
            as_=platform.resident.token,
            input={"organisationId": platform.police_id, "email": platform.resident.user.email},
        )
    )
    assert error["code"] == "FORBIDDEN"
    assert await OrganisationMembership.all().count() == 0
    assert await Notification.all().count() == 0


async def test_adding_a_member_twice_is_a_conflict_and_tells_them_once(
    gql: GraphQL, platform: Platform
) -> None:
    add = {"organisationId": platform.police_id, "email": platform.resident.user.email}
    assert payload(await gql("AddOrganisationMember", as_=platform.admin.token, input=add))["errors"] == []
    again = error_of(
        await gql("AddOrganisationMember", as_=platform.admin.token, input={**add, "role": "ADMIN"})
    )
    assert (again["code"], again["field"]) == ("CONFLICT", "email")
    memberships = await OrganisationMembership.filter(user_id=platform.resident.user.id)
    assert [m.role for m in memberships] == [OrganisationRole.MEMBER]
    assert await Notification.filter(recipient_id=platform.resident.user.id).count() == 1


async def test_adding_an_address_without_an_account_is_not_found(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "AddOrganisationMember",
            as_=platform.admin.token,
            input={"organisationId": platform.police_id, "email": "nobody@example.org"},
        )
    )
    assert (error["code"], error["field"]) == ("NOT_FOUND", "email")
    assert await OrganisationMembership.all().count() == 0


BAD_MEMBERS = [
    pytest.param({"email": ""}, "INVALID", "email", id="empty-email"),
    pytest.param({"email": "rita"}, "INVALID", "email", id="no-at-sign"),
    pytest.param({"email": "rita@"}, "INVALID", "email", id="no-domain"),
    pytest.param({"email": "rita@@example.org"}, "INVALID", "email", id="two-at-signs"),
    pytest.param({"email": "rita\x00@example.org"}, "INVALID", "email", id="nul-in-email"),
    pytest.param({"email": HUGE + "@example.org"}, "INVALID", "email", id="100-kB-email"),
    pytest.param({"organisationId": ""}, "INVALID", "organisationId", id="empty-id"),
    pytest.param({"organisationId": GARBAGE_ID}, "INVALID", "organisationId", id="garbage-id"),
    pytest.param({"organisationId": HUGE}, "INVALID", "organisationId", id="100-kB-id"),
    pytest.param({"organisationId": ids.encode("Area", 1)}, "INVALID", "organisationId", id="area-id"),
    pytest.param(
        {"organisationId": ids.encode("Organisation", 999_999)},
        "NOT_FOUND",
        "organisationId",
        id="unknown-organisation",
    ),
]


@pytest.mark.parametrize(("member_input", "code", "field"), BAD_MEMBERS)
async def test_add_organisation_member_refuses_bad_input(
    gql: GraphQL, platform: Platform, member_input: dict[str, Any], code: str, field: str
) -> None:
    complete = {"organisationId": platform.police_id, "email": platform.resident.user.email, **member_input}
    error = error_of(await gql("AddOrganisationMember", as_=platform.admin.token, input=complete))
    assert (error["code"], error["field"]) == (code, field)
    assert await OrganisationMembership.all().count() == 0
    assert await Notification.all().count() == 0


# ----------------------------------------------------------- assignAreaRole


async def test_admin_makes_a_person_coordinator_of_an_area(gql: GraphQL, platform: Platform) -> None:
    data = await gql(
        "AssignAreaRole",
        as_=platform.admin.token,
        input={"areaId": platform.area_id, "userId": platform.resident_id, "role": "COORDINATOR"},
    )
    result = payload(data)
    assert result["errors"] == []
    assert result["area"]["id"] == platform.area_id
    also = await gql(
        "AssignAreaRole",
        as_=platform.admin.token,
        input={"areaId": platform.area_id, "userId": platform.resident_id, "role": "MODERATOR"},
    )
    assert payload(also)["errors"] == []
    assert (await viewer(gql, platform.resident))["areaRoles"] == [
        {"role": "COORDINATOR", "area": {"id": platform.area_id, "name": "Northtown"}},
        {"role": "MODERATOR", "area": {"id": platform.area_id, "name": "Northtown"}},
    ]


async def test_assigning_the_same_area_role_twice_is_a_conflict(gql: GraphQL, platform: Platform) -> None:
    assign = {"areaId": platform.area_id, "userId": platform.resident_id, "role": "COORDINATOR"}
    await gql("AssignAreaRole", as_=platform.admin.token, input=assign)
    error = error_of(await gql("AssignAreaRole", as_=platform.admin.token, input=assign))
    assert (error["code"], error["field"]) == ("CONFLICT", "userId")
    assert await AreaRole.all().count() == 1


async def test_anonymous_cannot_assign_area_roles(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "AssignAreaRole",
            input={"areaId": platform.area_id, "userId": platform.resident_id, "role": "COORDINATOR"},
        )
    )
    assert error["code"] == "UNAUTHENTICATED"
    assert await AreaRole.all().count() == 0


async def test_a_coordinator_cannot_assign_area_roles(
    gql: GraphQL, platform: Platform, clock: ManualClock
) -> None:
    await areas.assign_area_role(
        Actor(user=platform.admin.user),
        area_id=platform.area.id,
        user_id=platform.resident.user.id,
        role=AreaRoleKind.COORDINATOR,
        now=clock.now(),
    )
    error = error_of(
        await gql(
            "AssignAreaRole",
            as_=platform.resident.token,
            input={"areaId": platform.area_id, "userId": platform.resident_id, "role": "MODERATOR"},
        )
    )
    assert error["code"] == "FORBIDDEN"
    assert await AreaRole.all().count() == 1


BAD_AREA_ROLES = [
    pytest.param({"areaId": ""}, "INVALID", "areaId", id="empty-area"),
    pytest.param({"areaId": GARBAGE_ID}, "INVALID", "areaId", id="garbage-area"),
    pytest.param({"areaId": HUGE}, "INVALID", "areaId", id="100-kB-area"),
    pytest.param({"areaId": ids.encode("User", 1)}, "INVALID", "areaId", id="user-as-area"),
    pytest.param({"areaId": ids.encode("Area", 999_999)}, "NOT_FOUND", "areaId", id="unknown-area"),
    pytest.param({"userId": ""}, "INVALID", "userId", id="empty-user"),
    pytest.param({"userId": GARBAGE_ID}, "INVALID", "userId", id="garbage-user"),
    pytest.param({"userId": ids.encode("Area", 1)}, "INVALID", "userId", id="area-as-user"),
    pytest.param({"userId": ids.encode("User", 999_999)}, "NOT_FOUND", "userId", id="unknown-user"),
]


@pytest.mark.parametrize(("role_input", "code", "field"), BAD_AREA_ROLES)
async def test_assign_area_role_refuses_bad_input(
    gql: GraphQL, platform: Platform, role_input: dict[str, Any], code: str, field: str
) -> None:
    complete = {
        "areaId": platform.area_id,
        "userId": platform.resident_id,
        "role": "COORDINATOR",
        **role_input,
    }
    error = error_of(await gql("AssignAreaRole", as_=platform.admin.token, input=complete))
    assert (error["code"], error["field"]) == (code, field)
    assert await AreaRole.all().count() == 0


# ----------------------------------------------------------- setRoutingRule


async def test_admin_routes_a_category_to_an_organisation_and_changes_it(
    gql: GraphQL, platform: Platform
) -> None:
    rule = {"areaId": platform.area_id, "category": "ROAD_SAFETY", "organisationId": platform.police_id}
    first = payload(await gql("SetRoutingRule", as_=platform.admin.token, input=rule))
    assert first["errors"] == []
    assert first["area"]["routingRules"] == [
        {"category": "ROAD_SAFETY", "organisation": {"id": platform.police_id, "name": "Northshire Police"}}
    ]
    changed = payload(
        await gql(
            "SetRoutingRule", as_=platform.admin.token, input={**rule, "organisationId": platform.council_id}
        )
    )
    assert changed["area"]["routingRules"] == [
        {"category": "ROAD_SAFETY", "organisation": {"id": platform.council_id, "name": "Northtown Council"}}
    ]
    other = payload(
        await gql("SetRoutingRule", as_=platform.admin.token, input={**rule, "category": "DRUGS"})
    )
    assert [r["category"] for r in other["area"]["routingRules"]] == ["DRUGS", "ROAD_SAFETY"]
    assert await RoutingRule.all().count() == 2
    seen = (await gql("Area", id=platform.area_id))["area"]
    assert seen["routingRules"] == other["area"]["routingRules"]


async def test_anonymous_cannot_set_routing_rules(gql: GraphQL, platform: Platform) -> None:
    error = error_of(
        await gql(
            "SetRoutingRule",
            input={"areaId": platform.area_id, "category": "DRUGS", "organisationId": platform.police_id},
        )
    )
    assert error["code"] == "UNAUTHENTICATED"
    assert await RoutingRule.all().count() == 0


async def test_an_organisation_admin_cannot_set_routing_rules(
    gql: GraphQL, platform: Platform, clock: ManualClock
) -> None:
    await organisations.add_member(
        Actor(user=platform.admin.user),
        organisation_id=platform.police.id,
        email=platform.resident.user.email,
        role=OrganisationRole.ADMIN,
        now=clock.now(),
    )
    error = error_of(
        await gql(
            "SetRoutingRule",
            as_=platform.resident.token,
            input={"areaId": platform.area_id, "category": "DRUGS", "organisationId": platform.police_id},
        )
    )
    assert error["code"] == "FORBIDDEN"
    assert await RoutingRule.all().count() == 0


BAD_RULES = [
    pytest.param({"areaId": GARBAGE_ID}, "INVALID", "areaId", id="garbage-area"),
    pytest.param({"areaId": HUGE}, "INVALID", "areaId", id="100-kB-area"),
    pytest.param({"areaId": ids.encode("Organisation", 1)}, "INVALID", "areaId", id="organisation-as-area"),
    pytest.param({"areaId": ids.encode("Area", 999_999)}, "NOT_FOUND", "areaId", id="unknown-area"),
    pytest.param({"organisationId": ""}, "INVALID", "organisationId", id="empty-organisation"),
    pytest.param(
        {"organisationId": ids.encode("Area", 1)}, "INVALID", "organisationId", id="area-as-organisation"
    ),
    pytest.param(
        {"organisationId": ids.encode("Organisation", 999_999)},
        "NOT_FOUND",
        "organisationId",
        id="unknown-organisation",
    ),
]


@pytest.mark.parametrize(("rule_input", "code", "field"), BAD_RULES)
async def test_set_routing_rule_refuses_bad_input(
    gql: GraphQL, platform: Platform, rule_input: dict[str, Any], code: str, field: str
) -> None:
    complete = {
        "areaId": platform.area_id,
        "category": "DRUGS",
        "organisationId": platform.police_id,
        **rule_input,
    }
    error = error_of(await gql("SetRoutingRule", as_=platform.admin.token, input=complete))
    assert (error["code"], error["field"]) == (code, field)
    assert await RoutingRule.all().count() == 0
