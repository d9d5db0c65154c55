"""Responding: the official answer every proposal is owed, by its owner's members or the
area's coordinators. Each decision (accept, decline, refer, mark as a duplicate) is a
function of its own; `respond` checks, records the answer and its figures, and tells
those who wait for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.errors import Forbidden, Invalid, InvalidState, NotFound
from backend.models import (
    Area,
    Organisation,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemRouting,
    ProblemSupport,
)
from backend.models.enums import ActivityKind, DeclineReason, ProblemStatus, ResponseDecision, SaraStage
from backend.services import activity, organisations, rate_limits, validation
from backend.services.actors import Actor
from backend.services.problems import notices, routing
from backend.services.problems.access import (
    ANSWERERS,
    AWAITING_RESPONSE,
    READERS,
    access_problem,
    answering_organisation,
    answers_for,
)
from backend.services.problems.taking_part import Participation
from backend.services.standing import Standing, standing_of

MAX_BODY = 5_000


# The field each decision needs besides the response, what to say when it is missing, and
# what to say when it is given with another decision.
DECISION_FIELDS = {
    ResponseDecision.DECLINE: (
        "reasonCode",
        "Choose the reason for declining",
        "Give a reason code only when you decline",
    ),
    ResponseDecision.REFER: (
        "referToOrganisationId",
        "Choose the organisation to refer it to",
        "Choose an organisation only when you refer the problem",
    ),
    ResponseDecision.DUPLICATE: (
        "duplicateOfId",
        "Choose the problem this one duplicates",
        "Choose the problem it duplicates only when you mark it as a duplicate",
    ),
}


def _check_response_input(
    decision: ResponseDecision,
    body: str,
    reason_code: DeclineReason | None,
    refer_to_id: int | None,
    duplicate_of_id: int | None,
) -> str:
    given = {
        ResponseDecision.DECLINE: reason_code,
        ResponseDecision.REFER: refer_to_id,
        ResponseDecision.DUPLICATE: duplicate_of_id,
    }
    faults = validation.Faults()
    for other, (field, missing, misplaced) in DECISION_FIELDS.items():
        with faults:
            if other == decision and given[other] is None:
                raise Invalid(missing, field=field)
            if other != decision and given[other] is not None:
                raise Invalid(misplaced, field=field)
    with faults:
        # A decline must say why, in words as well as with a code.
        least = 1 if decision == ResponseDecision.DECLINE else 0
        body = validation.text(
            body, "body", what="response", max_length=MAX_BODY, min_length=least, multiline=True
        )
    faults.raise_any()
    return body


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
) -> Problem:
    """The official response owed to a proposal, by its owner's members or the coordinators."""
    user = actor.require_user()
    body = _check_response_input(decision, body, reason_code, refer_to_id, duplicate_of_id)
    standing = await standing_of(actor)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.RESPONSE, user, now=now)
        problem, area = await _locked_unanswered(actor, standing, problem_id)
        awaiting = await ProblemRouting.filter(problem_id=problem.id, answered_at__isnull=True).first()
        response = ProblemResponse(
            problem=problem,
            decision=decision,
            reason_code=reason_code,
            body=body,
            author=user,
            organisation_id=answering_organisation(standing, problem),
            created_at=now,
        )
        # Only the decision's own target is given: the input check makes sure of it.
        target_id = refer_to_id if refer_to_id is not None else duplicate_of_id
        referred_to = await DECISIONS[decision](actor, problem, response, target_id, now)
        await response.save()
        await activity.record(user, problem, ActivityKind.RESPONDED, now=now)
        await _record_answer(problem, awaiting, response, now=now)
        if referred_to is not None:
            await _hand_over(problem, area, referred_to, now=now)
        # A referral hands the problem to an owner who has yet to answer.
        problem.answered = referred_to is None
        problem.updated_at = now
        await problem.save()
        await notices.settle_requests(problem, now=now)
        await notices.tell_response(problem, response, area, user, referred_to, now=now)
    return problem


