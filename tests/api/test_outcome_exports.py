"""An area's outcomes and accountability as CSV: the area and those inside it, only what the
caller may see, UTF-8 with a header row, formula-like text escaped."""

from __future__ import annotations

import csv
import io

import httpx
from outcomes_support import measure_on, record

from backend import ids
from backend.services import outcomes
from neighbourhood import Neighbourhood
from support import GraphQL, Person, payload


async def download(
    client: httpx.AsyncClient, n: Neighbourhood, area_id: str, name: str, who: Person | None = None
) -> list[dict[str, str]]:
    headers = {"Authorization": f"Bearer {who.token}"} if who else {}
    response = await client.get(f"/export/areas/{area_id}/{name}.csv", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = list(outcomes.OUTCOMES_HEADER if name == "outcomes" else outcomes.ACCOUNTABILITY_HEADER)
    assert rows[0] == header
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


async def test_the_outcomes_file_has_a_row_per_reading_of_what_the_caller_may_see(
    gql: GraphQL, neighbourhood: Neighbourhood, client: httpx.AsyncClient
) -> None:
    n = neighbourhood
    public = await n.accepted_problem(gql, title='=HYPERLINK("http://evil")')
    restricted = await n.accepted_problem(gql, visibility="RESTRICTED", title="Dealing from number 14")
    elsewhere = await n.accepted_problem(gql, area=n.other_force, category="DRUGS", title="In Hillside")
    for problem_id, coordinator in ((public, n.police_member), (restricted, n.police_member)):
        measure_id = await measure_on(gql, n, problem_id)
        for value, day in ((35, "2025-11-01"), (-2.5, "2025-12-01")):
            assert payload(await record(gql, coordinator, measure_id, value, day, "+44 note"))["errors"] == []
    hillside_measure = payload(
        await gql(
            "DefineOutcomeMeasure",
            as_=n.other_coordinator.token,
            input={
                "problemId": ids.encode("Problem", elsewhere),
                "name": "Needles found",
                "unit": "a week",
                "direction": "DECREASE",
                "baseline": 9,
                "baselineOn": "2025-10-01",
                "target": 1,
                "targetOn": "2026-10-01",
            },
        )
    )["measure"]["id"]
    assert payload(await record(gql, n.other_coordinator, hillside_measure, 5, "2025-12-01"))["errors"] == []

    anonymous = await download(client, n, n.area_id(n.district), "outcomes")
    assert [row["problem_id"] for row in anonymous] == [ids.encode("Problem", public)] * 2
    first = anonymous[0]
    assert first["problem"] == '\'=HYPERLINK("http://evil")'
    assert (first["measure"], first["unit"], first["direction"]) == (
        "Complaints of racing",
        "complaints a month",
        "DECREASE",
    )
    assert (first["baseline"], first["baseline_on"], first["target"], first["target_on"]) == (
        "40.0",
        "2025-10-01",
        "10.0",
        "2026-06-30",
    )
    assert (first["value"], first["observed_on"], first["note"]) == ("35.0", "2025-11-01", "'+44 note")
    assert anonymous[1]["value"] == "-2.5"  # numbers are not text: left as they are
    assert first["area"] == "Mill Lane"

    owner = await download(client, n, n.area_id(n.force), "outcomes", n.police_member)
    assert {row["problem_id"] for row in owner} == {ids.encode("Problem", p) for p in (public, restricted)}
    everywhere = await download(client, n, n.area_id(n.other_force), "outcomes", n.police_member)
    assert [row["measure"] for row in everywhere] == ["Needles found"]


async def test_the_accountability_file_has_a_row_per_proposal_the_caller_may_see(
    gql: GraphQL, neighbourhood: Neighbourhood, client: httpx.AsyncClient
) -> None:
    n = neighbourhood
    answered = await n.propose(gql, title="@SUM(A1:A9) on the lane")
    await n.propose(gql, title="Dealing from number 14", visibility="RESTRICTED")
    accept = {"problemId": answered["id"], "decision": "ACCEPT", "body": "We will look."}
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=accept))["errors"] == []

    anonymous = await download(client, n, n.area_id(n.ward), "accountability")
    (row,) = anonymous
    assert row["problem_id"] == answered["id"]
    assert row["problem"] == "'@SUM(A1:A9) on the lane"
    assert (row["owner"], row["decision"], row["on_time"], row["first_response_hours"]) == (
        "Northshire Police",
        "ACCEPT",
        "yes",
        "0.0",
    )
    assert row["status"] == "ACCEPTED" and row["area"] == "Mill Lane"
    coordinator = await download(client, n, n.area_id(n.force), "accountability", n.force_coordinator)
    assert len(coordinator) == 2
    unanswered = next(r for r in coordinator if r["problem_id"] != answered["id"])
    assert (unanswered["decision"], unanswered["on_time"], unanswered["first_responded_at"]) == ("", "", "")


async def test_an_unknown_area_is_not_found(client: httpx.AsyncClient, neighbourhood: Neighbourhood) -> None:
    for area_id in (ids.encode("Area", 999), ids.encode("Problem", 1), "garbage"):
        response = await client.get(f"/export/areas/{area_id}/outcomes.csv")
        assert response.status_code == 404
