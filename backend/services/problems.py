"""Problems: proposals, and the presumption that every one gets an official response.

A proposal is routed on creation to an owner (the area's routing rule for its category,
else the nearest area above that has one, else nobody: the area's coordinators answer)
and owes a response within the area's response time. Each time a proposal reaches an
owner (at proposal, and at each referral) is a `ProblemRouting`: its answer and its
escalations are recorded there, once each.

A RESTRICTED problem exists only for its proposer, the owner's members, the coordinators
of its area (or of an area above) and platform admins; for anyone else every read and
write answers NOT_FOUND, exactly as for a problem that does not exist.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tortoise.expressions import F, Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.errors import Forbidden, Invalid, InvalidState, NotFound
from backend.links import problem_link
from backend.models import (
    Area,
    AreaRole,
    Comment,
    Organisation,
    OrganisationMembership,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemRouting,
    ProblemSupport,
    ProblemUpdate,
    RoutingRule,
    User,
)
from backend.models.enums import (
    ActivityKind,
    AreaRoleKind,
    DeclineReason,
    NotificationKind,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    SubjectKind,
    Visibility,
)
from backend.services import activity, notifications, personal_data, rate_limits, validation
from backend.services.actors import Actor
from backend.services.areas import areas_within, get_area, response_days
from backend.services.audiences import Subject
from backend.services.personal_data import NO_LONGER_VISIBLE, Sections
from backend.services.standing import Standing, standing_of
from backend.settings import DEFAULT_RATE_LIMITS, RateLimits

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_BODY = 5_000
MAX_COMMENT = 2_000
MAX_REASON = 500
# Public locations are rounded to this many decimal places of a degree: 0.001° is about
# 111 m north-south, and less east-west away from the equator.
PUBLIC_LOCATION_DECIMALS = 3
# Search looks for at most this many words, each at most this long.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_WORD = 60

ANSWERERS = "members of the owning organisation and the area's coordinators"
# Proposals still waiting for their owner's answer.
AWAITING_RESPONSE = (ProblemStatus.PROPOSED, ProblemStatus.REFERRED)
# Accepted problems being worked on, whose SARA stage can move.
BEING_WORKED_ON = (ProblemStatus.ACCEPTED, ProblemStatus.IN_PROGRESS)
# The stages an accepted problem moves through, in order.
STAGES_AFTER_ACCEPTANCE = (SaraStage.ANALYSIS, SaraStage.RESPONSE, SaraStage.ASSESSMENT)


# ------------------------------------------------------------------ reading


def visible_to(standing: Standing) -> Q:
    """The problems this person may see, as a filter: the same rule on every read path."""
    if standing.is_admin:
        return Q()
    seen = Q(visibility=Visibility.PUBLIC)
    if standing.user_id is not None:
        seen |= Q(proposer_id=standing.user_id)
    if standing.organisation_ids:
        seen |= Q(owner_id__in=sorted(standing.organisation_ids))
    if standing.coordinated_paths:
        seen |= standing.in_coordinated_areas()
    return seen


def may_see(standing: Standing, problem: Problem, area: Area) -> bool:
    return (
        problem.visibility == Visibility.PUBLIC
        or standing.is_admin
        or problem.proposer_id == standing.user_id
        or answers_for(standing, problem, area)
    )


def answers_for(standing: Standing, problem: Problem, area: Area) -> bool:
    """Owes the official response: the owner organisation's members, and the coordinators
    of the problem's area or of any area above it."""
    return standing.member_of(problem.owner_id) or standing.coordinates(area)


class ProblemReaders:
    """`may_see`, for whole audiences at once and in SQL: who may receive news of a problem."""

    async def readers_among(self, subject_id: int, people: Collection[int]) -> set[int]:
        problem = await Problem.get_or_none(id=subject_id)
        if problem is None:
            return set()
        if problem.visibility == Visibility.PUBLIC:
            return set(people)
        area = await Area.get(id=problem.area_id)
        coordinators = AreaRole.filter(area_id__in=area.ancestor_ids, role=AreaRoleKind.COORDINATOR)
        owners = OrganisationMembership.filter(organisation_id=problem.owner_id)
        readers = (
            Q(id=problem.proposer_id)
            | Q(is_admin=True)
            | Q(id__in=Subquery(owners.values("user_id")))
            | Q(id__in=Subquery(coordinators.values("user_id")))
        )
        return set(await int_column(User.filter(readers, id__in=sorted(set(people))), "id"))

    def readable_by(self, standing: Standing) -> QuerySet[Problem]:
        return Problem.filter(visible_to(standing))


READERS = ProblemReaders()


def _about(problem: Problem) -> Subject:
    return Subject(SubjectKind.PROBLEM, problem.id)


