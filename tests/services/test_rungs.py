"""Rungs: a person's rung in an area is the highest their acts there reach in the last twelve
months, or what they are now (a group member, a follower); an area counts the areas inside it."""

from __future__ import annotations

from datetime import timedelta

from backend import ids
from backend.clock import ManualClock
from backend.models import Activity, Area, GroupMembership, ProblemFollow, User, WorkingGroup
from backend.models.enums import (
    ActivityKind,
    GroupRole,
    MembershipStatus,
    ParticipationRung,
    WorkingGroupStatus,
)
from backend.services import ladder
from backend.services.activity import RUNG_REACHED
from neighbourhood import Neighbourhood
from support import GraphQL, Person

Rung = ParticipationRung


async def act(
    person: Person, area: Area, kind: ActivityKind, clock: ManualClock, *, days_ago: int = 0
) -> None:
    await Activity.create(
        person_id=person.user.id,
        area_id=area.id,
        kind=kind,
        rung=RUNG_REACHED[kind],
        occurred_at=clock.now() - timedelta(days=days_ago),
    )


async def test_the_highest_act_in_the_last_twelve_months_is_the_rung(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await act(n.neighbour, n.ward, ActivityKind.COMMENTED, clock, days_ago=30)
    await act(n.neighbour, n.ward, ActivityKind.TASK_COMPLETED, clock, days_ago=366)
    await act(n.neighbour, n.ward, ActivityKind.SUPPORT_WITHDRAWN, clock)

    assert await ladder.rung_of(n.neighbour.user.id, n.ward, now=clock.now()) is Rung.CONVERSATION
    # A year on, the comment has aged out too.
    clock.advance(days=336)
    assert await ladder.rung_of(n.neighbour.user.id, n.ward, now=clock.now()) is Rung.NONE


async def test_an_area_counts_the_areas_inside_it_and_no_other(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await act(n.neighbour, n.ward, ActivityKind.TASK_CHECKED_IN, clock)
    await act(n.neighbour, n.other_force, ActivityKind.TASK_COMPLETED, clock)
    person = n.neighbour.user.id

    assert await ladder.rung_of(person, n.ward, now=clock.now()) is Rung.PARTICIPATION
    assert await ladder.rung_of(person, n.district, now=clock.now()) is Rung.PARTICIPATION
    assert await ladder.rung_of(person, n.force, now=clock.now()) is Rung.PARTICIPATION
    assert await ladder.rung_of(person, n.other_force, now=clock.now()) is Rung.VOLUNTEER
    assert await ladder.rung_of(person, None, now=clock.now()) is Rung.VOLUNTEER


async def test_members_and_followers_stand_on_their_rung_while_they_are(
    neighbourhood: Neighbourhood, clock: ManualClock, gql: GraphQL
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    group_id = ids.decode(group["id"], "WorkingGroup", "id")
    problem_id = (await WorkingGroup.get(id=group_id)).problem_id
    member, follower = n.neighbour.user.id, n.council_member.user.id
    await GroupMembership.create(
        group_id=group_id, user_id=member, role=GroupRole.MEMBER, status=MembershipStatus.ACTIVE,
        created_at=clock.now(), updated_at=clock.now(),
    )  # fmt: skip
    await ProblemFollow.create(problem_id=problem_id, user_id=follower, created_at=clock.now())
    # Joining was long ago: being a member is the rung, not the act of joining.
    clock.advance(days=400)

    assert await ladder.rung_of(member, n.ward, now=clock.now()) is Rung.CO_DESIGNER
    assert await ladder.rung_of(follower, n.district, now=clock.now()) is Rung.PASSIVE
    assert await ladder.rung_of(member, n.other_force, now=clock.now()) is Rung.NONE

    await WorkingGroup.filter(id=group_id).update(status=WorkingGroupStatus.CLOSED)
    assert await ladder.rung_of(member, n.ward, now=clock.now()) is Rung.NONE


async def test_the_ladder_lists_every_rung_and_counts_residents_not_yet_on_it(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await act(n.neighbour, n.ward, ActivityKind.COMMENTED, clock)
    await act(n.council_member, n.ward, ActivityKind.SUPPORTED, clock)
    await act(n.council_member, n.ward, ActivityKind.FOLLOWED, clock)
    await act(n.police_member, n.other_force, ActivityKind.SUPPORTED, clock)
    await User.filter(id__in=[n.neighbour.user.id, n.admin.user.id]).update(home_area_id=n.ward.id)
    living_elsewhere = {
        p.user.id for p in (n.neighbour, n.admin, n.council_member, n.police_member, n.resident)
    }
    await User.filter(id__not_in=living_elsewhere).update(home_area_id=None)
    await User.filter(id__in=[n.resident.user.id]).update(home_area_id=n.other_force.id)

    counts = await ladder.ladder_of(n.district, now=clock.now())

    assert list(counts) == list(Rung)
    assert counts == {
        # The admin lives in the ward and has done nothing there; the neighbour lives there
        # and commented, so counts on their rung.
        Rung.NONE: 1,
        Rung.PASSIVE: 0,
        Rung.CONVERSATION: 1,
        Rung.PARTICIPATION: 0,
        Rung.ACTIVIST: 1,
        Rung.VOLUNTEER: 0,
        Rung.CO_DESIGNER: 0,
    }
    assert await ladder.people_reaching(Rung.ACTIVIST, now=clock.now()) == {
        n.council_member.user.id,
        n.police_member.user.id,
    }
