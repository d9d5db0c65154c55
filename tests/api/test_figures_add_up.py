"""An area's figures add up and say what they count: each proposal is answered or awaiting
(a referral is not an answer for the area), "on time" is out of the proposals whose answer
was due, and each figure's board filter lists exactly the proposals it counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models import Area, Problem
from backend.models.enums import DeclineReason, ProblemCategory, ResponseDecision
from backend.services import problems
from backend.services.actors import Actor
from neighbourhood import Neighbourhood, respond
from support import GraphQL

DAY = timedelta(days=1)
ANSWERED = ["ACCEPTED", "DECLINED", "DUPLICATE", "IN_PROGRESS", "RESOLVED", "UNRESOLVED"]
# What the web interface's figure links ask the board for (frontend_static/js/accountability.js).
BOARD_FILTERS: dict[str, dict[str, Any]] = {
    "proposalsReceived": {},
    "responded": {"statuses": ANSWERED},
    "respondedWithinTarget": {"answeredOnTime": True},
    "answerDue": {"answerDue": True},
    "awaitingResponse": {"statuses": ["PROPOSED", "REFERRED"]},
    "referred": {"referred": True},
    "overdue": {"responseOverdue": True},
    "declined": {"statuses": ["DECLINED"]},
    "resolved": {"statuses": ["RESOLVED"]},
}


async def propose(n: Neighbourhood, clock: ManualClock, area: Area, title: str) -> Problem:
    return await problems.propose(
        Actor(user=n.resident.user),
        area_id=area.id,
        title=title,
        description="Described.",
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        now=clock.now(),
    )


@pytest.fixture
async def start(neighbourhood: Neighbourhood, clock: ManualClock) -> datetime:
    """Seven proposals in Riverside (due in 14 days), read 30 days on; an older one before."""
    n = neighbourhood
    before = await propose(n, clock, n.ward, "Before the period")
    await respond(n.police_member, before, DAY, ResponseDecision.ACCEPT)
    clock.advance(days=10)
    start = clock.now()
    accepted = await propose(n, clock, n.ward, "Accepted in time")
    await respond(n.police_member, accepted, 2 * DAY, ResponseDecision.ACCEPT)
    declined = await propose(n, clock, n.ward, "Declined late")
    await respond(
        n.police_member, declined, 20 * DAY, ResponseDecision.DECLINE, reason_code=DeclineReason.OUTSIDE_AREA
    )
    duplicate = await propose(n, clock, n.district, "A duplicate")
    await respond(
        n.district_coordinator, duplicate, DAY, ResponseDecision.DUPLICATE, duplicate_of_id=accepted.id
    )
    # Referred on day 2: the council has 14 days from then, and accepts on day 20, late.
    answered_after_referral = await propose(n, clock, n.ward, "Referred, then accepted late")
    await respond(
        n.police_member, answered_after_referral, 2 * DAY, ResponseDecision.REFER, refer_to_id=n.council.id
    )
    await respond(n.council_member, answered_after_referral, 20 * DAY, ResponseDecision.ACCEPT)
    waiting_referral = await propose(n, clock, n.ward, "Referred, still waiting")
    await respond(
        n.police_member, waiting_referral, 2 * DAY, ResponseDecision.REFER, refer_to_id=n.council.id
    )
    await propose(n, clock, n.ward, "Never answered")
    clock.advance(days=25)
    await propose(n, clock, n.ward, "Not yet due")
    clock.set(start + 30 * DAY)
    return start


async def figures_of(gql: GraphQL, area: Area, since: str) -> dict[str, Any]:
    data = await gql("AreaAccountability", id=ids.encode("Area", area.id), since=since)
    result: dict[str, Any] = data["area"]["accountability"]
    return result


async def test_each_proposal_counts_once_answered_or_awaiting(
    gql: GraphQL, neighbourhood: Neighbourhood, start: datetime
) -> None:
    figures = await figures_of(gql, neighbourhood.force, start.date().isoformat())
    assert figures["proposalsReceived"] == 7
    # Accepted, declined, the duplicate, and the referral the council answered.
    assert figures["responded"] == 4
    # The referral still waiting, the one never answered, the one not yet due.
    assert figures["awaitingResponse"] == 3
    assert figures["responded"] + figures["awaitingResponse"] == figures["proposalsReceived"]
    assert figures["referred"] == 2
    assert figures["overdue"] == 2


async def test_answered_on_time_is_out_of_the_proposals_whose_answer_was_due(
    gql: GraphQL, neighbourhood: Neighbourhood, start: datetime
) -> None:
    figures = await figures_of(gql, neighbourhood.force, start.date().isoformat())
    # The accepted one and the duplicate were in time; the decline and the council's answer
    # came late; two are overdue; the last is not due yet, and counts in neither.
    assert figures["respondedWithinTarget"] == 2
    assert figures["answerDue"] == 6 == figures["responded"] + figures["overdue"]


async def test_an_organisation_counts_its_referral_as_its_answer(
    gql: GraphQL, neighbourhood: Neighbourhood, start: datetime
) -> None:
    n = neighbourhood
    data = await gql(
        "OrganisationAccountability",
        id=ids.encode("Organisation", n.police.id),
        since=start.date().isoformat(),
    )
    police = data["node"]["accountability"]
    # The police own antisocial behaviour in Riverside: every proposal reached them first.
    assert police["proposalsReceived"] == 7
    assert police["referred"] == 2
    assert police["responded"] + police["awaitingResponse"] == police["proposalsReceived"]


@pytest.mark.parametrize("since", [None, "start"])
async def test_each_figure_links_to_the_board_listing_what_it_counts(
    gql: GraphQL, neighbourhood: Neighbourhood, start: datetime, since: str | None
) -> None:
    n = neighbourhood
    day = start.date().isoformat() if since else None
    data = await gql("AreaAccountability", id=ids.encode("Area", n.force.id), since=day)
    figures = data["area"]["accountability"]
    period = {"areaId": ids.encode("Area", n.force.id), "proposedSince": day}
    for figure, wanted in BOARD_FILTERS.items():
        board = await gql("Problems", as_=n.admin.token, filter={**period, **wanted}, first=1)
        assert board["problems"]["totalCount"] == figures[figure], figure
    for row in figures["declinedByReason"]:
        wanted = {"statuses": ["DECLINED"], "declineReasons": [row["reasonCode"]]}
        board = await gql("Problems", as_=n.admin.token, filter={**period, **wanted}, first=1)
        assert board["problems"]["totalCount"] == row["count"], row
