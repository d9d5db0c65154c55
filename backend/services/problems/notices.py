"""Who hears of what happens to a problem, and what they are told.

Every notice goes through `tell`: the notification row is written in the caller's
transaction (the outbox), to those among the people named who may read the problem, never
to the person who caused it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from backend import models
from backend.db import int_column
from backend.models.enums import (
    AreaRoleKind,
    CorrectionKind,
    NotificationKind,
    ResponseDecision,
    SubjectKind,
    Visibility,
)
from backend.services import notifications
from backend.services.audiences import Subject


async def tell(
    kind: NotificationKind,
    problem: models.Problem,
    people: Iterable[int],
    *,
    occurrence: str,
    context: dict[str, Any],
    now: datetime,
    author: models.User | None = None,
) -> None:
    await notifications.notify_many(
        kind,
        (person for person in people if author is None or person != author.id),
        subject=Subject(SubjectKind.PROBLEM, problem.id),
        occurrence=occurrence,
        now=now,
        context={"title": problem.title, **context},
        actor_id=author.id if author else None,
    )


async def coordinator_tiers(area: models.Area) -> list[list[int]]:
    """The coordinators of each area from this one up that has any, nearest first."""
    roles = await models.AreaRole.filter(
        area_id__in=area.ancestor_ids, role=AreaRoleKind.COORDINATOR
    ).values_list("area_id", "user_id")
    by_area: dict[int, list[int]] = {}
    for area_id, user_id in roles:
        by_area.setdefault(area_id, []).append(user_id)
    return [by_area[a] for a in area.ancestor_ids if a in by_area]


async def members(organisation_id: int | None) -> list[int]:
    if organisation_id is None:
        return []
    return list(
        await int_column(models.OrganisationMembership.filter(organisation_id=organisation_id), "user_id")
    )


async def answerers(organisation_id: int | None, area: models.Area, *, escalated: bool = False) -> list[int]:
    """Who is told a proposal awaits them: the organisation's members and the area's
    coordinators (those of the nearest area above that has any, when it has none of its
    own); once escalated, the coordinators of the next area above that has any as well."""
    tiers = await coordinator_tiers(area)
    return [
        *await members(organisation_id),
        *(person for tier in tiers[: 2 if escalated else 1] for person in tier),
    ]


async def _organisation(organisation_id: int | None) -> models.Organisation | None:
    return await models.Organisation.get(id=organisation_id) if organisation_id is not None else None


async def audience(problem: models.Problem) -> set[int]:
    """The proposer, the supporters and the followers."""
    supporters = await int_column(models.ProblemSupport.filter(problem_id=problem.id), "user_id")
    followers = await int_column(models.ProblemFollow.filter(problem_id=problem.id), "user_id")
    return {problem.proposer_id, *supporters, *followers}


def _words(value: str) -> str:
    return value.replace("_", " ").lower()


def _day(moment: datetime) -> str:
    return f"{moment:%-d %B %Y}"


async def ask_for_response(
    problem: models.Problem,
    area: models.Area,
    people: Collection[int],
    *,
    occurrence: str,
    owner: models.Organisation | None,
    proposer: str | None,
    referred_by: str | None,
    author: models.User,
    now: datetime,
) -> None:
    """Tell those who owe the response that a proposal awaits it: when it is proposed, and
    when it is referred to them."""
    await tell(
        NotificationKind.PROBLEM_PROPOSED,
        problem,
        people,
        occurrence=occurrence,
        context={
            "description": problem.description,
            "category": _words(problem.category),
            "area": area.name,
            "proposer": proposer,
            "organisation": owner.name if owner else None,
            "referred_by": referred_by,
            "due": _day(problem.response_due_at),
        },
        now=now,
        author=author,
    )


async def tell_proposed(
    problem: models.Problem, area: models.Area, proposer: models.User, *, now: datetime
) -> None:
    """A new proposal reaches its owner: those who answer for it are told, and the proposer
    gets a receipt saying who answers and by when."""
    owner = await _organisation(problem.owner_id)
    await tell(
        NotificationKind.PROPOSAL_RECEIVED,
        problem,
        [proposer.id],
        occurrence="proposed",
        context={
            "area": area.name,
            "organisation": owner.name if owner else None,
            "due": _day(problem.response_due_at),
            "restricted": problem.visibility == Visibility.RESTRICTED,
        },
        now=now,
    )
    await ask_for_response(
        problem,
        area,
        await answerers(problem.owner_id, area),
        occurrence="proposed",
        owner=owner,
        proposer=proposer.display_name,
        referred_by=None,
        author=proposer,
        now=now,
    )


# What each decision is called in the notice of it.
ANSWERS = {
    ResponseDecision.ACCEPT: "Accepted",
    ResponseDecision.DECLINE: "Declined",
    ResponseDecision.REFER: "Referred",
    ResponseDecision.DUPLICATE: "Marked as a duplicate",
}


async def tell_response(
    problem: models.Problem,
    response: models.ProblemResponse,
    area: models.Area,
    author: models.User,
    referred_to: models.Organisation | None,
    *,
    now: datetime,
) -> None:
    """The proposer, supporters and followers hear the answer; on a referral, the members
    of the organisation it goes to are asked for theirs."""
    speaking_for = await _organisation(response.organisation_id)
    await tell(
        NotificationKind.PROBLEM_RESPONSE,
        problem,
        await audience(problem),
        occurrence=f"response:{response.id}",
        context={
            "answer": f"Referred to {referred_to.name}" if referred_to else ANSWERS[response.decision],
            "author": author.display_name,
            "organisation": speaking_for.name if speaking_for else None,
            "reason": _words(response.reason_code) if response.reason_code else None,
            "body": response.body,
        },
        now=now,
        author=author,
    )
    if referred_to is not None:
        await ask_for_response(
            problem,
            area,
            await members(referred_to.id),
            occurrence=f"referred:{response.id}",
            owner=referred_to,
            proposer=None,
            referred_by=author.display_name,
            author=author,
            now=now,
        )


# The notices that ask for a proposal's answer: to-dos, done once it is answered.
REQUESTS_FOR_ANSWER = (NotificationKind.PROBLEM_PROPOSED, NotificationKind.RESPONSE_OVERDUE)
# Why such a request's mail did not go out.
ANSWERED_BEFORE_SENT = "the proposal was answered before the mail went out"


async def settle_requests(problem: models.Problem, *, now: datetime) -> None:
    """An answer (a referral too: the referring owner has answered) settles every request for
    it so far, so nobody's notifications keep a stale to-do; a referral's own request to the
    new owner is written after this."""
    await notifications.settle(
        REQUESTS_FOR_ANSWER,
        Subject(SubjectKind.PROBLEM, problem.id),
        now=now,
        why=ANSWERED_BEFORE_SENT,
    )


async def tell_news(
    problem: models.Problem,
    author: models.User,
    *,
    occurrence: str,
    organisation_id: int | None,
    body: str,
    now: datetime,
    also: Iterable[int] = (),
) -> None:
    """Progress news on the problem, from its author and the organisation they spoke for, to
    its followers and to `also`, once each."""
    followers = await int_column(models.ProblemFollow.filter(problem_id=problem.id), "user_id")
    speaking_for = await _organisation(organisation_id)
    await tell(
        NotificationKind.PROBLEM_UPDATE,
        problem,
        {*followers, *also},
        occurrence=occurrence,
        context={
            "author": author.display_name,
            "organisation": speaking_for.name if speaking_for else None,
            "body": body,
        },
        now=now,
        author=author,
    )


async def tell_update(
    problem: models.Problem, update: models.ProblemUpdate, author: models.User, *, now: datetime
) -> None:
    """The followers hear the progress news."""
    await tell_news(
        problem,
        author,
        occurrence=f"update:{update.id}",
        organisation_id=update.organisation_id,
        body=update.body,
        now=now,
    )


async def tell_correction(
    problem: models.Problem,
    response: models.ProblemResponse,
    correction: models.ResponseCorrection,
    author: models.User,
    *,
    now: datetime,
) -> None:
    """The followers hear that an official response was corrected, and how; its decision
    stands, and the notice says so."""
    answered = f"{ANSWERS[response.decision].lower()} on {_day(response.created_at)}"
    if correction.kind == CorrectionKind.TEXT:
        said = f"The response ({answered}) now reads:"
    else:
        said = f"A correction note under the response ({answered}):"
    await tell_news(
        problem,
        author,
        occurrence=f"correction:{correction.id}",
        organisation_id=correction.organisation_id,
        body=f"{said}\n\n{correction.body}\n\nThe decision itself is unchanged.",
        now=now,
    )


async def tell_overdue(routing: models.ProblemRouting, *, escalated: bool, now: datetime) -> None:
    """Those who owe the response hear it is overdue; once escalated, the coordinators of
    the area above hear it too."""
    problem = await models.Problem.get(id=routing.problem_id)
    area = await models.Area.get(id=problem.area_id)
    owner = await _organisation(routing.organisation_id)
    await tell(
        NotificationKind.RESPONSE_OVERDUE,
        problem,
        await answerers(routing.organisation_id, area, escalated=escalated),
        occurrence=f"routing:{routing.id}:{'escalated' if escalated else 'overdue'}",
        context={
            "area": area.name,
            "proposed": _day(problem.created_at),
            "due": _day(routing.due_at),
            "organisation": owner.name if owner else None,
            "escalated": escalated,
            "days": round((routing.due_at - routing.received_at) / timedelta(days=1)),
        },
        now=now,
    )
