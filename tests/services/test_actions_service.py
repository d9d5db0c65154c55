"""Co-owned actions in the services: planning, each owner's answer and progress, and how the
action's status follows from its owners'.

The plan (tests/action_plan.py): Rita plans actions co-owned by the police, the council and
Ray, in a group Pat (police) leads and Cal speaks in for the council.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from action_plan import Plan, as_, build

from backend.clock import ManualClock
from backend.errors import DomainError, ErrorCode
from backend.models import Action, ActionOwner, Activity, Notification
from backend.models.enums import (
    ActionStatus,
    ActivityKind,
    NotificationKind,
    OrganisationKind,
    OwnerStatus,
    ParticipationRung,
    Visibility,
)
from backend.services import organisations, personal_data, working_groups
from backend.services.working_groups import actions
from backend.services.working_groups.actions import OwnerChoice
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    return await build(gql, people, neighbourhood, clock)


async def fails(code: ErrorCode, act: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await act  # type: ignore[misc]
    assert caught.value.code == code, caught.value.message
    return caught.value


async def answer(
    plan: Plan, action: Action, person: Person | None, *, organisation: int | None, accept: bool
) -> Action:
    return await actions.respond(
        as_(person), action_id=action.id, organisation_id=organisation, accept=accept, now=plan.clock.now()
    )


async def report(
    plan: Plan,
    action: Action,
    person: Person,
    status: OwnerStatus,
    *,
    organisation: int | None,
    note: str = "",
) -> Action:
    return await actions.report_progress(
        as_(person),
        action_id=action.id,
        organisation_id=organisation,
        status=status,
        note=note or None,
        now=plan.clock.now(),
    )


async def state(action: Action) -> tuple[ActionStatus, float]:
    fresh = await Action.get(id=action.id)
    owners = await ActionOwner.filter(action_id=action.id)
    return fresh.status, actions.progress(o.status for o in owners)


async def test_an_action_of_two_organisations_and_a_resident_is_done_when_every_accepting_owner_is(
    plan: Plan,
) -> None:
    n = plan.n
    action = await plan.action()
    assert await state(action) == (ActionStatus.PROPOSED, 0.0)
    owners = await ActionOwner.filter(action_id=action.id).order_by("id")
    assert [(o.organisation_id, o.user_id, o.status) for o in owners] == [
        (n.police.id, None, OwnerStatus.PENDING),
        (n.council.id, None, OwnerStatus.PENDING),
        (None, plan.ray.user.id, OwnerStatus.PENDING),
    ]

    await answer(plan, action, plan.lead, organisation=n.police.id, accept=True)
    assert await state(action) == (ActionStatus.ACTIVE, 0.0)
    await answer(plan, action, plan.council, organisation=n.council.id, accept=True)
    await report(
        plan, action, plan.lead, OwnerStatus.DONE, organisation=n.police.id, note="Two patrols a week."
    )
    # Ray has not answered yet: the action waits for him.
    assert await state(action) == (ActionStatus.ACTIVE, 0.5)
    await answer(plan, action, plan.ray, organisation=None, accept=False)
    assert await state(action) == (ActionStatus.ACTIVE, 0.5)
    await report(plan, action, plan.council, OwnerStatus.IN_PROGRESS, organisation=n.council.id)
    await report(
        plan, action, plan.council, OwnerStatus.BLOCKED, organisation=n.council.id, note="No budget."
    )
    assert await state(action) == (ActionStatus.ACTIVE, 0.5)
    done = await report(plan, action, plan.council, OwnerStatus.DONE, organisation=n.council.id)

    # Ray declined, and does not hold the action back.
    assert done.status == ActionStatus.DONE
    assert await state(action) == (ActionStatus.DONE, 1.0)
    council = await ActionOwner.get(action_id=action.id, organisation_id=n.council.id)
    assert (council.status, council.note, council.updated_by_id) == (
        OwnerStatus.DONE,
        None,
        plan.council.user.id,
    )
    # Reopened by an owner, the action is under way again.
    await report(plan, action, plan.lead, OwnerStatus.IN_PROGRESS, organisation=n.police.id)
    assert await state(action) == (ActionStatus.ACTIVE, 0.5)


async def test_an_action_every_owner_declines_is_cancelled_and_comes_back_when_one_accepts(
    plan: Plan,
) -> None:
    n = plan.n
    action = await plan.action()
    await answer(plan, action, plan.lead, organisation=n.police.id, accept=False)
    await answer(plan, action, plan.council, organisation=n.council.id, accept=False)
    assert await state(action) == (ActionStatus.PROPOSED, 0.0)
    await answer(plan, action, plan.ray, organisation=None, accept=False)
    assert await state(action) == (ActionStatus.CANCELLED, 0.0)
    await answer(plan, action, plan.ray, organisation=None, accept=True)
    assert await state(action) == (ActionStatus.ACTIVE, 0.0)


def test_the_status_follows_the_owners() -> None:
    P, A, D, W, B, X = (
        OwnerStatus.PENDING,
        OwnerStatus.ACCEPTED,
        OwnerStatus.DECLINED,
        OwnerStatus.IN_PROGRESS,
        OwnerStatus.BLOCKED,
        OwnerStatus.DONE,
    )
    cases = {
        (P,): ActionStatus.PROPOSED,
        (P, D): ActionStatus.PROPOSED,
        (D, D): ActionStatus.CANCELLED,
        (A, P): ActionStatus.ACTIVE,
        (W, B): ActionStatus.ACTIVE,
        (X, P): ActionStatus.ACTIVE,
        (X, D): ActionStatus.DONE,
        (X, X, D): ActionStatus.DONE,
        (X, B): ActionStatus.ACTIVE,
    }
    for owners, expected in cases.items():
        assert actions.derived_status(owners) == expected, owners
    assert actions.progress([X, B, D, P]) == 0.5
    assert actions.progress([D, P]) == 0.0


async def test_answers_and_reports_keep_to_their_order(plan: Plan) -> None:
    n = plan.n
    action = await plan.action()
    await fails(
        ErrorCode.INVALID_STATE, report(plan, action, plan.ray, OwnerStatus.IN_PROGRESS, organisation=None)
    )
    await answer(plan, action, plan.ray, organisation=None, accept=True)
    await fails(ErrorCode.INVALID_STATE, answer(plan, action, plan.ray, organisation=None, accept=True))
    await fails(ErrorCode.INVALID, report(plan, action, plan.ray, OwnerStatus.ACCEPTED, organisation=None))
    await report(plan, action, plan.ray, OwnerStatus.IN_PROGRESS, organisation=None)
    # Under way, the share is reported on, not answered again.
    await fails(ErrorCode.INVALID_STATE, answer(plan, action, plan.ray, organisation=None, accept=False))
    # The police own no share of an action of the council's alone.
    councils = await plan.action(owners=[OwnerChoice(organisation_id=n.council.id)])
    error = await fails(
        ErrorCode.NOT_FOUND, answer(plan, councils, plan.lead, organisation=n.police.id, accept=True)
    )
    assert error.field == "organisationId"
    await working_groups.close(as_(plan.lead), group_id=plan.group.id, now=plan.clock.now())
    await fails(
        ErrorCode.INVALID_STATE, answer(plan, action, plan.lead, organisation=n.police.id, accept=True)
    )
    await fails(ErrorCode.INVALID_STATE, plan.action())


async def test_planning_checks_each_field(plan: Plan) -> None:
    n = plan.n
    cases: list[tuple[dict[str, object], str]] = [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"due_on": date(2026, 1, 4)}, "dueOn"),
        ({"owners": []}, "owners"),
        ({"owners": [OwnerChoice()]}, "owners[0]"),
        ({"owners": [OwnerChoice(organisation_id=n.police.id, user_id=plan.ray.user.id)]}, "owners[0]"),
        ({"owners": [OwnerChoice(user_id=plan.ray.user.id)] * 2}, "owners[1]"),
        ({"owners": [OwnerChoice(user_id=plan.nell.user.id)]}, "owners[0].userId"),
    ]
    other = await organisations.create_organisation(
        as_(n.admin), name="Riverside Housing", kind=OrganisationKind.HOUSING, now=plan.clock.now()
    )
    cases.append(({"owners": [OwnerChoice(organisation_id=other.id)]}, "owners[0].organisationId"))
    for fields, field in cases:
        error = await fails(ErrorCode.INVALID, plan.action(**fields))
        assert error.field == field, (fields, error.message)
    assert not await Action.exists()
    # Today, in the area's own date, is not in the past.
    assert (await plan.action(due_on=date(2026, 1, 5))).due_on == date(2026, 1, 5)


async def test_every_fault_of_a_plan_is_reported_at_once(plan: Plan) -> None:
    error = await fails(
        ErrorCode.INVALID,
        plan.action(
            title="",
            due_on=date(2026, 1, 1),
            owners=[OwnerChoice(user_id=plan.nell.user.id), OwnerChoice(organisation_id=plan.n.police.id)]
            * 2,
        ),
    )
    assert [(fault.field, fault.message) for fault in error.each()] == [
        ("title", "Enter a title"),
        ("dueOn", "The due date cannot be in the past"),
        ("owners[0].userId", "Choose a person who is an active member of the group"),
        ("owners[2].userId", "Choose a person who is an active member of the group"),
        ("owners[3]", "This owner is named already"),
    ]
    assert not await Action.exists()


async def test_the_due_date_and_being_overdue_follow_the_areas_local_date(plan: Plan) -> None:
    # 23:30 in London on 30 June is 22:30 UTC: still the 30th there.
    plan.clock.set(datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    action = await plan.action(due_on=date(2026, 6, 30))
    assert not actions.is_overdue(action, plan.clock.now())
    # Half an hour later it is the 1st of July in London, while still the 30th in UTC.
    plan.clock.set(datetime(2026, 6, 30, 23, 0, tzinfo=UTC))
    assert actions.is_overdue(action, plan.clock.now())
    error = await fails(ErrorCode.INVALID, plan.action(due_on=date(2026, 6, 30)))
    assert error.field == "dueOn"
    action.status = ActionStatus.DONE
    assert not actions.is_overdue(action, plan.clock.now())


async def test_planning_is_for_the_groups_active_members(plan: Plan) -> None:
    n = plan.n
    await fails(ErrorCode.UNAUTHENTICATED, plan.action(by=None))
    for outsider in (plan.nell, plan.percy, n.district_coordinator, n.admin):
        await fails(ErrorCode.FORBIDDEN, plan.action(by=outsider))
    await working_groups.leave(as_(plan.rita), group_id=plan.group.id, now=plan.clock.now())
    await fails(ErrorCode.FORBIDDEN, plan.action(by=plan.rita))
    for member in (plan.lead, plan.council, plan.ray):
        await plan.action(by=member)
    assert await Action.filter(group_id=plan.group.id).count() == 3


async def test_who_answers_for_a_share(plan: Plan) -> None:
    n = plan.n
    action = await plan.action()
    police, council = n.police.id, n.council.id
    for person, organisation in (
        (plan.percy, police),  # a police officer outside the group
        (plan.rita, police),  # a member, not of the police
        (n.admin, police),  # a platform admin speaks for no organisation
        (n.district_coordinator, police),
        (plan.lead, council),
        (plan.rita, None),  # Rita owns no share of her own
    ):
        await fails(ErrorCode.FORBIDDEN, answer(plan, action, person, organisation=organisation, accept=True))
    await fails(ErrorCode.UNAUTHENTICATED, answer(plan, action, None, organisation=police, accept=True))
    # The council's admin answers for it from outside the group.
    await answer(plan, action, plan.ann, organisation=council, accept=True)
    await report(plan, action, plan.ann, OwnerStatus.DONE, organisation=council)
    assert (
        await ActionOwner.get(action_id=action.id, organisation_id=council)
    ).updated_by_id == plan.ann.user.id


async def test_owners_are_asked_and_the_groups_members_hear_each_report_once(plan: Plan) -> None:
    n = plan.n
    action = await plan.action()
    asked = await Notification.filter(kind=NotificationKind.ACTION_OWNERSHIP_REQUEST).order_by("recipient_id")
    assert sorted(a.recipient_id for a in asked) == sorted(
        [plan.lead.user.id, plan.council.user.id, plan.ray.user.id]
    )
    assert all(a.url == f"/#/groups/{plan.group_id}" for a in asked)
    to_cal = next(a for a in asked if a.recipient_id == plan.council.user.id)
    assert 'Rita Resident asked Riverside Council to co-own "Speed cushions on Mill Lane"' in to_cal.body
    assert "due by 1 March 2026" in to_cal.body

    # Nell joins after the action was planned; Percy is not in the group.
    await working_groups.join(as_(plan.nell), group_id=plan.group.id, now=plan.clock.now())
    await working_groups.leave(as_(plan.rita), group_id=plan.group.id, now=plan.clock.now())
    await answer(plan, action, plan.lead, organisation=n.police.id, accept=True)
    plan.clock.advance(minutes=1)
    await report(plan, action, plan.lead, OwnerStatus.DONE, organisation=n.police.id, note="Patrols done.")

    updates = await Notification.filter(kind=NotificationKind.ACTION_UPDATE).order_by("id")
    expected = {plan.council.user.id, plan.ray.user.id, plan.nell.user.id}
    assert len(updates) == 2 * len(expected)
    assert {u.recipient_id for u in updates[:3]} == {u.recipient_id for u in updates[3:]} == expected
    assert "Pat Police for Northshire Police marked its share" in updates[-1].body
    assert "Patrols done." in updates[-1].body
    assert "The action is 100% done." in updates[-1].body


async def test_an_organisation_nobody_in_the_group_belongs_to_is_asked_through_its_admins(plan: Plan) -> None:
    n = plan.n
    # Cal still speaks for the council in the group, but is no longer one of its members.
    await organisations.remove_member(
        as_(n.admin), organisation_id=n.council.id, user_id=plan.council.user.id
    )
    await plan.action(owners=[OwnerChoice(organisation_id=n.council.id)])
    asked = await Notification.filter(kind=NotificationKind.ACTION_OWNERSHIP_REQUEST)
    assert [a.recipient_id for a in asked] == [plan.ann.user.id]


async def test_in_a_restricted_group_only_those_who_may_see_it_hear_of_its_actions(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build(gql, people, neighbourhood, clock, visibility=Visibility.RESTRICTED.value)
    n = plan.n
    await organisations.remove_member(
        as_(n.admin), organisation_id=n.council.id, user_id=plan.council.user.id
    )
    action = await plan.action(owners=[OwnerChoice(organisation_id=n.council.id)])
    # The council's admin may not see the group: nobody is asked, and nobody from outside
    # finds the action.
    assert not await Notification.filter(kind=NotificationKind.ACTION_OWNERSHIP_REQUEST).exists()
    for outsider in (plan.ann, plan.nell):
        await fails(
            ErrorCode.NOT_FOUND, answer(plan, action, outsider, organisation=n.council.id, accept=True)
        )


async def test_two_owners_reporting_at_once_settle_the_action(plan: Plan) -> None:
    n = plan.n
    action = await plan.action(owners=plan.owners()[:2])
    await answer(plan, action, plan.lead, organisation=n.police.id, accept=True)
    await answer(plan, action, plan.council, organisation=n.council.id, accept=True)

    await asyncio.gather(
        report(plan, action, plan.lead, OwnerStatus.DONE, organisation=n.police.id),
        report(plan, action, plan.council, OwnerStatus.DONE, organisation=n.council.id),
    )
    assert await state(action) == (ActionStatus.DONE, 1.0)


async def test_every_act_is_in_the_record(plan: Plan) -> None:
    n = plan.n
    action = await plan.action()
    await answer(plan, action, plan.lead, organisation=n.police.id, accept=True)
    await report(plan, action, plan.lead, OwnerStatus.IN_PROGRESS, organisation=n.police.id)
    acts = await Activity.filter(
        kind__in=[ActivityKind.ACTION_CREATED, ActivityKind.ACTION_PROGRESS_REPORTED]
    )
    assert {(a.working_group_id, a.area_id, a.rung) for a in acts} == {
        (plan.group.id, n.ward.id, ParticipationRung.CO_DESIGNER)
    }
    assert sorted((a.person_id, a.kind) for a in acts) == sorted(
        [
            (plan.rita.user.id, ActivityKind.ACTION_CREATED),
            (plan.lead.user.id, ActivityKind.ACTION_PROGRESS_REPORTED),
            (plan.lead.user.id, ActivityKind.ACTION_PROGRESS_REPORTED),
        ]
    )


async def test_a_persons_part_in_actions_is_in_their_copy_and_stays_after_erasure(plan: Plan) -> None:
    n = plan.n
    action = await plan.action()
    await answer(plan, action, plan.ray, organisation=None, accept=True)
    await report(plan, action, plan.ray, OwnerStatus.BLOCKED, organisation=None, note="Rain all week.")

    copy = await personal_data.export(as_(plan.ray), now=plan.clock.now())
    assert copy["action_shares"] == [
        {
            "group": "Mill Lane safer nights",
            "action": "Speed cushions on Mill Lane",
            "owner": "you",
            "status": "BLOCKED",
            "note": "Rain all week.",
            "answered_by_you": True,
            "changed_at": plan.clock.now().isoformat(),
        }
    ]
    planned = (await personal_data.export(as_(plan.rita), now=plan.clock.now()))["actions_planned"]
    assert [(p["action"], p["status"]) for p in planned] == [("Speed cushions on Mill Lane", "ACTIVE")]

    await personal_data.erase(plan.ray.user, now=plan.clock.now())
    share = await ActionOwner.get(action_id=action.id, user_id=plan.ray.user.id)
    assert (share.status, share.updated_by_id) == (OwnerStatus.BLOCKED, plan.ray.user.id)
    assert n.police.id in await ActionOwner.filter(action_id=action.id).values_list(
        "organisation_id", flat=True
    )