def may_respond(standing: Standing, problem: Problem, area: Area) -> bool:
    """Whether the person may give the official response now: they answer for it, and it
    still awaits one."""
    return problem.status in AWAITING_RESPONSE and answers_for(standing, problem, area)


def may_set_stage(standing: Standing, problem: Problem, area: Area) -> bool:
    """Whether the person may move it through the SARA stages now: they answer for it, and
    it has been accepted and is being worked on."""
    return problem.status in BEING_WORKED_ON and answers_for(standing, problem, area)


def may_post_update(standing: Standing, problem: Problem, area: Area) -> bool:
    return answers_for(standing, problem, area)


def may_hide_comments(standing: Standing, area: Area) -> bool:
    return standing.moderates(area)


def answering_organisation(standing: Standing, problem: Problem) -> int | None:
    """The organisation an answer speaks for: the owner, when the author is its member;
    None when they answer as a coordinator."""
    return problem.owner_id if standing.member_of(problem.owner_id) else None


def sees_exact_location(standing: Standing, problem: Problem, area: Area) -> bool:
    return problem.proposer_id == standing.user_id or answers_for(standing, problem, area)


def public_location(latitude: float, longitude: float) -> tuple[float, float]:
    """Rounded to about 100 m, so a public map never points at one house."""
    return round(latitude, PUBLIC_LOCATION_DECIMALS), round(longitude, PUBLIC_LOCATION_DECIMALS)


def is_response_overdue(problem: Problem, now: datetime) -> bool:
    return problem.status in AWAITING_RESPONSE and problem.response_due_at < now


async def _locked_visible(actor: Actor, problem_id: int) -> tuple[Problem, Area]:
    """Inside a transaction: the problem, locked against concurrent changes, and its area;
    NOT_FOUND alike whether it does not exist or the actor may not see it."""
    problem = await Problem.filter(id=problem_id).select_for_update().first()
    area = await Area.get(id=problem.area_id) if problem else None
    if problem is None or area is None or not may_see(await standing_of(actor), problem, area):
        raise NotFound("No problem has that ID.", field="problemId")
    return problem, area


@dataclass(frozen=True)
class ProblemFilter:
    area_id: int | None = None
    statuses: Sequence[ProblemStatus] | None = None
    categories: Sequence[ProblemCategory] | None = None
    search: str | None = None
    response_overdue: bool | None = None


def search_words(search: str) -> list[str]:
    words = search.split()
    if len(words) > MAX_SEARCH_WORDS:
        raise Invalid(f"may have at most {MAX_SEARCH_WORDS} words", field="search")
    if any(len(word) > MAX_SEARCH_WORD for word in words):
        raise Invalid(f"words may be at most {MAX_SEARCH_WORD} characters", field="search")
    if any("\x00" in word for word in words):
        raise Invalid("must not contain control characters", field="search")
    return words


async def listing(actor: Actor, criteria: ProblemFilter, *, now: datetime) -> QuerySet[Problem]:
    """The problems the actor may see that meet the criteria, unordered (the caller pages)."""
    problems = Problem.filter(visible_to(await standing_of(actor)))
    if criteria.area_id is not None:
        area = await Area.get_or_none(id=criteria.area_id)
        if area is None:
            raise NotFound("No area has that ID.", field="areaId")
        # An area's board shows the problems of the areas inside it too.
        problems = problems.filter(area_id__in=await areas_within(area))
    if criteria.statuses is not None:
        problems = problems.filter(status__in=list(criteria.statuses))
    if criteria.categories is not None:
        problems = problems.filter(category__in=list(criteria.categories))
    if criteria.search:
        # Every word must appear, in the title or the description, in any case.
        for word in search_words(criteria.search):
            problems = problems.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if criteria.response_overdue is not None:
        overdue = Q(status__in=list(AWAITING_RESPONSE), response_due_at__lt=now)
        problems = problems.filter(overdue if criteria.response_overdue else ~overdue)
    return problems


def shown_comments(problem_id: int) -> QuerySet[Comment]:
    """The comments on a problem the reader may see, oldest first: hidden ones are left out."""
    return Comment.filter(problem_id=problem_id, hidden_at__isnull=True)


# ---------------------------------------------------------------- proposing


