"""Reading problems: the board's listing, its filters and search, and the comments shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.db import Condition, InOrder, Listed, RuledListing
from backend.errors import Invalid, NotFound
from backend.models import Area, Comment, Organisation, Problem, ProblemFollow, ProblemRouting, ProblemSupport
from backend.models.enums import (
    DeclineReason,
    ProblemCategory,
    ProblemInvolvement,
    ProblemStatus,
    ResponseDecision,
)
from backend.services.actors import Actor
from backend.services.areas import areas_within
from backend.services.problems.access import visible_to
from backend.services.standing import standing_of

# Search looks for at most this many words, each at most this long.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_WORD = 60


@dataclass(frozen=True)
class ProblemFilter:
    area_id: int | None = None
    statuses: Sequence[ProblemStatus] | None = None
    categories: Sequence[ProblemCategory] | None = None
    search: str | None = None
    response_overdue: bool | None = None
    owner_id: int | None = None
    # The filters below select exactly what each accountability figure counts, so that a
    # figure links to the board showing its proposals (`accountability` uses them too).
    proposed_since: date | None = None
    referred: bool | None = None
    answer_due: bool | None = None
    answered_on_time: bool | None = None
    decline_reasons: Sequence[DeclineReason] | None = None


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def overdue(now: datetime) -> Q:
    """Still awaiting its current owner's answer, past the day it was due."""
    return Q(answered=False, response_due_at__lt=now)


def was_referred() -> Q:
    """Passed on to another organisation at least once."""
    referrals = ProblemRouting.filter(decision=ResponseDecision.REFER)
    return Q(id__in=Subquery(referrals.values("problem_id")))


def answer_due(now: datetime) -> Q:
    """Answered, or past its due day: the proposals "answered on time" is counted out of."""
    return Q(answered=True) | overdue(now)


def answered_on_time() -> Q:
    """Answered (a referral is not an answer) by the day due when the answer came: a
    referral gives the new owner its own response time."""
    in_time = ProblemRouting.filter(answered_on_time=True).exclude(decision=ResponseDecision.REFER)
    return Q(answered=True, id__in=Subquery(in_time.values("problem_id")))


def search_words(search: str) -> list[str]:
    words = search.split()
    if len(words) > MAX_SEARCH_WORDS:
        raise Invalid(f"Search for at most {MAX_SEARCH_WORDS} words", field="search")
    if any(len(word) > MAX_SEARCH_WORD for word in words):
        raise Invalid(f"Each word of a search can be at most {MAX_SEARCH_WORD} characters", field="search")
    if any("\x00" in word for word in words):
        raise Invalid("The search has characters that cannot be shown; take them out", field="search")
    return words


# Every problem a person may see, newest first (the board's other orders are asked of the
# listing): the read rule is the problems' own (`visible_to`).
PROBLEMS = RuledListing(Problem, ("id",), visible_to, descending=True)


async def listing(actor: Actor, criteria: ProblemFilter, *, now: datetime) -> Listed[Problem]:
    """The problems the actor may see that meet the criteria, to page. The criteria are the
    filters the accountability figures and other read paths share, rendered by the ORM only
    when some are given: the board as it first opens asks none."""
    filters: list[Q] = []
    if criteria.area_id is not None:
        area = await Area.get_or_none(id=criteria.area_id)
        if area is None:
            raise NotFound("No area has that ID.", field="areaId")
        # An area's board shows the problems of the areas inside it too.
        filters.append(Q(area_id__in=await areas_within(area)))
    if criteria.statuses is not None:
        filters.append(Q(status__in=list(criteria.statuses)))
    if criteria.categories is not None:
        filters.append(Q(category__in=list(criteria.categories)))
    if criteria.search:
        # Every word must appear, in the title or the description, in any case.
        for word in search_words(criteria.search):
            filters.append(Q(title__icontains=word) | Q(description__icontains=word))
    if criteria.response_overdue is not None:
        filters.append(_either(overdue(now), criteria.response_overdue))
    filters += await _by_figures(criteria, now=now)
    conditions = [Condition.rendered(Problem, Q(*filters))] if filters else []
    return PROBLEMS.of(await standing_of(actor), conditions)


async def _by_figures(criteria: ProblemFilter, *, now: datetime) -> list[Q]:
    """The filters that reproduce the accountability figures, and the owner."""
    filters = []
    if criteria.owner_id is not None:
        if not await Organisation.exists(id=criteria.owner_id):
            raise NotFound("No organisation has that ID.", field="ownerId")
        filters.append(Q(owner_id=criteria.owner_id))
    if criteria.proposed_since is not None:
        filters.append(Q(created_at__gte=start_of(criteria.proposed_since)))
    if criteria.referred is not None:
        filters.append(_either(was_referred(), criteria.referred))
    if criteria.answer_due is not None:
        filters.append(_either(answer_due(now), criteria.answer_due))
    if criteria.answered_on_time is not None:
        filters.append(_either(answered_on_time(), criteria.answered_on_time))
    if criteria.decline_reasons is not None:
        filters.append(Q(decline_reason__in=list(criteria.decline_reasons)))
    return filters


def _either(condition: Q, wanted: bool) -> Q:
    return condition if wanted else ~condition


def is_response_overdue(problem: Problem, now: datetime) -> bool:
    return not problem.answered and problem.response_due_at < now


# The comments on a problem the reader may see, oldest first: hidden ones are left out.
SHOWN_COMMENTS = InOrder(Comment, ("id",), equal=("problem_id",), null=("hidden_at",))


async def involving(actor: Actor, involvement: ProblemInvolvement) -> QuerySet[Problem]:
    """The problems the signed-in actor takes part in so, unordered (the caller pages).

    The read rule still applies: a restricted proposal they support but may no longer see
    (say, after leaving the owning organisation) is left out, as everywhere else.
    """
    user = actor.require_user()
    if involvement is ProblemInvolvement.PROPOSED:
        involved = Q(proposer_id=user.id)
    else:
        rows = ProblemSupport if involvement is ProblemInvolvement.SUPPORTED else ProblemFollow
        taken_part = Subquery(rows.filter(user_id=user.id).values("problem_id"))
        involved = Q(id__in=taken_part) & ~Q(proposer_id=user.id)
    return Problem.filter(involved, visible_to(await standing_of(actor)))
