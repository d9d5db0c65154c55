"""The demo's working groups, made through the services after its problems: police, council,
housing, youth trust and residents working together, with invitations and requests still
waiting for an answer, and a group whose work is over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.models import GroupMembership, Organisation, Problem, User, WorkingGroup
from backend.models.enums import JoinPolicy
from backend.services import working_groups
from backend.services.actors import Actor

PRIYA = "priya.shah@police.demo"
TOM = "tom.reed@police.demo"
DANA = "dana.okafor@council.demo"
LEE = "lee.marsh@homes.demo"
RUTH = "ruth.byrne@youthtrust.demo"
SAM = "sam.patel@resident.demo"
KOFI = "kofi.mensah@resident.demo"
GRACE = "grace.liu@resident.demo"
AMIRA = "amira.haddad@resident.demo"


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
    return group