def _location(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise Invalid("is needed with the other coordinate", field=missing)
    if latitude is None or longitude is None:
        return None, None
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise Invalid("must be between -90 and 90", field="latitude")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise Invalid("must be between -180 and 180", field="longitude")
    return latitude, longitude


async def _route(area: Area, category: ProblemCategory) -> int | None:
    """The owner: the area's own rule for the category, else the nearest area above's."""
    lineage = area.ancestor_ids
    rules = await RoutingRule.filter(area_id__in=lineage, category=category).values_list(
        "area_id", "organisation_id"
    )
    owner_by_area = dict(rules)
    return next((owner_by_area[a] for a in lineage if a in owner_by_area), None)


async def _response_time(area: Area, default_days: int) -> timedelta:
    lineage = {a.id: a for a in await Area.filter(id__in=area.ancestor_ids)}
    return timedelta(days=response_days([lineage.get(a) for a in area.ancestor_ids], default=default_days))


async def _coordinator_tiers(area: Area) -> list[list[int]]:
    """The coordinators of each area from this one up that has any, nearest first."""
    roles = await AreaRole.filter(area_id__in=area.ancestor_ids, role=AreaRoleKind.COORDINATOR).values_list(
        "area_id", "user_id"
    )
    by_area: dict[int, list[int]] = {}
    for area_id, user_id in roles:
        by_area.setdefault(area_id, []).append(user_id)
    return [by_area[a] for a in area.ancestor_ids if a in by_area]


async def _members(organisation_id: int | None) -> list[int]:
    if organisation_id is None:
        return []
    return list(await int_column(OrganisationMembership.filter(organisation_id=organisation_id), "user_id"))


async def _answerers(problem: Problem, area: Area) -> list[int]:
    """Who is told a proposal awaits them: the owner's members and the area's coordinators
    (those of the nearest area above that has any, when it has none of its own)."""
    tiers = await _coordinator_tiers(area)
    return [*await _members(problem.owner_id), *(tiers[0] if tiers else [])]


async def _open_routing(
    problem: Problem, organisation_id: int | None, *, now: datetime, response_time: timedelta
) -> ProblemRouting:
    return await ProblemRouting.create(
        problem=problem,
        organisation_id=organisation_id,
        received_at=now,
        due_at=now + response_time,
        escalate_at=now + 2 * response_time,
    )


async def propose(
    actor: Actor,
    *,
    area_id: int,
    title: str,
    description: str,
    category: ProblemCategory,
    visibility: Visibility = Visibility.PUBLIC,
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime,
    default_response_days: int,
    public_url: str,
    limits: RateLimits = DEFAULT_RATE_LIMITS,
) -> Problem:
    user = actor.require_user()
    title = validation.text(title, "title", what="title", max_length=MAX_TITLE)
    description = validation.text(
        description, "description", what="description", max_length=MAX_DESCRIPTION, multiline=True
    )
    latitude, longitude = _location(latitude, longitude)
    area = await get_area(area_id)
    owner_id = await _route(area, category)
    response_time = await _response_time(area, default_response_days)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.PROPOSAL, user, limits, now=now)
        problem = await Problem.create(
            title=title,
            description=description,
            category=category,
            status=ProblemStatus.PROPOSED,
            stage=SaraStage.SCANNING,
            visibility=visibility,
            area=area,
            proposer=user,
            owner_id=owner_id,
            latitude=latitude,
            longitude=longitude,
            created_at=now,
            updated_at=now,
            response_due_at=now + response_time,
            answered=False,
            # The proposer supports and follows what they proposed.
            support_count=1,
            follower_count=1,
        )
        await _proposer_takes_part(problem, user, now=now)
        await _reach_owner(problem, area, user, response_time=response_time, now=now, public_url=public_url)
    return problem


async def _proposer_takes_part(problem: Problem, proposer: User, *, now: datetime) -> None:
    """The proposer supports and follows what they proposed (the counts start at one)."""
    await ProblemSupport.create(problem=problem, user=proposer, created_at=now)
    await ProblemFollow.create(problem=problem, user=proposer, created_at=now)
    await activity.record(
        proposer, problem, ActivityKind.PROPOSED, ActivityKind.SUPPORTED, ActivityKind.FOLLOWED, now=now
    )


async def _reach_owner(
    problem: Problem, area: Area, proposer: User, *, response_time: timedelta, now: datetime, public_url: str
) -> None:
    """A new proposal reaches its owner: the routing opens, and those who answer are told."""
    await _open_routing(problem, problem.owner_id, now=now, response_time=response_time)
    owner = await Organisation.get(id=problem.owner_id) if problem.owner_id is not None else None
    await _ask_for_response(
        problem,
        area,
        await _answerers(problem, area),
        occurrence="proposed",
        owner=owner,
        proposer=proposer.display_name,
        referred_by=None,
        author=proposer,
        now=now,
        public_url=public_url,
    )


async def _ask_for_response(
    problem: Problem,
    area: Area,
    answerers: Collection[int],
    *,
    occurrence: str,
    owner: Organisation | None,
    proposer: str | None,
    referred_by: str | None,
    author: User,
    now: datetime,
    public_url: str,
) -> None:
    """Tell those who owe the response that a proposal awaits it: when it is proposed, and
    when it is referred to them."""
    await notifications.notify_many(
        NotificationKind.PROBLEM_PROPOSED,
        (person for person in answerers if person != author.id),
        subject=_about(problem),
        occurrence=occurrence,
        now=now,
        url=problem_link(public_url, problem.id),
        context={
            "title": problem.title,
            "description": problem.description,
            "category": _words(problem.category),
            "area": area.name,
            "proposer": proposer,
            "organisation": owner.name if owner else None,
            "referred_by": referred_by,
            "due": _day(problem.response_due_at),
        },
        actor_id=author.id,
    )


