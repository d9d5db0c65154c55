"""The officers' work queue: the proposals a person must answer, most pressing first.

A proposal is in someone's queue while it awaits its owner's answer and they answer for it
(`access.answers_for`): they belong to the organisation that owns it, or they coordinate
its area or an area above. The queue is read in SQL, one page and one count whatever its
length, through the same read rule as the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from backend.models import Problem
from backend.services.actors import Actor
from backend.services.problems.access import visible_to
from backend.services.standing import Standing, standing_of

# The queue's order, for keyset pages: the soonest due first, so the overdue (due in the
# past) come before those still in time; the id breaks ties.
QUEUE_ORDER = ("response_due_at", "id")


@dataclass(frozen=True)
class QueueCounts:
    """How many proposals await the person's answer, and how many of those are overdue."""

    awaiting: int
    overdue: int


def answered_by(standing: Standing) -> Q:
    """The proposals this person answers for, as a filter (the SQL side of `answers_for`)."""
    theirs = []
    if standing.organisation_ids:
        theirs.append(Q(owner_id__in=sorted(standing.organisation_ids)))
    if standing.coordinated_paths:
        theirs.append(standing.in_coordinated_areas())
    return Q(*theirs, join_type="OR") if theirs else Q(pk__in=[])


def has_queue(standing: Standing) -> bool:
    """Whether the person answers for anything at all: organisation members and coordinators."""
    return bool(standing.organisation_ids or standing.coordinated_paths)


async def response_queue(actor: Actor) -> QuerySet[Problem]:
    """The proposals awaiting the actor's answer, unordered (the caller pages in `QUEUE_ORDER`)."""
    standing = await standing_of(actor)
    # `answered` is false exactly while a proposal awaits its current owner's answer.
    return Problem.filter(visible_to(standing), answered_by(standing), answered=False)


async def queue_counts(actor: Actor, *, now: datetime) -> QueueCounts:
    """The queue's size and its overdue part, in one statement."""
    queue = await response_queue(actor)
    totals = (
        await queue.annotate(awaiting=Count("id"), overdue=Count("id", _filter=Q(response_due_at__lt=now)))
        .first()
        .values("awaiting", "overdue")
    )
    assert totals is not None
    return QueueCounts(awaiting=totals["awaiting"] or 0, overdue=totals["overdue"] or 0)
