"""The demo's working groups, made through the services after its problems: police, council,
housing, youth trust and residents working together, with invitations and requests still
waiting for an answer, a group whose work is over, and action plans with an action in every
state (proposed, under way with owners in progress and blocked, done, cancelled).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from backend.demo_people import AMIRA, DANA, GRACE, KOFI, LEE, PRIYA, RUTH, SAM, TOM
from backend.models import Action, GroupMembership, Organisation, Problem, User, WorkingGroup
from backend.models.enums import JoinPolicy, OwnerStatus
from backend.services import working_groups
from backend.services.actors import Actor
from backend.services.working_groups import actions
from backend.services.working_groups.actions import OwnerChoice

IN_PROGRESS, BLOCKED, DONE = OwnerStatus.IN_PROGRESS, OwnerStatus.BLOCKED, OwnerStatus.DONE

# The groups and the actions the story below makes, by name (see its opening comment).
_TABLE: dict[str, dict[str, dict[str, Any]]] = tomllib.loads(
    resources.files("backend").joinpath("demo_groups.toml").read_text(encoding="utf-8")
)


@dataclass
class _Groups:
    """The demo's clock, people and organisations, for telling how each group came about."""

    now: datetime
    users: Mapping[str, User]
    organisations: Mapping[str, Organisation]

    def at(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def person(self, email: str) -> Actor:
        return Actor(user=self.users[email])

    async def form(self, email: str, problem: Problem, days_ago: float, name: str) -> WorkingGroup:
        """Forms the group `name` of the table, as `email` did `days_ago` days before the demo."""
        group = _TABLE["groups"][name]
        return await working_groups.form(
            self.person(email),
            problem_id=problem.id,
            name=group["name"],
            purpose=group["purpose"],
            join_policy=JoinPolicy[group["policy"]],
            now=self.at(days_ago),
        )

    async def invite(
        self, lead: str, group: WorkingGroup, email: str, days_ago: float, *, speaking_for: str | None = None
    ) -> GroupMembership:
        organisation = self.organisations[speaking_for].id if speaking_for else None
        return await working_groups.invite(
            self.person(lead),
            group_id=group.id,
            user_id=self.users[email].id,
            organisation_id=organisation,
            now=self.at(days_ago),
        )

    async def welcome(
        self, lead: str, group: WorkingGroup, email: str, days_ago: float, *, speaking_for: str | None = None
    ) -> None:
        """Invited, and accepted the next day."""
        invited = await self.invite(lead, group, email, days_ago, speaking_for=speaking_for)
        await working_groups.respond_to_invitation(
            self.person(email), membership_id=invited.id, accept=True, now=self.at(days_ago - 1)
        )

    async def ask(
        self, email: str, group: WorkingGroup, days_ago: float, message: str | None = None
    ) -> GroupMembership:
        return await working_groups.join(
            self.person(email), group_id=group.id, message=message, now=self.at(days_ago)
        )

    async def plan(self, email: str, group: WorkingGroup, days_ago: float, name: str) -> Action:
        """Plans the action `name` of the table, as `email` did `days_ago` days before the demo."""
        action = _TABLE["actions"][name]
        due_in_days = action.get("due_in_days")
        due_on = (self.at(days_ago) + timedelta(days=due_in_days)).date() if due_in_days else None
        return await actions.create(
            self.person(email),
            group_id=group.id,
            title=action["title"],
            description=action["description"],
            due_on=due_on,
            owners=[self._owner(owner) for owner in action["owners"]],
            now=self.at(days_ago),
        )

    def _owner(self, name: str) -> OwnerChoice:
        if name in self.organisations:
            return OwnerChoice(organisation_id=self.organisations[name].id)
        return OwnerChoice(user_id=self.users[name].id)

    async def answer(
        self, email: str, action: Action, days_ago: float, *, speaking_for: str, accept: bool = True
    ) -> None:
        await actions.respond(
            self.person(email),
            action_id=action.id,
            organisation_id=self.organisations[speaking_for].id,
            accept=accept,
            now=self.at(days_ago),
        )

    async def report(
        self,
        email: str,
        action: Action,
        days_ago: float,
        status: OwnerStatus,
        note: str,
        *,
        speaking_for: str,
    ) -> None:
        await actions.report_progress(
            self.person(email),
            action_id=action.id,
            organisation_id=self.organisations[speaking_for].id,
            status=status,
            note=note,
            now=self.at(days_ago),
        )


async def form_groups(
    *,
    now: datetime,
    users: Mapping[str, User],
    organisations: Mapping[str, Organisation],
    problems: Mapping[str, Problem],
) -> list[WorkingGroup]:
    """The underpass group (joining on approval), the youth club group (open to all) and the
    park clean-up (closed); Maggie Doyle stays out of all of them."""
    cast = _Groups(now=now, users=users, organisations=organisations)
    underpass = await _underpass_group(cast, problems["underpass"])
    youth = await cast.form(RUTH, problems["teenagers"], 13, "youth")
    await cast.ask(GRACE, youth, 12)
    await cast.welcome(RUTH, youth, TOM, 12, speaking_for="Northshire Police")
    wednesdays = await cast.plan(RUTH, youth, 2, "wednesdays")
    await cast.answer(RUTH, wednesdays, 1, speaking_for="Riverside Youth Trust")
    clean_up = await cast.form(PRIYA, problems["underpass"], 12, "clean_up")
    await cast.ask(KOFI, clean_up, 11)
    await cast.welcome(PRIYA, clean_up, DANA, 11, speaking_for="Kingsbridge Borough Council")
    await working_groups.close(cast.person(PRIYA), group_id=clean_up.id, now=cast.at(4))
    return [underpass, youth, clean_up]


async def _underpass_group(cast: _Groups, problem: Problem) -> WorkingGroup:
    group = await cast.form(PRIYA, problem, 20, "underpass")
    await cast.welcome(PRIYA, group, DANA, 19, speaking_for="Kingsbridge Borough Council")
    await cast.welcome(PRIYA, group, LEE, 19, speaking_for="Northshire Homes")
    await cast.welcome(PRIYA, group, KOFI, 19)
    amira = await cast.ask(
        AMIRA, group, 17, "I live on Canal Street and walk through the underpass every day."
    )
    await working_groups.decide_request(
        cast.person(PRIYA), membership_id=amira.id, approve=True, now=cast.at(16)
    )
    # Still waiting: an invitation for Tom, and Sam's request to join.
    await cast.invite(PRIYA, group, TOM, 3, speaking_for="Northshire Police")
    await cast.ask(
        SAM, group, 2, "My children walk through there to school. I can help with a walking group."
    )
    await _underpass_plan(cast, group)
    return group


async def _underpass_plan(cast: _Groups, group: WorkingGroup) -> None:
    """An action in every state: done, under way (in progress and blocked), cancelled, proposed."""
    police, council, homes = "Northshire Police", "Kingsbridge Borough Council", "Northshire Homes"
    lighting = await cast.plan(DANA, group, 18, "lighting")
    await cast.answer(DANA, lighting, 17, speaking_for=council)
    await cast.answer(PRIYA, lighting, 17, speaking_for=police)
    await cast.report(DANA, lighting, 10, DONE, "The new lights went in on Tuesday.", speaking_for=council)
    await cast.report(
        PRIYA, lighting, 6, DONE, "The camera is live in the control room.", speaking_for=police
    )
    path = await cast.plan(PRIYA, group, 16, "path")
    await cast.answer(PRIYA, path, 15, speaking_for=police)
    await cast.answer(LEE, path, 15, speaking_for=homes)
    patrols = "Six evening patrols a week until the end of the month."
    await cast.report(PRIYA, path, 8, IN_PROGRESS, patrols, speaking_for=police)
    hedges = "The hedges are on council land: we are waiting for permission."
    await cast.report(LEE, path, 7, BLOCKED, hedges, speaking_for=homes)
    bus_stop = await cast.plan(KOFI, group, 14, "bus_stop")
    await cast.answer(DANA, bus_stop, 12, speaking_for=council, accept=False)
    await cast.plan(AMIRA, group, 1, "mural")