def _words(value: str) -> str:
    return value.replace("_", " ").lower()


def _day(moment: datetime) -> str:
    return f"{moment:%-d %B %Y}"


# --------------------------------------------------------------- responding


def _check_response_input(
    decision: ResponseDecision,
    body: str,
    reason_code: DeclineReason | None,
    refer_to_id: int | None,
    duplicate_of_id: int | None,
) -> str:
    required = {
        ResponseDecision.DECLINE: ("reasonCode", reason_code),
        ResponseDecision.REFER: ("referToOrganisationId", refer_to_id),
        ResponseDecision.DUPLICATE: ("duplicateOfId", duplicate_of_id),
    }
    for other, (field, value) in required.items():
        if other == decision and value is None:
            raise Invalid(f"is required to {decision.value.lower()}", field=field)
        if other != decision and value is not None:
            raise Invalid(f"is only for the decision {other.value}", field=field)
    if decision == ResponseDecision.DECLINE:
        # A decline must say why, in words as well as with a code.
        return validation.text(body, "body", what="response", max_length=MAX_BODY, multiline=True)
    return validation.text(body, "body", what="response", max_length=MAX_BODY, min_length=0, multiline=True)


async def respond(
    actor: Actor,
    *,
    problem_id: int,
    decision: ResponseDecision,
    body: str,
    reason_code: DeclineReason | None = None,
    refer_to_id: int | None = None,
    duplicate_of_id: int | None = None,
    now: datetime,
    default_response_days: int,
    public_url: str,
    limits: RateLimits = DEFAULT_RATE_LIMITS,
) -> Problem:
    """The official response owed to a proposal, by its owner's members or the coordinators."""
    user = actor.require_user()
    body = _check_response_input(decision, body, reason_code, refer_to_id, duplicate_of_id)
    standing = await standing_of(actor)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.RESPONSE, user, limits, now=now)
        problem, area = await _locked_unanswered(actor, standing, problem_id)
        routing = await ProblemRouting.filter(problem_id=problem.id, answered_at__isnull=True).first()
        response = ProblemResponse(
            problem=problem,
            decision=decision,
            reason_code=reason_code,
            body=body,
            author=user,
            organisation_id=answering_organisation(standing, problem),
            created_at=now,
        )
        referred_to = await _decide(
            actor, problem, response, refer_to_id=refer_to_id, duplicate_of_id=duplicate_of_id, now=now
        )
        await response.save()
        await activity.record(user, problem, ActivityKind.RESPONDED, now=now)
        await _record_answer(problem, routing, response, now=now)
        if referred_to is not None:
            await _hand_over(problem, area, referred_to, now=now, default_response_days=default_response_days)
        # A referral hands the problem to an owner who has yet to answer.
        problem.answered = referred_to is None
        problem.updated_at = now
        await problem.save()
        await _tell_about_response(problem, response, area, user, referred_to, now=now, public_url=public_url)
    return problem


async def _locked_unanswered(actor: Actor, standing: Standing, problem_id: int) -> tuple[Problem, Area]:
    """Inside a transaction: the problem, locked, once it is known the actor may answer it now."""
    problem, area = await _locked_visible(actor, problem_id)
    if not answers_for(standing, problem, area):
        raise Forbidden(f"Only {ANSWERERS} respond to a proposal.")
    if problem.status not in AWAITING_RESPONSE:
        raise InvalidState(f"This problem has had its response already: it is {problem.status.value}.")
    return problem, area


async def _decide(
    actor: Actor,
    problem: Problem,
    response: ProblemResponse,
    *,
    refer_to_id: int | None,
    duplicate_of_id: int | None,
    now: datetime,
) -> Organisation | None:
    """What the decision does to the problem; for a referral, the organisation it goes to."""
    if response.decision == ResponseDecision.ACCEPT:
        _accept(problem)
    elif response.decision == ResponseDecision.DECLINE:
        assert response.reason_code is not None
        _decline(problem, response.reason_code)
    elif response.decision == ResponseDecision.REFER:
        assert refer_to_id is not None
        return await _refer(problem, response, refer_to_id)
    else:
        assert duplicate_of_id is not None
        await _mark_duplicate(actor, problem, response, duplicate_of_id, now=now)
    return None


def _accept(problem: Problem) -> None:
    problem.status, problem.stage = ProblemStatus.ACCEPTED, SaraStage.ANALYSIS


