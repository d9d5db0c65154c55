"""Correcting an official response: its words, never its decision.

For a short while after publishing (`response_correction_minutes`, 30 by default) the
text itself may be put right: it changes, and the response shows it was corrected and
when; the text it replaced is kept with the correction, for the record. After that, a
correction note goes under the response, which stays as it was published. Either way the
followers are told, and the decision (accept, decline, refer, duplicate) stays as it was:
changing that would change what the proposal is owed, and is a new answer, not a correction.

Who corrects: those who may speak for the response now (`access.may_correct`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.db import seen_through
from backend.errors import Forbidden, Invalid, InvalidState
from backend.models import Area, Problem, ProblemResponse, ResponseCorrection
from backend.models.enums import ActivityKind, CorrectionKind
from backend.services import activity, configuration, rate_limits, validation
from backend.services.actors import Actor
from backend.services.problems import notices
from backend.services.problems.access import access_problem, may_correct
from backend.services.problems.responding import MAX_BODY
from backend.services.standing import Standing, standing_of

NO_SUCH_RESPONSE = "No response has that ID."
CORRECTORS = "members of the organisation that gave the response and the area's coordinators"


def correction_window() -> timedelta:
    return timedelta(minutes=configuration.current().response_correction_minutes)


def text_correctable_until(response: ProblemResponse) -> datetime:
    """The last moment the response's text may still be corrected in place."""
    return response.created_at + correction_window()


def may_correct_text(standing: Standing, response: ProblemResponse, area: Area, now: datetime) -> bool:
    return now <= text_correctable_until(response) and may_correct(standing, response, area)


async def correct_text(actor: Actor, *, response_id: int, body: str, now: datetime) -> Problem:
    """Within the window: the response's text, put right; the decision stays."""
    body = validation.text(body, "body", what="corrected response", max_length=MAX_BODY, multiline=True)
    return await _correct(actor, response_id, CorrectionKind.TEXT, body, now=now)


async def add_note(actor: Actor, *, response_id: int, body: str, now: datetime) -> Problem:
    """At any time: a correction note shown under the response, which stays as it was."""
    body = validation.text(body, "body", what="correction note", max_length=MAX_BODY, multiline=True)
    return await _correct(actor, response_id, CorrectionKind.NOTE, body, now=now)


async def _correct(
    actor: Actor, response_id: int, kind: CorrectionKind, body: str, *, now: datetime
) -> Problem:
    user = actor.require_user()
    standing = await standing_of(actor)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.CORRECTION, user, now=now)
        problem, response = await _locked_response(actor, standing, response_id)
        correction = ResponseCorrection(
            response=response,
            kind=kind,
            body=body,
            author=user,
            organisation_id=response.organisation_id
            if standing.member_of(response.organisation_id)
            else None,
            created_at=now,
        )
        if kind == CorrectionKind.TEXT:
            _check_text_correction(response, body, now=now)
            correction.replaced_body = response.body
            response.body, response.corrected_at = body, now
            await response.save(update_fields=["body", "corrected_at"])
        await correction.save()
        problem.updated_at = now
        await problem.save(update_fields=["updated_at"])
        await activity.record(user, problem, ActivityKind.RESPONSE_CORRECTED, now=now)
        await notices.tell_correction(problem, response, correction, user, now=now)
    return problem


async def _locked_response(
    actor: Actor, standing: Standing, response_id: int
) -> tuple[Problem, ProblemResponse]:
    """Inside a transaction: the response, with its problem locked (every correction of it
    takes turns there), once it is known the actor may correct it."""
    _, (problem, area) = await seen_through(
        await ProblemResponse.get_or_none(id=response_id),
        lambda response: access_problem(actor, response.problem_id, for_update=True),
        missing=NO_SUCH_RESPONSE,
        field="responseId",
    )
    # Read again under the lock: a correction that committed meanwhile is seen.
    response = await ProblemResponse.get(id=response_id)
    if not may_correct(standing, response, area):
        raise Forbidden(f"Only {CORRECTORS} correct it.")
    return problem, response


def _check_text_correction(response: ProblemResponse, body: str, *, now: datetime) -> None:
    if now > text_correctable_until(response):
        minutes = configuration.current().response_correction_minutes
        raise InvalidState(
            f"The text of a response can be corrected for {minutes} minutes after it is published, "
            "and that time has passed; add a correction note under it instead."
        )
    if body == response.body:
        raise Invalid(
            "The corrected response is the same as the published one; change it first", field="body"
        )
