"""The demo's working groups, made through the services after its problems: police, council,
housing, youth trust and residents working together, with invitations and requests still
waiting for an answer, a group whose work is over, and action plans with an action in every
state (proposed, under way with owners in progress and blocked, done, cancelled).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.demo_people import AMIRA, DANA, GRACE, KOFI, LEE, PRIYA, RUTH, SAM, TOM
from backend.models import Action, GroupMembership, Organisation, Problem, User, WorkingGroup
from backend.models.enums import JoinPolicy, OwnerStatus
from backend.services import working_groups
from backend.services.actors import Actor
from backend.services.working_groups import actions
from backend.services.working_groups.actions import OwnerChoice

IN_PROGRESS, BLOCKED, DONE = OwnerStatus.IN_PROGRESS, OwnerStatus.BLOCKED, OwnerStatus.DONE


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

    async def form(
        self, email: str, problem: Problem, days_ago: float, *, name: str, purpose: str, policy: JoinPolicy
    ) -> WorkingGroup:
        return await working_groups.form(
            self.person(email),
            problem_id=problem.id,
            name=name,
            purpose=purpose,
            join_policy=policy,
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

    async def plan(
        self,
        email: str,
        group: WorkingGroup,
        days_ago: float,
        *,
        title: str,
        description: str,
        owners: list[str],
        due_in_days: int | None = None,
    ) -> Action:
        """An action co-owned by the named organisations and people (by email)."""
        due_on = (self.at(days_ago) + timedelta(days=due_in_days)).date() if due_in_days else None
        return await actions.create(
            self.person(email),
            group_id=group.id,
            title=title,
            description=description,
            due_on=due_on,
            owners=[self._owner(name) for name in owners],
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
    youth = await cast.form(
        RUTH,
        problems["teenagers"],
        13,
        name="Friday youth club group",
        purpose=(
            "Keep the Friday youth club at Riverside Community Centre going, find more volunteers, "
            "and see whether a second evening would help."
        ),
        policy=JoinPolicy.OPEN,
    )
    await cast.ask(GRACE, youth, 12)
    await cast.welcome(RUTH, youth, TOM, 12, speaking_for="Northshire Police")
    wednesdays = await cast.plan(
        RUTH,
        youth,
        2,
        title="Open the youth club on Wednesdays too",
        description="A second evening, if enough volunteers come forward to run it safely.",
        owners=["Riverside Youth Trust", GRACE],
        due_in_days=30,
    )
    await cast.answer(RUTH, wednesdays, 1, speaking_for="Riverside Youth Trust")
    clean_up = await cast.form(
        PRIYA,
        problems["underpass"],
        12,
        name="Riverside Park clean-up day",
        purpose=(
            "One Saturday morning clearing litter and needles from the park paths, with the "
            "council's street team."
        ),
        policy=JoinPolicy.OPEN,
    )
    await cast.ask(KOFI, clean_up, 11)
    await cast.welcome(PRIYA, clean_up, DANA, 11, speaking_for="Kingsbridge Borough Council")
    await working_groups.close(cast.person(PRIYA), group_id=clean_up.id, now=cast.at(4))
    return [underpass, youth, clean_up]


async def _underpass_group(cast: _Groups, problem: Problem) -> WorkingGroup:
    group = await cast.form(
        PRIYA,
        problem,
        20,
        name="Riverside underpass group",
        purpose=(
            "Make the underpass and the walk to Canal Street safe after dark: patrols, lighting, "
            "a camera, and a path that people want to use again."
        ),
        policy=JoinPolicy.APPROVAL,
    )
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
    lighting = await cast.plan(
        DANA,
        group,
        18,
        title="Brighter lighting and a camera in the underpass",
        description="LED lighting along the underpass, and a camera the police control room can see.",
        owners=[council, police],
        due_in_days=21,
    )
    await cast.answer(DANA, lighting, 17, speaking_for=council)
    await cast.answer(PRIYA, lighting, 17, speaking_for=police)
    await cast.report(DANA, lighting, 10, DONE, "The new lights went in on Tuesday.", speaking_for=council)
    await cast.report(
        PRIYA, lighting, 6, DONE, "The camera is live in the control room.", speaking_for=police
    )
    path = await cast.plan(
        PRIYA,
        group,
        16,
        title="Patrols, and a clear path to Canal Street",
        description=(
            "Evening patrols through the underpass, and the overgrown hedges along the path to "
            "Canal Street cut back so that people can see who is ahead of them."
        ),
        owners=[police, homes],
        due_in_days=12,
    )
    await cast.answer(PRIYA, path, 15, speaking_for=police)
    await cast.answer(LEE, path, 15, speaking_for=homes)
    await cast.report(
        PRIYA,
        path,
        8,
        IN_PROGRESS,
        "Six evening patrols a week until the end of the month.",
        speaking_for=police,
    )
    await cast.report(
        LEE,
        path,
        7,
        BLOCKED,
        "The hedges are on council land: we are waiting for permission.",
        speaking_for=homes,
    )
    bus_stop = await cast.plan(
        KOFI,
        group,
        14,
        title="Move the bus stop to the lit side of the road",
        description="So that nobody has to use the underpass to reach it after dark.",
        owners=[council],
    )
    await cast.answer(DANA, bus_stop, 12, speaking_for=council, accept=False)
    await cast.plan(
        AMIRA,
        group,
        1,
        title="A mural by young people on the underpass walls",
        description="Designed and painted with the youth club, so that the underpass feels cared for.",
        owners=[homes, AMIRA],
        due_in_days=45,
    )