def _decline(problem: Problem, reason_code: DeclineReason) -> None:
    problem.status, problem.decline_reason = ProblemStatus.DECLINED, reason_code


async def _refer(problem: Problem, response: ProblemResponse, organisation_id: int) -> Organisation:
    """The organisation the problem is referred to; it takes the problem over once the
    response is recorded (`_hand_over`)."""
    referred_to = await _referral_target(problem, organisation_id)
    response.referred_to = referred_to
    return referred_to


async def _mark_duplicate(
    actor: Actor, problem: Problem, response: ProblemResponse, original_id: int, *, now: datetime
) -> None:
    original = await _duplicate_target(actor, problem, original_id)
    response.duplicate_of = original
    problem.status, problem.duplicate_of_id = ProblemStatus.DUPLICATE, original.id
    await _carry_over(problem, original, now=now)


async def _record_answer(
    problem: Problem, routing: ProblemRouting | None, response: ProblemResponse, *, now: datetime
) -> None:
    """The answer closes the routing that awaited it; the first answer also sets the
    problem's figures for accountability."""
    if routing is not None:
        await ProblemRouting.filter(id=routing.id).update(
            answered_at=now,
            answer_hours=(now - routing.received_at).total_seconds() / 3600,
            answered_on_time=now <= routing.due_at,
            decision=response.decision,
            reason_code=response.reason_code,
        )
    if problem.first_responded_at is None:
        problem.first_responded_at = now
        problem.first_response_hours = (now - problem.created_at).total_seconds() / 3600
        problem.first_response_on_time = now <= problem.response_due_at


async def _hand_over(
    problem: Problem, area: Area, organisation: Organisation, *, now: datetime, default_response_days: int
) -> None:
    """A referred problem becomes the new owner's, and owes its response afresh."""
    response_time = await _response_time(area, default_response_days)
    problem.status, problem.owner_id = ProblemStatus.REFERRED, organisation.id
    problem.response_due_at = now + response_time
    await _open_routing(problem, organisation.id, now=now, response_time=response_time)


async def _referral_target(problem: Problem, organisation_id: int) -> Organisation:
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None:
        raise NotFound("No organisation has that ID.", field="referToOrganisationId")
    if organisation.id == problem.owner_id:
        raise Invalid(
            "owns this problem already; refer it to another organisation", field="referToOrganisationId"
        )
    return organisation


async def _duplicate_target(actor: Actor, problem: Problem, original_id: int) -> Problem:
    if original_id == problem.id:
        raise Invalid("must be another problem", field="duplicateOfId")
    # Locked too, so its counts stay true while supporters carry over.
    original = await Problem.filter(id=original_id).select_for_update().first()
    if original is None or not may_see(
        await standing_of(actor), original, await Area.get(id=original.area_id)
    ):
        raise NotFound("No problem has that ID.", field="duplicateOfId")
    if original.status == ProblemStatus.DUPLICATE:
        raise Invalid("is itself a duplicate; name the problem it duplicates", field="duplicateOfId")
    return original


async def _carry_over(duplicate: Problem, original: Problem, *, now: datetime) -> None:
    """The duplicate's supporters and followers support and follow the original: those of
    them who may see it. A public proposal may duplicate a restricted problem, whose
    news must not reach the public proposal's crowd."""
    await _carry(ProblemSupport, "support_count", duplicate, original, now=now)
    await _carry(ProblemFollow, "follower_count", duplicate, original, now=now)


async def _carry(
    model: type[Participation], counter: str, duplicate: Problem, original: Problem, *, now: datetime
) -> None:
    people = await READERS.readers_among(
        original.id, await int_column(model.filter(problem_id=duplicate.id), "user_id")
    )
    await model.bulk_create(
        [model(problem_id=original.id, user_id=person, created_at=now) for person in sorted(people)],
        ignore_conflicts=True,
        batch_size=500,
    )
    count = await model.filter(problem_id=original.id).count()
    await Problem.filter(id=original.id).update(**{counter: count})


async def _audience(problem: Problem) -> set[int]:
    """The proposer, the supporters and the followers."""
    supporters = await int_column(ProblemSupport.filter(problem_id=problem.id), "user_id")
    followers = await int_column(ProblemFollow.filter(problem_id=problem.id), "user_id")
    return {problem.proposer_id, *supporters, *followers}


