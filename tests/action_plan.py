"""A working group ready to plan co-owned actions, and everyone the action rights rules name.

Mill Lane safer nights (OPEN), around a problem in Mill Lane owned by the police
  Pat (police)  lead, speaking for Northshire Police
  Cal (council) member, speaking for Riverside Council
  Rita, Ray     members, taking part as themselves
Percy is a police officer outside the group; Ann is an admin of the council, outside it;
Nell is a resident outside it; Dev coordinates the district; Ada is a platform admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from backend import ids
from backend.clock import ManualClock
from backend.models import Action, WorkingGroup
from backend.models.enums import JoinPolicy, OrganisationRole
from backend.services import organisations, working_groups
from backend.services.actors import Actor
from backend.services.working_groups import actions
from backend.services.working_groups.actions import OwnerChoice
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person

# Stands for Rita, who plans the actions unless told otherwise.
PLANNER: Any = object()


def as_(person: Person | None) -> Actor:
    return Actor(user=person.user if person else None)


@dataclass
class Plan:
    n: Neighbourhood
    clock: ManualClock
    group: WorkingGroup
    lead: Person
    council: Person
    rita: Person
    ray: Person
    percy: Person
    ann: Person
    nell: Person

    @property
    def group_id(self) -> str:
        return ids.encode("WorkingGroup", self.group.id)

    def owners(self) -> list[OwnerChoice]:
        """Two organisations and a resident: the police, the council and Ray."""
        return [
            OwnerChoice(organisation_id=self.n.police.id),
            OwnerChoice(organisation_id=self.n.council.id),
            OwnerChoice(user_id=self.ray.user.id),
        ]

    def owner_inputs(self) -> list[dict[str, str]]:
        return [
            {"organisationId": ids.encode("Organisation", self.n.police.id)},
            {"organisationId": ids.encode("Organisation", self.n.council.id)},
            {"userId": ids.encode("User", self.ray.user.id)},
        ]

    async def action(self, *, by: Person | None = PLANNER, **fields: Any) -> Action:
        """An action Rita plans (or `by`: None is anonymous), co-owned by the police, the
        council and Ray."""
        values: dict[str, Any] = {
            "title": "Speed cushions on Mill Lane",
            "description": "Council fits cushions; police enforce; Ray logs the nights.",
            "due_on": date(2026, 3, 1),
            "owners": self.owners(),
            **fields,
        }
        return await actions.create(
            as_(self.rita if by is PLANNER else by), group_id=self.group.id, now=self.clock.now(), **values
        )


async def build(gql: GraphQL, people: People, n: Neighbourhood, clock: ManualClock, **problem: Any) -> Plan:
    now = clock.now()
    problem_id = await n.accepted_problem(gql, **problem)
    lead = n.police_member
    group = await working_groups.form(
        as_(lead),
        problem_id=problem_id,
        name="Mill Lane safer nights",
        purpose="Stop the night-time racing on Mill Lane.",
        join_policy=JoinPolicy.OPEN,
        now=now,
    )
    invitation = await working_groups.invite(
        as_(lead), group_id=group.id, user_id=n.council_member.user.id, organisation_id=n.council.id, now=now
    )
    await working_groups.respond_to_invitation(
        as_(n.council_member), membership_id=invitation.id, accept=True, now=now
    )
    for member in (n.resident, n.neighbour):
        await working_groups.invite(as_(lead), group_id=group.id, user_id=member.user.id, now=now)
        invited = await working_groups.membership_of(member.user.id, group.id)
        assert invited is not None
        await working_groups.respond_to_invitation(
            as_(member), membership_id=invited.id, accept=True, now=now
        )
    plan = Plan(
        n=n,
        clock=clock,
        group=group,
        lead=lead,
        council=n.council_member,
        rita=n.resident,
        ray=n.neighbour,
        percy=await people.make("Percy Police"),
        ann=await people.make("Ann Council Admin"),
        nell=await people.make("Nell Outsider"),
    )
    admin = as_(n.admin)
    for organisation_id, person, role in (
        (n.police.id, plan.percy, OrganisationRole.MEMBER),
        (n.council.id, plan.ann, OrganisationRole.ADMIN),
    ):
        await organisations.add_member(
            admin, organisation_id=organisation_id, email=person.user.email, role=role, now=now
        )
    return plan
