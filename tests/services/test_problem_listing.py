"""The board's pages and counts, put together without the ORM (`db.RuledListing`), hold exactly
the problems the ORM's own filters select for the same viewer and criteria, in each of the
board's orders, from every cursor, on either database: the read rule (public, a person's own
proposals, their organisation's, their areas', everything to an admin) and each criterion,
the accountability figures' included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from tortoise.expressions import Q

from backend.api.pagination import encode_cursor, paginate_listed
from backend.api.problems import ORDERS, ProblemOrder
from backend.clock import ManualClock
from backend.db import Condition
from backend.models import Area, Problem
from backend.models.enums import (
    DeclineReason,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    Visibility,
)
from backend.services import problems
from backend.services.actors import Actor
from backend.services.problems.access import visible_to
from backend.services.problems.reading import (
    ProblemFilter,
    answer_due,
    answered_on_time,
    listing,
    overdue,
    was_referred,
)
from backend.services.standing import standing_of
from neighbourhood import Neighbourhood, respond
from support import Person, every_page

DAY = timedelta(days=1)


async def _as_the_orm_selects(
    actor: Actor, criteria: ProblemFilter, now: datetime, order: ProblemOrder
) -> list[int]:
    """The problems the ORM's own filters select, in the board's order: what it must hold."""
    found = Problem.filter(visible_to(await standing_of(actor)))
    if criteria.area_id is not None:
        area = await Area.get(id=criteria.area_id)
        inside = await Area.filter(path__startswith=area.path).values_list("id", flat=True)
        found = found.filter(area_id__in=list(inside))
    if criteria.statuses is not None:
        found = found.filter(status__in=list(criteria.statuses))
    if criteria.categories is not None:
        found = found.filter(category__in=list(criteria.categories))
    for word in (criteria.search or "").split():
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word))
    figures = (
        (criteria.response_overdue, overdue(now)),
        (criteria.referred, was_referred()),
        (criteria.answer_due, answer_due(now)),
        (criteria.answered_on_time, answered_on_time()),
    )
    for wanted, condition in figures:
        if wanted is not None:
            found = found.filter(condition if wanted else ~condition)
    if criteria.owner_id is not None:
        found = found.filter(owner_id=criteria.owner_id)
    if criteria.proposed_since is not None:
        found = found.filter(created_at__gte=criteria.proposed_since)
    if criteria.decline_reasons is not None:
        found = found.filter(decline_reason__in=list(criteria.decline_reasons))
    keys, descending = ORDERS[order]
    return list(
        await found.order_by(*(f"-{k}" if descending else k for k in keys)).values_list("id", flat=True)
    )


async def _paged(
    actor: Actor, criteria: ProblemFilter, now: datetime, order: ProblemOrder, size: int
) -> tuple[list[int], int]:
    """Every problem of the board, a page of `size` at a time from each cursor, and its count."""
    keys, descending = ORDERS[order]
    return await every_page(
        (await listing(actor, criteria, now=now)).ordered(keys, descending=descending), size
    )


async def _propose(
    n: Neighbourhood, clock: ManualClock, person: Person, area: Area, title: str, **more: Any
) -> Problem:
    clock.advance(hours=1)
    return await problems.propose(
        Actor(user=person.user),
        area_id=area.id,
        title=title,
        description=more.pop("description", "Described."),
        category=more.pop("category", ProblemCategory.ANTISOCIAL_BEHAVIOUR),
        now=clock.now(),
        **more,
    )


@pytest.fixture
async def board(neighbourhood: Neighbourhood, clock: ManualClock) -> Neighbourhood:
    """Proposals in every place, state and visibility the rule and the criteria tell apart."""
    n = neighbourhood
    racing = await _propose(
        n, clock, n.resident, n.ward, "Racing cars", description="Every night on Mill Lane."
    )
    tipping = await _propose(
        n,
        clock,
        n.neighbour,
        n.ward,
        "Fly-tipping",
        description="By the canal.",
        category=ProblemCategory.ENVIRONMENT,
    )
    dealing = await _propose(n, clock, n.resident, n.district, "Dealing", category=ProblemCategory.DRUGS)
    await _propose(
        n, clock, n.resident, n.other_force, "Stolen bikes", category=ProblemCategory.THEFT_AND_BURGLARY
    )
    await _propose(n, clock, n.neighbour, n.ward, "100% sure_thing", visibility=Visibility.RESTRICTED)
    await _propose(
        n, clock, n.resident, n.other_force, "Hidden in Hillside", visibility=Visibility.RESTRICTED
    )
    referred = await _propose(n, clock, n.neighbour, n.ward, "Graffiti on the bridge")
    for supporter in (n.neighbour, n.council_member):
        await problems.support(Actor(user=supporter.user), problem_id=dealing.id, now=clock.now())
    await problems.support(Actor(user=n.neighbour.user), problem_id=racing.id, now=clock.now())
    await respond(n.police_member, racing, 2 * DAY, ResponseDecision.ACCEPT)
    outside = DeclineReason.OUTSIDE_AREA
    await respond(n.district_coordinator, tipping, 2 * DAY, ResponseDecision.DECLINE, reason_code=outside)
    await respond(n.police_member, referred, 2 * DAY, ResponseDecision.REFER, refer_to_id=n.council.id)
    # Hillside answers in 7 days, Northshire in 14: Hillside's are overdue, the rest not yet.
    clock.advance(days=11)
    return n


CRITERIA: list[dict[str, Any]] = [
    {},
    {"statuses": (ProblemStatus.PROPOSED, ProblemStatus.REFERRED)},
    {"statuses": ()},
    {"categories": (ProblemCategory.DRUGS, ProblemCategory.ENVIRONMENT)},
    {"search": "mill LANE"},
    {"search": "100%"},
    {"search": "sure_thing"},
    {"search": "%"},
    {"response_overdue": True},
    {"response_overdue": False},
    {"referred": True},
    {"referred": False},
    {"answer_due": True},
    {"answered_on_time": True},
    {"answered_on_time": False},
    {"decline_reasons": (DeclineReason.OUTSIDE_AREA,)},
    {
        "proposed_since": date(2000, 1, 1),
        "answer_due": False,
        "categories": (ProblemCategory.ANTISOCIAL_BEHAVIOUR,),
    },
]


async def test_the_board_holds_what_the_orm_selects_for_every_viewer_criterion_and_order(
    board: Neighbourhood, clock: ManualClock
) -> None:
    n = board
    now = clock.now()
    viewers = {"anonymous": Actor(user=None)} | {
        name: Actor(user=getattr(n, name).user)
        for name in ("neighbour", "resident", "police_member", "council_member", "other_coordinator", "admin")
    }
    places = [{"area_id": area.id} for area in (n.force, n.district, n.ward, n.other_force)]
    owners = [{"owner_id": organisation.id} for organisation in (n.police, n.council)]
    seen: dict[str, set[int]] = {}
    for name, viewer in viewers.items():
        for fields in CRITERIA + places + owners:
            criteria = ProblemFilter(**fields)
            for order in ProblemOrder:
                expected = await _as_the_orm_selects(viewer, criteria, now, order)
                for size in (1, 3, 20):
                    found = await _paged(viewer, criteria, now, order, size)
                    assert found == (expected, len(expected)), (name, fields, order, size)
                seen.setdefault(name, set()).update(expected)
    # The viewers differ where they must: each restricted proposal reaches its own people.
    assert len(seen["anonymous"]) == 5
    assert seen["council_member"] == seen["anonymous"]
    assert len(seen["neighbour"]) == len(seen["resident"]) == len(seen["police_member"]) == 6
    assert seen["neighbour"] != seen["resident"]
    assert len(seen["admin"]) == 7
    # And the figures' filters tell the problems apart.
    late = await _as_the_orm_selects(
        viewers["admin"], ProblemFilter(response_overdue=True), now, ProblemOrder.NEWEST
    )
    assert set(await Problem.filter(id__in=late).values_list("title", flat=True)) == {
        "Stolen bikes",
        "Hidden in Hillside",
    }
    referred = await _as_the_orm_selects(
        viewers["admin"], ProblemFilter(referred=True), now, ProblemOrder.NEWEST
    )
    assert len(referred) == 1


async def test_a_cursor_resumes_beyond_a_count_shared_by_two_problems(
    board: Neighbourhood, clock: ManualClock
) -> None:
    # Problems with as many supports come newest first, and a page may end between them.
    keys, descending = ORDERS[ProblemOrder.MOST_SUPPORTED]
    listed = (await listing(Actor(user=None), ProblemFilter(), now=clock.now())).ordered(
        keys, descending=descending
    )
    # A proposer supports their own: three public problems have that one support alone.
    alone = await Problem.filter(visibility=Visibility.PUBLIC, support_count=1).order_by("-id")
    assert len(alone) == 3
    first = await paginate_listed(listed, first=3, after=None)
    assert [problem.support_count for problem in first.rows] == [3, 2, 1]
    assert first.cursors[-1] == encode_cursor([1, alone[0].id])
    second = await paginate_listed(listed, first=1, after=first.cursors[-1])
    assert [problem.id for problem in second.rows] == [alone[1].id]


async def test_a_filter_that_needs_another_table_in_the_statement_is_refused(board: Neighbourhood) -> None:
    # A condition on a joined column cannot be put beside the rule: it is refused, never misread.
    with pytest.raises(ValueError, match="did not render as one condition"):
        Condition.rendered(Problem, Q(area__name="Mill Lane"))
