"""Working groups in the services: forming, membership, and the rules that hold them.

Forming moves the problem to the Response stage and makes the founder the first lead;
each person has one membership row per group, reused when they come back; the last lead
cannot leave or step down; a closed group takes nobody new; every act is in the record.
"""

from __future__ import annotations

import pytest

from backend.clock import ManualClock
from backend.errors import DomainError, ErrorCode
from backend.models import Activity, GroupMembership, GroupProblem, Notification, Problem, WorkingGroup
from backend.models.enums import (
    ActivityKind,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    NotificationKind,
    ParticipationRung,
    ProblemStatus,
    SaraStage,
    Visibility,
)
from backend.services import working_groups
from backend.services.actors import Actor
from neighbourhood import Neighbourhood
from support import GraphQL, Person


def as_(person: Person) -> Actor:
    return Actor(user=person.user)


async def formed(
    gql: GraphQL, n: Neighbourhood, clock: ManualClock, policy: JoinPolicy = JoinPolicy.OPEN, **fields: object
) -> WorkingGroup:
    problem_id = await n.accepted_problem(gql, **fields)
    return await working_groups.form(
        as_(n.police_member),
        problem_id=problem_id,
        name="Mill Lane safer nights",
        purpose="Stop the night-time racing on Mill Lane.",
        join_policy=policy,
        now=clock.now(),
    )


