"""A small neighbourhood for the problem tests: every kind of person the rights rules name.

    Northshire (force)                    coordinator: Cora (of the force)
      └─ Riverside (district)             coordinator: Dev; police own antisocial behaviour here
           └─ Mill Lane (ward)            moderator: Mo
    Hillside (another force)              coordinator: Hal

Police (Pat is a member) own antisocial behaviour in Riverside and so in Mill Lane; the
council (Cal is a member) owns nothing there. Rita and Ray are residents; Ada is a
platform admin. Working groups form around accepted problems (`accepted_problem`,
`form_group`): Pat forms them, speaking for the police.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from backend import ids
from backend.clock import ManualClock
from backend.models import Area, Organisation, Problem
from backend.models.enums import (
    AreaRoleKind,
    OrganisationKind,
    OrganisationRole,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
)
from backend.services import areas, organisations, problems
from backend.services.actors import Actor
from support import GraphQL, People, Person, payload

# Everyone the rights rules name, by their place in the neighbourhood.
EVERYONE = [
    "anonymous",
    "neighbour",
    "resident",
    "police_member",
    "council_member",
    "district_coordinator",
    "force_coordinator",
    "other_coordinator",
    "moderator",
    "admin",
]


@dataclass
class Neighbourhood:
    admin: Person
    resident: Person
    neighbour: Person
    police_member: Person
    council_member: Person
    force_coordinator: Person
    district_coordinator: Person
    moderator: Person
    other_coordinator: Person
    force: Area
    district: Area
    ward: Area
    other_force: Area
    police: Organisation
    council: Organisation

    @staticmethod
    def area_id(area: Area) -> str:
        return ids.encode("Area", area.id)

    @staticmethod
    def organisation_id(organisation: Organisation) -> str:
        return ids.encode("Organisation", organisation.id)

    async def propose(
        self, gql: GraphQL, person: Person | None = None, *, area: Area | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Proposes through the API (as the resident, in the ward, owned by the police)."""
        values = {
            "areaId": self.area_id(area or self.ward),
            "title": "Cars racing on Mill Lane at night",
            "description": "Most nights after 11pm, two or three cars race the length of the lane.",
            "category": ProblemCategory.ANTISOCIAL_BEHAVIOUR.value,
            **fields,
        }
        result = payload(await gql("ProposeProblem", as_=(person or self.resident).token, input=values))
        assert result["errors"] == [], result
        problem: dict[str, Any] = result["problem"]
        return problem

    async def accepted_problem(
        self, gql: GraphQL, person: Person | None = None, *, area: Area | None = None, **fields: Any
    ) -> int:
        """A proposal accepted by its owner, at the Analysis stage: ready for a working group."""
        problem = await self.propose(gql, person, area=area, **fields)
        pk = ids.decode(problem["id"], "Problem", "problemId")
        await Problem.filter(id=pk).update(status=ProblemStatus.ACCEPTED, stage=SaraStage.ANALYSIS)
        return pk

    async def form_group(
        self,
        gql: GraphQL,
        founder: Person | None = None,
        *,
        policy: str = "OPEN",
        problem_id: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A working group formed through the API (by the police member, around a new accepted
        problem in the ward, open to all)."""
        values = {
            "problemId": ids.encode("Problem", problem_id or await self.accepted_problem(gql, **fields)),
            "name": "Mill Lane safer nights",
            "purpose": "Stop the night-time racing on Mill Lane.",
            "joinPolicy": policy,
        }
        result = payload(
            await gql("FormWorkingGroup", as_=(founder or self.police_member).token, input=values)
        )
        assert result["errors"] == [], result
        group: dict[str, Any] = result["workingGroup"]
        return group


async def build(people: People, clock: ManualClock) -> Neighbourhood:
    now = clock.now()
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    force = await areas.create_area(actor, name="Northshire", response_days=14, now=now)
    district = await areas.create_area(actor, name="Riverside", parent_id=force.id, now=now)
    ward = await areas.create_area(actor, name="Mill Lane", parent_id=district.id, now=now)
    other_force = await areas.create_area(actor, name="Hillside", response_days=7, now=now)
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=now
    )
    council = await organisations.create_organisation(
        actor, name="Riverside Council", kind=OrganisationKind.COUNCIL, now=now
    )
    await areas.set_routing_rule(
        actor,
        area_id=district.id,
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        organisation_id=police.id,
        now=now,
    )
    n = Neighbourhood(
        admin=admin,
        resident=await people.make("Rita Resident"),
        neighbour=await people.make("Ray Neighbour"),
        police_member=await people.make("Pat Police"),
        council_member=await people.make("Cal Council"),
        force_coordinator=await people.make("Cora Coordinator"),
        district_coordinator=await people.make("Dev Coordinator"),
        moderator=await people.make("Mo Moderator"),
        other_coordinator=await people.make("Hal Hillside"),
        force=force,
        district=district,
        ward=ward,
        other_force=other_force,
        police=police,
        council=council,
    )
    for organisation, member in ((police, n.police_member), (council, n.council_member)):
        await organisations.add_member(
            actor,
            organisation_id=organisation.id,
            email=member.user.email,
            role=OrganisationRole.MEMBER,
            now=now,
        )
    for area, person, role in (
        (force, n.force_coordinator, AreaRoleKind.COORDINATOR),
        (district, n.district_coordinator, AreaRoleKind.COORDINATOR),
        (ward, n.moderator, AreaRoleKind.MODERATOR),
        (other_force, n.other_coordinator, AreaRoleKind.COORDINATOR),
    ):
        await areas.assign_area_role(actor, area_id=area.id, user_id=person.user.id, role=role, now=now)
    return n


async def respond(
    person: Person, problem: Problem, after: timedelta, decision: ResponseDecision, **details: Any
) -> None:
    """An official response through the services, `after` the proposal was made."""
    await problems.respond(
        Actor(user=person.user),
        problem_id=problem.id,
        decision=decision,
        body="Our answer.",
        now=problem.created_at + after,
        **details,
    )
