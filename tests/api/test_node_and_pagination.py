"""Reading areas and organisations: Relay pages, single objects, and `node(id)`."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models.enums import OrganisationKind
from backend.services import areas, organisations
from backend.services.actors import Actor
from support import GraphQL, People, QueryCounter, operation


def raw_id(text: str) -> str:
    """An ID as a client could forge it: any text, base64url-encoded like ours."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def forged_cursor(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


GARBAGE_IDS = [
    "",
    "garbage",
    "!!!!",
    "x" * 100_000,
    raw_id("Area"),
    raw_id("Area:"),
    raw_id("Area:-1"),
    raw_id("Area:1.5"),
    raw_id("Area:²"),
    raw_id("Area:99999999999"),
    raw_id(":1"),
]


async def make_areas(people: People, clock: ManualClock, *names: str) -> list[int]:
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    made = [await areas.create_area(actor, name=name, now=clock.now()) for name in names]
    return [area.id for area in made]


async def all_area_names(gql: GraphQL, page_size: int) -> list[str]:
    names: list[str] = []
    after = None
    while True:
        page = (await gql("Areas", first=page_size, after=after))["areas"]
        names += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]


async def test_areas_come_in_pages_in_name_order(gql: GraphQL, people: People, clock: ManualClock) -> None:
    await make_areas(people, clock, "Elmfield", "Ashton", "Dunmore", "Brookside", "Castleton")

    first = (await gql("Areas", first=2))["areas"]
    assert first["totalCount"] == 5
    assert [edge["node"]["name"] for edge in first["edges"]] == ["Ashton", "Brookside"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]

    second = (await gql("Areas", first=2, after=first["pageInfo"]["endCursor"]))["areas"]
    assert [edge["node"]["name"] for edge in second["edges"]] == ["Castleton", "Dunmore"]
    assert second["totalCount"] == 5
    assert second["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasPreviousPage"] is True

    last = (await gql("Areas", first=2, after=second["pageInfo"]["endCursor"]))["areas"]
    assert [edge["node"]["name"] for edge in last["edges"]] == ["Elmfield"]
    assert last["pageInfo"]["hasNextPage"] is False