async def _locked_unanswered(actor: Actor, standing: Standing, problem_id: int) -> tuple[Problem, Area]:
    """Inside a transaction: the problem, locked, once it is known the actor may answer it now."""
    problem, area = await access_problem(actor, problem_id, for_update=True)
    if not answers_for(standing, problem, area):
        raise Forbidden(f"Only {ANSWERERS} respond to a proposal.")
    if problem.status not in AWAITING_RESPONSE:
        raise InvalidState(f"This problem has had its response already: it is {problem.status.value}.")
    return problem, area


async def _accept(
    actor: Actor, problem: Problem, response: ProblemResponse, target_id: int | None, now: datetime
) -> None:
    problem.status, problem.stage = ProblemStatus.ACCEPTED, SaraStage.ANALYSIS


async def _decline(
    actor: Actor, problem: Problem, response: ProblemResponse, target_id: int | None, now: datetime
) -> None:
    assert response.reason_code is not None
    problem.status, problem.decline_reason = ProblemStatus.DECLINED, response.reason_code


async def _refer(
    actor: Actor, problem: Problem, response: ProblemResponse, target_id: int | None, now: datetime
) -> Organisation:
    """The organisation the problem is referred to; it takes the problem over once the
    response is recorded (`_hand_over`)."""
    assert target_id is not None
    referred_to = await _referral_target(problem, target_id)
    response.referred_to = referred_to
    return referred_to


async def _mark_duplicate(
    actor: Actor, problem: Problem, response: ProblemResponse, target_id: int | None, now: datetime
) -> None:
    assert target_id is not None
    original = await _duplicate_target(actor, problem, target_id)
    response.duplicate_of = original
    problem.status, problem.duplicate_of_id = ProblemStatus.DUPLICATE, original.id
    await _carry_over(problem, original, now=now)


# What each decision does to the problem; a referral returns the organisation it goes to.
DECISIONS: dict[
    ResponseDecision,
    Callable[[Actor, Problem, ProblemResponse, int | None, datetime], Awaitable[Organisation | None]],
] = {
    ResponseDecision.ACCEPT: _accept,
    ResponseDecision.DECLINE: _decline,
    ResponseDecision.REFER: _refer,
    ResponseDecision.DUPLICATE: _mark_duplicate,
}


async def _record_answer(
    problem: Problem, awaiting: ProblemRouting | None, response: ProblemResponse, *, now: datetime
) -> None:
    """The answer closes the routing that awaited it; the first answer also sets the
    problem's figures for accountability."""
    if awaiting is not None:
        await ProblemRouting.filter(id=awaiting.id).update(
            answered_at=now,
            answer_hours=(now - awaiting.received_at).total_seconds() / 3600,
            answered_on_time=now <= awaiting.due_at,
            decision=response.decision,
            reason_code=response.reason_code,
        )
    if problem.first_responded_at is None:
        problem.first_responded_at = now
        problem.first_response_hours = (now - problem.created_at).total_seconds() / 3600
        problem.first_response_on_time = now <= problem.response_due_at


async def _hand_over(problem: Problem, area: Area, organisation: Organisation, *, now: datetime) -> None:
    """A referred problem becomes the new owner's, and owes its response afresh."""
    response_time = await routing.response_time(area)
    problem.status, problem.owner_id = ProblemStatus.REFERRED, organisation.id
    problem.response_due_at = now + response_time
    await routing.open_routing(problem, organisation.id, now=now, response_time=response_time)


async def _referral_target(problem: Problem, organisation_id: int) -> Organisation:
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None:
        raise NotFound(organisations.NO_SUCH_ORGANISATION, field="referToOrganisationId")
    if organisation.id == problem.owner_id:
        raise Invalid(
            "That organisation owns this problem already; refer it to another", field="referToOrganisationId"
        )
    return organisation


async def _duplicate_target(actor: Actor, problem: Problem, original_id: int) -> Problem:
    if original_id == problem.id:
        raise Invalid("A problem cannot duplicate itself; choose another problem", field="duplicateOfId")
    # Locked too, so its counts stay true while supporters carry over.
    original, _ = await access_problem(actor, original_id, for_update=True, field="duplicateOfId")
    if original.status == ProblemStatus.DUPLICATE:
        raise Invalid(
            "That problem is a duplicate itself; choose the problem it duplicates", field="duplicateOfId"
        )
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
