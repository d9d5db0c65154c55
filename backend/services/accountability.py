"""Whether community input gets the response it is owed: public figures per area and per
organisation, computed by the database (a handful of aggregate queries, whatever the
number of problems).

An area's figures cover the proposals made in it and in every area inside it, one per
proposal, judged by its first official response. An organisation's figures cover every
time a proposal reached it (routed there at proposal, or referred to it later), judged by
its own answer. The figures count restricted proposals too: they are totals, and reveal
nothing of any one proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from backend.models import Area, Problem, ProblemResolution, ProblemRouting
from backend.models.enums import DeclineReason, ProblemStatus, ResponseDecision
from backend.services.areas import areas_within
from backend.services.organisations import get_organisation
from backend.services.problems import AWAITING_RESPONSE

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class AccountabilityStats:
    proposals_received: int
    responded: int
    responded_within_target: int
    awaiting_response: int
    overdue: int
    median_hours_to_first_response: float | None
    declined: int
    declined_by_reason: list[tuple[DeclineReason, int]]
    resolved: int
    # Closings the community's verdict disputed, reopening the problem.
    disputed_resolutions: int


def _start_of(since: date | None) -> datetime | None:
    return datetime.combine(since, time.min, tzinfo=UTC) if since else None


@dataclass(frozen=True)
class _Columns:
    """Which columns of a table say what the figures need."""

    received: str
    answered: str
    hours: str
    on_time: str
    due: str
    awaiting: Q
    declined: Q
    reason: str
    resolved: Q
    # The problems whose closings count: all of an area's; those an organisation took on.
    problem: str
    taken_on: Q


PER_PROPOSAL = _Columns(
    received="created_at",
    answered="first_responded_at",
    hours="first_response_hours",
    on_time="first_response_on_time",
    due="response_due_at",
    awaiting=Q(status__in=list(AWAITING_RESPONSE)),
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
        answered="answered_at",
        hours="answer_hours",
        on_time="answered_on_time",
        due="due_at",
        # Every answer owed closes its routing, so an open routing is an answer still owed.
        awaiting=Q(answered_at__isnull=True),
        declined=Q(decision=ResponseDecision.DECLINE),
        reason="reason_code",
        # Accepted by this organisation (which so stays its owner), and since resolved.
        resolved=Q(decision=ResponseDecision.ACCEPT, problem_id__in=Subquery(resolved.values("id"))),
        problem="problem_id",
        taken_on=Q(decision=ResponseDecision.ACCEPT),
    )


async def _figures(rows: QuerySet[Any], columns: _Columns, *, now: datetime) -> AccountabilityStats:
    def counted(condition: Q | None = None) -> Count:
        return Count("id", _filter=condition)

    answered = _where(f"{columns.answered}__isnull", False)
    totals = (
        await rows.annotate(
            received=counted(),
            responded=counted(answered),
            on_time=counted(_where(columns.on_time, True)),
            awaiting=counted(columns.awaiting),
            overdue=counted(columns.awaiting & _where(f"{columns.due}__lt", now)),
            declined=counted(columns.declined),
            resolved=counted(columns.resolved),
        )
        .first()
        .values("received", "responded", "on_time", "awaiting", "overdue", "declined", "resolved")
    )
    assert totals is not None
    reasons = (
        await rows.filter(columns.declined, **{f"{columns.reason}__isnull": False})
        .annotate(count=Count("id"))
        .group_by(columns.reason)
        .order_by(columns.reason)
        .values_list(columns.reason, "count")
    )
    return AccountabilityStats(
        proposals_received=totals["received"] or 0,
        responded=totals["responded"] or 0,
        responded_within_target=totals["on_time"] or 0,
        awaiting_response=totals["awaiting"] or 0,
        overdue=totals["overdue"] or 0,
        median_hours_to_first_response=await _median(
            rows.filter(answered), columns.hours, totals["responded"]
        ),
        declined=totals["declined"] or 0,
        declined_by_reason=sorted(
            ((DeclineReason(reason), count) for reason, count in reasons), key=lambda pair: -pair[1]
        ),
        resolved=totals["resolved"] or 0,
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
    return await _figures(proposals, PER_PROPOSAL, now=now)


async def for_organisation(organisation_id: int, *, since: date | None, now: datetime) -> AccountabilityStats:
    organisation = await get_organisation(organisation_id)
    routings = _since(ProblemRouting.filter(organisation_id=organisation.id), "received_at", since)
    return await _figures(routings, _per_routing(organisation.id), now=now)