async def test_area_cursors_stay_valid_when_areas_are_added(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    await make_areas(people, clock, "Ashton", "Brookside", "Castleton", "Dunmore")
    first = (await gql("Areas", first=2))["areas"]
    again = (await gql("Areas", first=2))["areas"]
    assert [edge["cursor"] for edge in again["edges"]] == [edge["cursor"] for edge in first["edges"]]

    admin = await people.make("Second Admin", admin=True)
    await areas.create_area(Actor(user=admin.user), name="Abbey", now=clock.now())
    await areas.create_area(Actor(user=admin.user), name="Bramley", now=clock.now())

    # A page after a cursor starts right after that area, whatever was added before it.
    after = (await gql("Areas", first=2, after=first["pageInfo"]["endCursor"]))["areas"]
    assert [edge["node"]["name"] for edge in after["edges"]] == ["Castleton", "Dunmore"]
    assert after["totalCount"] == 6


async def test_areas_with_the_same_name_are_each_listed_once(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    # One name is used once under each parent: five districts each have a Riverside.
    districts = await make_areas(people, clock, *(f"District {n}" for n in range(5)))
    admin = Actor(user=(await people.make("Dina District", admin=True)).user)
    for district in districts:
        await areas.create_area(admin, name="Riverside", parent_id=district, now=clock.now())
    assert await all_area_names(gql, page_size=2) == [f"District {n}" for n in range(5)] + ["Riverside"] * 5
    slugs = [edge["node"]["slug"] for edge in (await gql("Areas", first=10))["areas"]["edges"]]
    assert len(set(slugs)) == 10


async def test_areas_default_to_a_page_of_twenty(gql: GraphQL, people: People, clock: ManualClock) -> None:
    await make_areas(people, clock, *(f"Area {n:02}" for n in range(21)))
    page = (await gql("Areas"))["areas"]
    assert len(page["edges"]) == 20
    assert page["totalCount"] == 21
    assert page["pageInfo"]["hasNextPage"] is True


async def test_an_empty_first_page_still_counts(gql: GraphQL, people: People, clock: ManualClock) -> None:
    await make_areas(people, clock, "Ashton")
    page = (await gql("Areas", first=0))["areas"]
    assert page["edges"] == []
    assert page["totalCount"] == 1
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["endCursor"] is None


async def test_a_hundred_areas_is_the_largest_page(gql: GraphQL, people: People, clock: ManualClock) -> None:
    await make_areas(people, clock, "Ashton")
    page = (await gql("Areas", first=100))["areas"]
    assert len(page["edges"]) == 1


@pytest.mark.parametrize("first", [101, 1000, -1])
async def test_page_size_beyond_the_cap_is_an_error_never_a_bigger_page(
    gql: GraphQL, people: People, clock: ManualClock, first: int
) -> None:
    await make_areas(people, clock, "Ashton")
    body = await gql.raw(operation("Areas"), {"first": first})
    assert body["data"] is None
    (error,) = body["errors"]
    assert "100" in error["message"]


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("nonsense", id="not-base64-json"),
        pytest.param("x" * 100_000, id="100-kB"),
        pytest.param(forged_cursor({"name": "Ashton"}), id="object"),
        pytest.param(forged_cursor(["Ashton"]), id="too-short"),
        pytest.param(forged_cursor(["Ashton", "one"]), id="text-for-number"),
        pytest.param(forged_cursor([7, 1]), id="number-for-text"),
        pytest.param(forged_cursor(["Ashton", True]), id="boolean"),
        pytest.param(forged_cursor(["Ashton", 99999999999]), id="number-too-large"),
        pytest.param(forged_cursor(["Ash\x00ton", 1]), id="nul-character"),
        pytest.param(forged_cursor([None, 1]), id="null"),
    ],
)
async def test_a_cursor_not_handed_out_is_a_clear_error(
    gql: GraphQL, people: People, clock: ManualClock, cursor: str
) -> None:
    await make_areas(people, clock, "Ashton", "Brookside")
    body = await gql.raw(operation("Areas"), {"first": 1, "after": cursor})
    assert body["data"] is None
    (error,) = body["errors"]
    assert "cursor" in error["message"]


async def test_area_by_id(gql: GraphQL, people: People, clock: ManualClock) -> None:
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    town = await areas.create_area(actor, name="Northtown", now=clock.now(), response_days=10)
    ward = await areas.create_area(actor, name="North Ward", parent_id=town.id, now=clock.now())

    area = (await gql("Area", id=ids.encode("Area", ward.id)))["area"]
    assert area["name"] == "North Ward"
    assert area["slug"] == "north-ward"
    assert area["parent"] == {"id": ids.encode("Area", town.id), "name": "Northtown"}
    assert area["responseDays"] == 10  # inherited from the town
    town_seen = (await gql("Area", id=ids.encode("Area", town.id)))["area"]
    assert town_seen["children"] == [{"id": ids.encode("Area", ward.id), "name": "North Ward"}]


