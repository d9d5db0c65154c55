"""Who may see a problem, and who may do what to it: the read rule and the rights.

A RESTRICTED problem exists only for its proposer, the owner's members, the coordinators
of its area (or of an area above) and platform admins; for anyone else every read and
write answers NOT_FOUND, exactly as for a problem that does not exist. `access_problem`
is the one way a service (or the API) fetches a problem on someone's behalf.
"""

from __future__ import annotations

from collections.abc import Collection

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.db import int_column
from backend.errors import NotFound
from backend.models import Area, AreaRole, OrganisationMembership, Problem, ProblemResponse, User
from backend.models.enums import AreaRoleKind, ProblemStatus, Visibility
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of

ANSWERERS = "members of the owning organisation and the area's coordinators"
# Proposals still waiting for their owner's answer.
AWAITING_RESPONSE = (ProblemStatus.PROPOSED, ProblemStatus.REFERRED)
# Accepted problems being worked on, whose SARA stage can move.
BEING_WORKED_ON = (ProblemStatus.ACCEPTED, ProblemStatus.IN_PROGRESS)
# Public locations are rounded to this many decimal places of a degree: 0.001° is about
# 111 m north-south, and less east-west away from the equator.
PUBLIC_LOCATION_DECIMALS = 3


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


async def access_problem(
    actor: Actor, problem_id: int, *, for_update: bool = False, field: str = "problemId"
) -> tuple[Problem, Area]:
    """The problem and its area, when the actor may see it; NOT_FOUND alike whether it does
    not exist or they may not see it. `for_update`, inside a transaction, locks the problem
    against concurrent changes."""
    found = Problem.filter(id=problem_id)
    problem = await (found.select_for_update() if for_update else found).first()
    area = await Area.get(id=problem.area_id) if problem else None
    if problem is None or area is None or not may_see(await standing_of(actor), problem, area):
        raise NotFound("No problem has that ID.", field=field)
    return problem, area


def may_respond(standing: Standing, problem: Problem, area: Area) -> bool:
    """Whether the person may give the official response now: they answer for it, and it
    still awaits one."""
    return problem.status in AWAITING_RESPONSE and answers_for(standing, problem, area)


def may_correct(standing: Standing, response: ProblemResponse, area: Area) -> bool:
    """Whether the person may correct an official response: they may speak for it now, as
    a member of the organisation it spoke for, or as a coordinator of the area (who answer
    for every problem there). After a referral the new owner's members may not: the
    response is the referring organisation's words."""
    return standing.member_of(response.organisation_id) or standing.coordinates(area)


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
