"""`Area.ladder`, `Area.ladderMovement` and `Area.ladderHistory`: every rung listed, moves as
the snapshots tell them, and a fixed number of statements however many people are on it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from backend import db
from backend.clock import ManualClock
from backend.models import Activity, User
from backend.models.enums import ActivityKind, ParticipationRung
from backend.services.activity import RUNG_REACHED
from backend.services.ladder import snapshots
from backend.settings import Settings
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter
from workers.jobs import snapshot_ladder

RUNGS = [rung.name for rung in ParticipationRung]


async def took_part(
    clock: ManualClock, neighbourhood: Neighbourhood, person: Person, kind: ActivityKind
) -> None:
    await Activity.create(
        person_id=person.user.id,
        area_id=neighbourhood.ward.id,
        kind=kind,
        rung=RUNG_REACHED[kind],
        occurred_at=clock.now(),
    )


async def area_ladder(gql: GraphQL, n: Neighbourhood, clock: ManualClock, **variables: Any) -> dict[str, Any]:
    since = (snapshots.day_of(clock.now()) - timedelta(days=90)).isoformat()
    data = await gql("AreaLadder", id=n.area_id(n.district), since=since, **variables)
    area: dict[str, Any] = data["area"]
    return area


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["rung"]: row["count"] for row in rows}


async def test_the_ladder_lists_every_rung_in_order_and_moves_since_a_date(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await User.all().update(home_area_id=None)
    await User.filter(id=n.moderator.user.id).update(home_area_id=n.ward.id)
    await took_part(clock, n, n.resident, ActivityKind.COMMENTED)
    await took_part(clock, n, n.neighbour, ActivityKind.TASK_COMPLETED)
    await snapshot_ladder({"clock": clock})
    clock.advance(days=40)
    await took_part(clock, n, n.resident, ActivityKind.SUPPORTED)
    await took_part(clock, n, n.council_member, ActivityKind.FOLLOWED)

    area = await area_ladder(gql, n, clock)
    assert [row["rung"] for row in area["ladder"]] == RUNGS
    assert counts(area["ladder"]) == {
        **dict.fromkeys(RUNGS, 0),
        "NONE": 1,
        "PASSIVE": 1,
        "ACTIVIST": 1,
        "VOLUNTEER": 1,
    }
    # The latest snapshot is the only one: nothing has moved yet, as far as history knows.
    assert area["ladderMovement"] == []

    await snapshot_ladder({"clock": clock})
    area = await area_ladder(gql, n, clock)
    assert area["ladderMovement"] == [
        {"from": "CONVERSATION", "to": "ACTIVIST", "count": 1},
        {"from": "NONE", "to": "PASSIVE", "count": 1},
    ]
    first, second = area["ladderHistory"]
    assert (first["month"], second["month"]) == ("2026-01-01", "2026-02-01")
    assert counts(first["counts"]) == {
        **dict.fromkeys(RUNGS, 0),
        "NONE": 1,
        "CONVERSATION": 1,
        "VOLUNTEER": 1,
    }
    assert counts(second["counts"]) == counts(area["ladder"])


async def test_the_history_refuses_a_number_of_months_out_of_range(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    query = "query($id: ID!, $months: Int) { area(id: $id) { ladderHistory(months: $months) { day } } }"
    for months in (0, 37):
        body = await gql.raw(query, {"id": n.area_id(n.ward), "months": months})
        assert body["errors"][0]["message"] == "`months` must be between 1 and 36."
    body = await gql.raw(query, {"id": n.area_id(n.ward), "months": 36})
    assert body == {"data": {"area": {"ladderHistory": []}}}


async def test_the_area_ladder_costs_the_same_statements_for_2_and_for_20_people(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People, clock: ManualClock, settings: Settings
) -> None:
    n = neighbourhood
    kinds = list(RUNG_REACHED)

    async def statements() -> int:
        with QueryCounter() as queries:
            await area_ladder(gql, n, clock)
        return queries.count

    for person in (n.resident, n.neighbour):
        await took_part(clock, n, person, ActivityKind.COMMENTED)
    await snapshot_ladder({"clock": clock})
    clock.advance(days=1)
    await snapshot_ladder({"clock": clock})
    few = await statements()

    for index in range(18):
        await took_part(clock, n, await people.make(), kinds[index % len(kinds)])
    clock.advance(days=1)
    await snapshot_ladder({"clock": clock})
    many = await statements()

    assert len((await area_ladder(gql, n, clock))["ladderMovement"]) > 1
    assert few == many
    # The area; the ladder (the areas within, acts, groups, follows, residents); the days
    # compared (on or before the date, the first, the latest) and their rungs; the months'
    # snapshots and their counts. On PostgreSQL, the setting that plans the ladder for its
    # values (`db.planned_for_the_values`).
    assert many == 1 + 5 + 4 + 2 + (1 if db.is_postgres(settings.database_url) else 0)