async def test_area_by_an_id_that_is_not_an_areas_is_null(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Ada Admin", admin=True)
    area = await areas.create_area(Actor(user=admin.user), name="Northtown", now=clock.now())
    for wrong in [
        ids.encode("User", admin.user.id),
        ids.encode("Organisation", area.id),
        ids.encode("Area", area.id + 1000),
        *GARBAGE_IDS,
    ]:
        assert (await gql("Area", id=wrong))["area"] is None, wrong[:40]


async def test_organisations_filtered_by_kind(gql: GraphQL, people: People, clock: ManualClock) -> None:
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    for name, kind in [
        ("northshire Police", OrganisationKind.POLICE),
        ("Borough Council", OrganisationKind.COUNCIL),
        ("Metro Police", OrganisationKind.POLICE),
        ("County Council", OrganisationKind.COUNCIL),
        ("Avon Police", OrganisationKind.POLICE),
    ]:
        await organisations.create_organisation(actor, name=name, kind=kind, now=clock.now())

    police = (await gql("Organisations", kind="POLICE"))["organisations"]
    # Ordered by name, whatever its case.
    assert [edge["node"]["name"] for edge in police["edges"]] == [
        "Avon Police",
        "Metro Police",
        "northshire Police",
    ]
    assert {edge["node"]["kind"] for edge in police["edges"]} == {"POLICE"}
    assert police["totalCount"] == 3

    councils = (await gql("Organisations", kind="COUNCIL", first=1))["organisations"]
    assert [edge["node"]["name"] for edge in councils["edges"]] == ["Borough Council"]
    assert councils["totalCount"] == 2
    assert councils["pageInfo"]["hasNextPage"] is True
    rest = (await gql("Organisations", kind="COUNCIL", first=1, after=councils["pageInfo"]["endCursor"]))[
        "organisations"
    ]
    assert [edge["node"]["name"] for edge in rest["edges"]] == ["County Council"]
    assert rest["pageInfo"]["hasNextPage"] is False

    everyone = (await gql("Organisations"))["organisations"]
    assert everyone["totalCount"] == 5
    assert (await gql("Organisations", kind="HEALTH"))["organisations"]["totalCount"] == 0


async def test_organisations_page_size_is_capped(gql: GraphQL) -> None:
    body = await gql.raw(operation("Organisations"), {"first": 101})
    assert body["data"] is None
    assert "100" in body["errors"][0]["message"]


async def test_node_fetches_people_areas_and_organisations(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    area = await areas.create_area(actor, name="Northtown", now=clock.now())
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=clock.now()
    )

    user_id = ids.encode("User", admin.user.id)
    assert (await gql("Node", id=user_id))["node"] == {
        "__typename": "User",
        "id": user_id,
        "displayName": "Ada Admin",
    }
    area_id = ids.encode("Area", area.id)
    assert (await gql("Node", id=area_id))["node"] == {
        "__typename": "Area",
        "id": area_id,
        "name": "Northtown",
        "slug": "northtown",
    }
    police_id = ids.encode("Organisation", police.id)
    assert (await gql("Node", id=police_id))["node"] == {
        "__typename": "Organisation",
        "id": police_id,
        "name": "Northshire Police",
        "kind": "POLICE",
    }


async def test_node_of_an_unknown_or_garbage_id_is_null(gql: GraphQL, people: People) -> None:
    admin = await people.make("Ada Admin", admin=True)
    for unknown in [
        ids.encode("User", admin.user.id + 1000),
        ids.encode("Area", 1),
        ids.encode("Organisation", 1),
        ids.encode("Session", 1),
        ids.encode("Nothing", 1),
        *GARBAGE_IDS,
    ]:
        assert (await gql("Node", id=unknown))["node"] is None, unknown[:40]


async def test_a_person_seen_through_node_shows_no_contact_details(gql: GraphQL, people: People) -> None:
    person = await people.make("Rita Resident")
    body = await gql.raw(
        "query($id: ID!) { node(id: $id) { ... on User { email } } }",
        {"id": ids.encode("User", person.user.id)},
    )
    assert body["data"] is None
    assert "email" in body["errors"][0]["message"]


async def test_a_first_page_holding_every_row_counts_them_without_a_statement(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    await make_areas(people, clock, "Ashton", "Brookside", "Castleton")

    async def page_and_statements(first: int) -> tuple[dict[str, Any], int]:
        with QueryCounter() as queries:
            page = (await gql("Areas", first=first))["areas"]
        return page, queries.count

    whole, whole_statements = await page_and_statements(3)
    part, part_statements = await page_and_statements(2)
    assert (whole["totalCount"], whole["pageInfo"]["hasNextPage"]) == (3, False)
    assert (part["totalCount"], part["pageInfo"]["hasNextPage"]) == (3, True)
    assert whole_statements == part_statements - 1
    # After a cursor the rows before it are not in the page: they are counted.
    rest = (await gql("Areas", first=5, after=part["pageInfo"]["endCursor"]))["areas"]
    assert (len(rest["edges"]), rest["totalCount"]) == (1, 3)