async def _tell_about_response(
    problem: Problem,
    response: ProblemResponse,
    area: Area,
    author: User,
    referred_to: Organisation | None,
    *,
    now: datetime,
    public_url: str,
) -> None:
    """The proposer, supporters and followers hear the answer; on a referral, the members
    of the organisation it goes to are asked for theirs."""
    speaking_for = await Organisation.get(id=response.organisation_id) if response.organisation_id else None
    answers = {
        ResponseDecision.ACCEPT: "Accepted",
        ResponseDecision.DECLINE: "Declined",
        ResponseDecision.REFER: f"Referred to {referred_to.name}" if referred_to else "Referred",
        ResponseDecision.DUPLICATE: "Marked as a duplicate",
    }
    await notifications.notify_many(
        NotificationKind.PROBLEM_RESPONSE,
        (person for person in await _audience(problem) if person != author.id),
        subject=_about(problem),
        occurrence=f"response:{response.id}",
        now=now,
        url=problem_link(public_url, problem.id),
        context={
            "title": problem.title,
            "answer": answers[response.decision],
            "author": author.display_name,
            "organisation": speaking_for.name if speaking_for else None,
            "reason": _words(response.reason_code) if response.reason_code else None,
            "body": response.body,
        },
        actor_id=author.id,
    )
    if referred_to is not None:
        await _ask_for_response(
            problem,
            area,
            await _members(referred_to.id),
            occurrence=f"referred:{response.id}",
            owner=referred_to,
            proposer=None,
            referred_by=author.display_name,
            author=author,
            now=now,
            public_url=public_url,
        )


# ------------------------------------------------------------------ progress


async def post_update(
    actor: Actor,
    *,
    problem_id: int,
    body: str,
    now: datetime,
    public_url: str,
    limits: RateLimits = DEFAULT_RATE_LIMITS,
) -> Problem:
    """Progress news from those answering for the problem, for its followers."""
    user = actor.require_user()
    body = validation.text(body, "body", what="update", max_length=MAX_BODY, multiline=True)
    standing = await standing_of(actor)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.UPDATE, user, limits, now=now)
        problem, area = await _locked_visible(actor, problem_id)
        if not may_post_update(standing, problem, area):
            raise Forbidden(
                "Only members of the owning organisation and the area's coordinators post updates."
            )
        update = await ProblemUpdate.create(
            problem=problem,
            body=body,
            author=user,
            organisation_id=answering_organisation(standing, problem),
            created_at=now,
        )
        problem.updated_at = now
        await problem.save(update_fields=["updated_at"])
        await activity.record(user, problem, ActivityKind.UPDATE_POSTED, now=now)
        followers = await int_column(ProblemFollow.filter(problem_id=problem.id), "user_id")
        speaking_for = await Organisation.get(id=update.organisation_id) if update.organisation_id else None
        await notifications.notify_many(
            NotificationKind.PROBLEM_UPDATE,
            (person for person in followers if person != user.id),
            subject=_about(problem),
            occurrence=f"update:{update.id}",
            now=now,
            url=problem_link(public_url, problem.id),
            context={
                "title": problem.title,
                "author": user.display_name,
                "organisation": speaking_for.name if speaking_for else None,
                "body": body,
            },
            actor_id=user.id,
        )
    return problem


def _check_stage_move(current: SaraStage, target: SaraStage) -> None:
    """Forward one stage at a time, or back to any earlier stage (SARA loops back when an
    assessment shows the response did not work); never back to scanning."""
    if target == SaraStage.SCANNING:
        raise InvalidState("An accepted problem cannot go back to scanning.")
    if target == current:
        raise InvalidState(f"The problem is at the {current.value} stage already.")
    order = STAGES_AFTER_ACCEPTANCE
    if order.index(target) > order.index(current) + 1:
        raise InvalidState(
            f"The problem must go through {order[order.index(current) + 1].value} before {target.value}."
        )


async def set_stage(actor: Actor, *, problem_id: int, stage: SaraStage, now: datetime) -> Problem:
    actor.require_user()
    standing = await standing_of(actor)
    async with in_transaction():
        problem, area = await _locked_visible(actor, problem_id)
        if not answers_for(standing, problem, area):
            raise Forbidden(
                "Only members of the owning organisation and the area's coordinators set the stage."
            )
        if problem.status not in BEING_WORKED_ON:
            raise InvalidState(
                f"Only an accepted problem moves through the stages; this one is {problem.status.value}."
            )
        _check_stage_move(problem.stage, stage)
        problem.stage = stage
        problem.status = ProblemStatus.ACCEPTED if stage == SaraStage.ANALYSIS else ProblemStatus.IN_PROGRESS
        problem.updated_at = now
        await problem.save(update_fields=["stage", "status", "updated_at"])
    return problem


# --------------------------------------------------------------- taking part


# Supporting and following: one row per (problem, person), counted on the problem.
Participation = TypeVar("Participation", ProblemSupport, ProblemFollow)

# What joining, and leaving, each of them records.
JOINED = {ProblemSupport: ActivityKind.SUPPORTED, ProblemFollow: ActivityKind.FOLLOWED}
LEFT = {ProblemSupport: ActivityKind.SUPPORT_WITHDRAWN, ProblemFollow: ActivityKind.UNFOLLOWED}


