"""Whether community input gets the response it is owed: public figures per area and per
organisation, computed by the database (a handful of aggregate queries, whatever the
number of problems).

An area's figures cover the proposals made in it and in every area inside it, each counted
once: answered, or awaiting an answer. A referral is not an answer for the area (the
proposal still awaits one from its new owner), so `responded + awaiting = received`. Each
area figure is the board's filter of the same name (`problems.ProblemFilter`), so a figure
links to exactly the proposals it counts.

An organisation's figures cover every time a proposal reached it (routed there at
proposal, or referred to it later), judged by its own answer: for the organisation that
referred a proposal, the referral was its answer.

"Answered on time" is counted out of the proposals whose answer was due: answered, or
overdue (`answer_due`), never out of the answered alone. The figures count restricted
proposals too: they are totals, and reveal nothing of any one proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from backend.db import planned_for_the_values
from backend.models import Area, Problem, ProblemResolution, ProblemRouting
from backend.models.enums import DeclineReason, ProblemStatus, ResponseDecision
from backend.services import problems
from backend.services.areas import areas_within
from backend.services.organisations import get_organisation

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class AccountabilityStats:
    proposals_received: int
    responded: int
    responded_within_target: int
    awaiting_response: int
    referred: int
    overdue: int
    # Answered or overdue: what `responded_within_target` is out of.
    answer_due: int
    median_hours_to_first_response: float | None
    declined: int
    declined_by_reason: list[tuple[DeclineReason, int]]
    resolved: int
    # Closings the community's verdict disputed, reopening the problem.
    disputed_resolutions: int


def _start_of(since: date | None) -> datetime | None:
    return problems.start_of(since) if since else None


@dataclass(frozen=True)
class _Columns:
    """Which columns of a table say what the figures need."""

    received: str
    answered: Q
    hours: str
    on_time: Q
    due: str
    awaiting: Q
    referred: Q
    declined: Q
    reason: str
    resolved: Q
    # The problems whose closings count: all of an area's; those an organisation took on.
    problem: str
    taken_on: Q


def _per_proposal() -> _Columns:
    """Built when asked: its subqueries need the models ready."""
    return _Columns(
        received="created_at",
        answered=Q(answered=True),
        hours="first_response_hours",
        on_time=problems.answered_on_time(),
        due="response_due_at",
        awaiting=Q(answered=False),
        referred=problems.was_referred(),
        declined=Q(status=ProblemStatus.DECLINED),
        reason="decline_reason",
        resolved=Q(status=ProblemStatus.RESOLVED),
        problem="id",
        taken_on=Q(),
    )


def _per_routing(organisation_id: int) -> _Columns:
    """Built per organisation: which of its problems were resolved is read among those it
    owns (by the owner index), not among every problem."""
    resolved = Problem.filter(owner_id=organisation_id, status=ProblemStatus.RESOLVED)
    return _Columns(
        received="received_at",
        answered=Q(answered_at__isnull=False),
        hours="answer_hours",
        on_time=Q(answered_on_time=True),
        due="due_at",
        # Every answer owed closes its routing, so an open routing is an answer still owed.
        awaiting=Q(answered_at__isnull=True),
        referred=Q(decision=ResponseDecision.REFER),
        declined=Q(decision=ResponseDecision.DECLINE),
        reason="reason_code",
        # Accepted by this organisation (which so stays its owner), and since resolved.
        resolved=Q(decision=ResponseDecision.ACCEPT, problem_id__in=Subquery(resolved.values("id"))),
        problem="problem_id",
        taken_on=Q(decision=ResponseDecision.ACCEPT),
    )


_TOTALS = (
    "received",
    "responded",
    "on_time",
    "awaiting",
    "referred",
    "overdue",
    "declined",
    "resolved",
    "timed",
)


async def _figures(rows: QuerySet[Any], columns: _Columns, *, now: datetime) -> AccountabilityStats:
    def counted(condition: Q | None = None) -> Count:
        return Count("id", _filter=condition)

    timed = _where(f"{columns.hours}__isnull", False)
    totals = (
        await rows.annotate(
            received=counted(),
            responded=counted(columns.answered),
            on_time=counted(columns.on_time),
            awaiting=counted(columns.awaiting),
            referred=counted(columns.referred),
            overdue=counted(columns.awaiting & _where(f"{columns.due}__lt", now)),
            declined=counted(columns.declined),
            resolved=counted(columns.resolved),
            timed=counted(timed),
        )
        .first()
        .values(*_TOTALS)
    )
    assert totals is not None
    counts = {name: totals[name] or 0 for name in _TOTALS}
    reasons = (
        await rows.filter(columns.declined, **{f"{columns.reason}__isnull": False})
        .annotate(count=Count("id"))
        .group_by(columns.reason)
        .order_by(columns.reason)
        .values_list(columns.reason, "count")
    )
    return AccountabilityStats(
        proposals_received=counts["received"],
        responded=counts["responded"],
        responded_within_target=counts["on_time"],
        awaiting_response=counts["awaiting"],
        referred=counts["referred"],
        overdue=counts["overdue"],
        answer_due=counts["responded"] + counts["overdue"],
        # Time to the first official response of any kind, a referral included.
        median_hours_to_first_response=await _median(rows.filter(timed), columns.hours, counts["timed"]),
        declined=counts["declined"],
        declined_by_reason=sorted(
            ((DeclineReason(reason), count) for reason, count in reasons), key=lambda pair: -pair[1]
        ),
        resolved=counts["resolved"],
        disputed_resolutions=await ProblemResolution.filter(
            reopened_at__isnull=False,
            problem_id__in=Subquery(rows.filter(columns.taken_on).values(columns.problem)),
        ).count(),
    )


async def _median(rows: QuerySet[Any], column: str, count: int | None) -> float | None:
    """The middle value (the mean of the two middle ones for an even count), picked out by
    the database from the sorted values: SQLite has no median function."""
    if not count:
        return None
    middle = await rows.order_by(column).offset((count - 1) // 2).limit(2 - count % 2).values_list(column)
    values = [float(value) for (value,) in middle]
    return sum(values) / len(values)


def _where(condition: str, value: Any) -> Q:
    """A filter on a column named at run time."""
    return Q(**{condition: value})


def _since(rows: QuerySet[M], column: str, since: date | None) -> QuerySet[M]:
    start = _start_of(since)
    return rows.filter(**{f"{column}__gte": start}) if start else rows


async def for_area(area: Area, *, since: date | None, now: datetime) -> AccountabilityStats:
    proposals = _since(Problem.filter(area_id__in=await areas_within(area)), "created_at", since)
    # An area's proposals over a date range are best found by a plan made for the area's size
    # and the range (`planned_for_the_values`).
    async with planned_for_the_values():
        return await _figures(proposals, _per_proposal(), now=now)


async def for_organisation(organisation_id: int, *, since: date | None, now: datetime) -> AccountabilityStats:
    organisation = await get_organisation(organisation_id)
    routings = _since(ProblemRouting.filter(organisation_id=organisation.id), "received_at", since)
    # Planned once, unlike an area's: one organisation's routings are found alike whatever the
    # values (the busiest organisation's figures: 60 ms planned once, 82 ms for the values).
    return await _figures(routings, _per_routing(organisation.id), now=now)