async def fails(code: ErrorCode, act: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await act  # type: ignore[misc]
    assert caught.value.code == code, caught.value.message
    return caught.value


async def test_forming_makes_the_founder_lead_and_moves_the_problem_to_response(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock)

    lead = await GroupMembership.get(group_id=group.id)
    assert (lead.user_id, lead.role, lead.status, lead.organisation_id) == (
        n.police_member.user.id,
        GroupRole.LEAD,
        MembershipStatus.ACTIVE,
        n.police.id,
    )
    problem = await Problem.get(id=group.problem_id)
    assert (problem.stage, problem.status) == (SaraStage.RESPONSE, ProblemStatus.IN_PROGRESS)
    assert await GroupProblem.filter(group_id=group.id).values_list("problem_id", flat=True) == [problem.id]
    act = await Activity.get(working_group_id=group.id)
    assert (act.person_id, act.kind, act.rung, act.area_id) == (
        n.police_member.user.id,
        ActivityKind.GROUP_FORMED,
        ParticipationRung.CO_DESIGNER,
        n.ward.id,
    )


async def test_forming_needs_an_accepted_problem_and_the_right_person(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    proposed = await n.propose(gql)
    from backend import ids

    proposed_id = ids.decode(proposed["id"], "Problem", "problemId")
    accepted_id = await n.accepted_problem(gql)
    form = working_groups.form
    kwargs = {"name": "A group", "purpose": "Work.", "now": clock.now()}
    await fails(ErrorCode.INVALID_STATE, form(as_(n.police_member), problem_id=proposed_id, **kwargs))  # type: ignore[arg-type]
    await fails(ErrorCode.FORBIDDEN, form(as_(n.council_member), problem_id=accepted_id, **kwargs))  # type: ignore[arg-type]
    await fails(ErrorCode.FORBIDDEN, form(as_(n.resident), problem_id=accepted_id, **kwargs))  # type: ignore[arg-type]
    await fails(ErrorCode.UNAUTHENTICATED, form(Actor(), problem_id=accepted_id, **kwargs))  # type: ignore[arg-type]
    await fails(
        ErrorCode.INVALID,
        form(as_(n.police_member), problem_id=accepted_id, name=" ", purpose="x", now=clock.now()),
    )
    for founder in (n.district_coordinator, n.admin):
        await form(as_(founder), problem_id=accepted_id, **kwargs)  # type: ignore[arg-type]
    assert await WorkingGroup.filter(problem_id=accepted_id).count() == 2
    assert not await WorkingGroup.filter(problem_id=proposed_id).exists()


async def test_joining_an_open_group_and_coming_back_reuse_one_row(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock)
    rita = as_(n.resident)

    first = await working_groups.join(rita, group_id=group.id, now=clock.now())
    again = await working_groups.join(rita, group_id=group.id, now=clock.now())
    left = await working_groups.leave(rita, group_id=group.id, now=clock.now())
    back = await working_groups.join(rita, group_id=group.id, now=clock.now())

    assert first.id == again.id == left.id == back.id
    assert (first.status, left.status, back.status) == (
        MembershipStatus.ACTIVE,
        MembershipStatus.LEFT,
        MembershipStatus.ACTIVE,
    )
    kinds = await Activity.filter(person_id=n.resident.user.id, working_group_id=group.id).order_by("id")
    assert [a.kind for a in kinds] == [
        ActivityKind.GROUP_JOINED,
        ActivityKind.GROUP_LEFT,
        ActivityKind.GROUP_JOINED,
    ]


async def test_a_request_to_join_is_decided_by_a_lead_who_is_told_of_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock, JoinPolicy.APPROVAL)

    request = await working_groups.join(
        as_(n.resident), group_id=group.id, message="I live there.", now=clock.now()
    )
    assert request.status == MembershipStatus.REQUESTED
    asked = await Notification.get(kind=NotificationKind.JOIN_REQUEST)
    assert asked.recipient_id == n.police_member.user.id
    assert "I live there." in asked.body

    await fails(
        ErrorCode.FORBIDDEN,
        working_groups.decide_request(
            as_(n.neighbour), membership_id=request.id, approve=True, now=clock.now()
        ),
    )
    decided = await working_groups.decide_request(
        as_(n.police_member), membership_id=request.id, approve=True, now=clock.now()
    )
    assert decided.status == MembershipStatus.ACTIVE
    told = await Notification.get(kind=NotificationKind.MEMBERSHIP_DECIDED)
    assert told.recipient_id == n.resident.user.id
    await fails(
        ErrorCode.INVALID_STATE,
        working_groups.decide_request(
            as_(n.police_member), membership_id=request.id, approve=True, now=clock.now()
        ),
    )


async def test_an_invitation_as_an_organisations_representative_is_accepted_by_the_invitee(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock, JoinPolicy.INVITE_ONLY)
    lead = as_(n.police_member)

    await fails(
        ErrorCode.FORBIDDEN, working_groups.join(as_(n.council_member), group_id=group.id, now=clock.now())
    )
    await fails(
        ErrorCode.NOT_FOUND,
        working_groups.invite(
            lead, group_id=group.id, user_id=n.resident.user.id, organisation_id=n.council.id, now=clock.now()
        ),
    )
    invitation = await working_groups.invite(
        lead,
        group_id=group.id,
        user_id=n.council_member.user.id,
        organisation_id=n.council.id,
        now=clock.now(),
    )
    assert (invitation.status, invitation.organisation_id) == (MembershipStatus.INVITED, n.council.id)
    invited = await Notification.get(kind=NotificationKind.GROUP_INVITATION)
    assert invited.recipient_id == n.council_member.user.id
    assert "representing Riverside Council" in invited.body

    await fails(
        ErrorCode.FORBIDDEN,
        working_groups.respond_to_invitation(lead, membership_id=invitation.id, accept=True, now=clock.now()),
    )
    accepted = await working_groups.respond_to_invitation(
        as_(n.council_member), membership_id=invitation.id, accept=True, now=clock.now()
    )
    assert accepted.status == MembershipStatus.ACTIVE


async def test_the_last_lead_cannot_leave_or_step_down(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock)
    lead = as_(n.police_member)
    founder = await GroupMembership.get(group_id=group.id)

    await fails(ErrorCode.INVALID_STATE, working_groups.leave(lead, group_id=group.id, now=clock.now()))
    await fails(
        ErrorCode.INVALID_STATE,
        working_groups.set_role(lead, membership_id=founder.id, role=GroupRole.MEMBER, now=clock.now()),
    )
    rita = await working_groups.join(as_(n.resident), group_id=group.id, now=clock.now())
    await working_groups.set_role(lead, membership_id=rita.id, role=GroupRole.LEAD, now=clock.now())
    stepped = await working_groups.set_role(
        lead, membership_id=founder.id, role=GroupRole.MEMBER, now=clock.now()
    )
    assert stepped.role == GroupRole.MEMBER
    assert (
        await working_groups.leave(lead, group_id=group.id, now=clock.now())
    ).status == MembershipStatus.LEFT


async def test_a_closed_group_takes_nobody_new(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock)
    await fails(
        ErrorCode.FORBIDDEN, working_groups.close(as_(n.resident), group_id=group.id, now=clock.now())
    )
    closed = await working_groups.close(as_(n.admin), group_id=group.id, now=clock.now())
    assert closed.closed_at == clock.now()

    await fails(
        ErrorCode.INVALID_STATE, working_groups.join(as_(n.resident), group_id=group.id, now=clock.now())
    )
    await fails(
        ErrorCode.INVALID_STATE,
        working_groups.invite(
            as_(n.police_member), group_id=group.id, user_id=n.resident.user.id, now=clock.now()
        ),
    )
    await fails(
        ErrorCode.INVALID_STATE, working_groups.close(as_(n.admin), group_id=group.id, now=clock.now())
    )


async def test_a_group_around_a_restricted_problem_is_not_found_by_outsiders(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock, visibility=Visibility.RESTRICTED.value)
    for outsider in (n.neighbour, n.council_member, n.other_coordinator):
        await fails(
            ErrorCode.NOT_FOUND, working_groups.join(as_(outsider), group_id=group.id, now=clock.now())
        )
    await working_groups.invite(
        as_(n.police_member), group_id=group.id, user_id=n.neighbour.user.id, now=clock.now()
    )
    # Invited, Ray sees the group.
    assert (await working_groups.access_group(as_(n.neighbour), group.id)).id == group.id


async def test_leads_add_accepted_problems_of_the_area_or_inside_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await formed(gql, n, clock)
    lead = as_(n.police_member)
    elsewhere = await n.accepted_problem(gql, area=n.other_force)
    proposed = await n.accepted_problem(gql)
    await Problem.filter(id=proposed).update(status=ProblemStatus.PROPOSED, stage=SaraStage.SCANNING)
    another = await n.accepted_problem(gql)

    add = working_groups.add_problem
    await fails(ErrorCode.INVALID, add(lead, group_id=group.id, problem_id=elsewhere, now=clock.now()))
    await fails(ErrorCode.INVALID_STATE, add(lead, group_id=group.id, problem_id=proposed, now=clock.now()))
    await fails(
        ErrorCode.FORBIDDEN, add(as_(n.resident), group_id=group.id, problem_id=another, now=clock.now())
    )
    await add(lead, group_id=group.id, problem_id=another, now=clock.now())
    await fails(ErrorCode.INVALID_STATE, add(lead, group_id=group.id, problem_id=another, now=clock.now()))
    assert (await Problem.get(id=another)).stage == SaraStage.RESPONSE