async def _join(actor: Actor, problem_id: int, model: type[Participation], now: datetime) -> Problem:
    user = actor.require_user()
    counter = "support_count" if model is ProblemSupport else "follower_count"
    async with in_transaction():
        # The row lock serialises joins and leaves on this problem, so the count and the
        # rows cannot drift apart; the unique (problem, person) backs it up.
        problem, _ = await _locked_visible(actor, problem_id)
        if model is ProblemSupport and problem.status == ProblemStatus.DUPLICATE:
            raise InvalidState("This problem is a duplicate: support the problem it duplicates instead.")
        if not await model.exists(problem_id=problem.id, user_id=user.id):
            await model.create(problem=problem, user=user, created_at=now)
            await Problem.filter(id=problem.id).update(**{counter: F(counter) + 1})
            await activity.record(user, problem, JOINED[model], now=now)
    return await Problem.get(id=problem_id)


async def _leave(actor: Actor, problem_id: int, model: type[Participation], now: datetime) -> Problem:
    user = actor.require_user()
    counter = "support_count" if model is ProblemSupport else "follower_count"
    async with in_transaction():
        problem, _ = await _locked_visible(actor, problem_id)
        if await model.filter(problem_id=problem.id, user_id=user.id).delete():
            await Problem.filter(id=problem.id).update(**{counter: F(counter) - 1})
            # The support or follow is gone; the record keeps that it was, and was undone.
            await activity.record(user, problem, LEFT[model], now=now)
    return await Problem.get(id=problem_id)


async def support(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    """One support per person; supporting again changes nothing."""
    return await _join(actor, problem_id, ProblemSupport, now)


async def withdraw_support(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _leave(actor, problem_id, ProblemSupport, now)


async def follow(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _join(actor, problem_id, ProblemFollow, now)


async def unfollow(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _leave(actor, problem_id, ProblemFollow, now)


async def comment(
    actor: Actor, *, problem_id: int, body: str, now: datetime, limits: RateLimits = DEFAULT_RATE_LIMITS
) -> Comment:
    user = actor.require_user()
    body = validation.text(body, "body", what="comment", max_length=MAX_COMMENT, multiline=True)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.COMMENT, user, limits, now=now)
        problem, _ = await _locked_visible(actor, problem_id)
        posted = await Comment.create(problem=problem, author=user, body=body, created_at=now)
        await Problem.filter(id=problem.id).update(comment_count=F("comment_count") + 1)
        await activity.record(user, problem, ActivityKind.COMMENTED, now=now)
    return posted


async def hide_comment(actor: Actor, *, comment_id: int, reason: str, now: datetime) -> Problem:
    """Moderators and coordinators hide a comment from public view; the reason is kept."""
    user = actor.require_user()
    reason = validation.text(reason, "reason", what="reason", max_length=MAX_REASON, multiline=True)
    hidden = await Comment.get_or_none(id=comment_id)
    if hidden is None:
        raise NotFound("No comment has that ID.", field="commentId")
    async with in_transaction():
        try:
            problem, area = await _locked_visible(actor, hidden.problem_id)
        except NotFound:
            raise NotFound("No comment has that ID.", field="commentId") from None
        if not may_hide_comments(await standing_of(actor), area):
            raise Forbidden("Only the area's moderators and coordinators hide comments.")
        if not await Comment.filter(id=hidden.id, hidden_at__isnull=True).update(
            hidden_at=now, hidden_by_id=user.id, hidden_reason=reason
        ):
            raise InvalidState("This comment is hidden already.")
        await Problem.filter(id=problem.id).update(comment_count=F("comment_count") - 1)
    return await Problem.get(id=problem.id)


# ---------------------------------------------------------------- escalation

ESCALATION_BATCH = 100


async def escalate_overdue(now: datetime, *, public_url: str) -> int:
    """Tell those who owe a response once it is overdue, and at twice the response time
    tell the coordinators of the area above as well. Each step happens once per routing,
    however often this runs and however many workers run it. Returns the steps taken."""
    taken = 0
    for step, due in (("overdue_notified_at", Q(due_at__lt=now)), ("escalated_at", Q(escalate_at__lte=now))):
        after = 0
        while True:
            unrecorded: dict[str, Any] = {f"{step}__isnull": True}
            pending = await int_column(
                ProblemRouting.filter(
                    due,
                    answered_at__isnull=True,
                    problem__status__in=list(AWAITING_RESPONSE),
                    id__gt=after,
                    **unrecorded,
                )
                .order_by("id")
                .limit(ESCALATION_BATCH),
                "id",
            )
            if not pending:
                break
            for routing_id in pending:
                taken += await _escalate(routing_id, step, now=now, public_url=public_url)
            after = pending[-1]
    return taken


async def _escalate(routing_id: int, step: str, *, now: datetime, public_url: str) -> int:
    async with in_transaction():
        # The conditional update is the claim: of two workers, only one records the step.
        unrecorded: dict[str, Any] = {f"{step}__isnull": True}
        if not await ProblemRouting.filter(id=routing_id, answered_at__isnull=True, **unrecorded).update(
            **{step: now}
        ):
            return 0
        routing = await ProblemRouting.get(id=routing_id)
        problem = await Problem.get(id=routing.problem_id)
        area = await Area.get(id=problem.area_id)
        escalated = step == "escalated_at"
        tiers = await _coordinator_tiers(area)
        recipients = [*await _members(routing.organisation_id), *(tiers[0] if tiers else [])]
        if escalated and len(tiers) > 1:
            recipients += tiers[1]
        owner = await Organisation.get(id=routing.organisation_id) if routing.organisation_id else None
        await notifications.notify_many(
            NotificationKind.RESPONSE_OVERDUE,
            recipients,
            subject=_about(problem),
            occurrence=f"routing:{routing.id}:{'escalated' if escalated else 'overdue'}",
            now=now,
            url=problem_link(public_url, problem.id),
            context={
                "title": problem.title,
                "area": area.name,
                "proposed": _day(problem.created_at),
                "due": _day(routing.due_at),
                "organisation": owner.name if owner else None,
                "escalated": escalated,
                "days": round((routing.due_at - routing.received_at) / timedelta(days=1)),
            },
        )
    return 1


# ------------------------------------------------------------------ personal data


async def _export_personal_data(user: User, standing: Standing) -> Sections:
    proposals = await Problem.filter(proposer_id=user.id).order_by("id")
    comments = await Comment.filter(author_id=user.id).order_by("id")
    supported = await ProblemSupport.filter(user_id=user.id).select_related("problem").order_by("id")
    followed = await ProblemFollow.filter(user_id=user.id).select_related("problem").order_by("id")
    taken_part_in = {s.problem_id for s in supported} | {f.problem_id for f in followed}
    still_visible = set(
        await int_column(Problem.filter(visible_to(standing), id__in=sorted(taken_part_in)), "id")
    )

    def title_of(problem: Problem) -> str:
        # A support or follow is the person's own; the title of a problem they lost sight of is not.
        return problem.title if problem.id in still_visible else NO_LONGER_VISIBLE

    moment = personal_data.moment
    return {
        "proposals": [
            {
                "title": p.title,
                "description": p.description,
                "category": p.category.value,
                "visibility": p.visibility.value,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "status": p.status.value,
                "proposed_at": moment(p.created_at),
            }
            for p in proposals
        ],
        "comments": [
            {
                "problem": c.problem_id,
                "body": c.body,
                "posted_at": moment(c.created_at),
                "hidden_at": moment(c.hidden_at),
                "hidden_reason": c.hidden_reason,
            }
            for c in comments
        ],
        "supports": [{"problem": title_of(s.problem), "since": moment(s.created_at)} for s in supported],
        "follows": [{"problem": title_of(f.problem), "since": moment(f.created_at)} for f in followed],
    }


async def _erase_personal_data(user: User, now: datetime) -> None:
    await _blur_locations(user)
    # Following is how news reaches a person; supports and comments are public
    # contributions, and stay, as a former participant's.
    followed = await int_column(ProblemFollow.filter(user_id=user.id), "problem_id")
    await ProblemFollow.filter(user_id=user.id).delete()
    await Problem.filter(id__in=followed).update(follower_count=F("follower_count") - 1)


async def _blur_locations(user: User) -> None:
    """Their proposals stay, but point no closer than the public map does: an exact spot
    is often the proposer's own door."""
    located = await Problem.filter(proposer_id=user.id, latitude__isnull=False).only(
        "id", "latitude", "longitude"
    )
    for problem in located:
        assert problem.latitude is not None and problem.longitude is not None
        problem.latitude, problem.longitude = public_location(problem.latitude, problem.longitude)
    await Problem.bulk_update(located, fields=["latitude", "longitude"], batch_size=500)


PERSONAL_DATA = personal_data.Contribution(
    name="problems",
    export=_export_personal_data,
    erase=_erase_personal_data,
    erases=("ProblemFollow", "Problem.latitude", "Problem.longitude"),
    # Public contributions stay, shown as a former participant's: others support, follow
    # and answer these problems, and their history must hold together.
    keeps={
        "Problem.proposer": "a public proposal, which others support and follow",
        "Comment.author": "part of a problem's public conversation",
        "Comment.hidden_by": "a moderator's decision to hide a comment, kept for the record",
        "ProblemSupport.user": "a public contribution, counted in the problem's support",
        "ProblemResponse.author": "an official response, part of the problem's public history",
        "ProblemUpdate.author": "official progress news, part of the problem's public history",
    },
)
