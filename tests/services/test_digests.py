"""Progress digests: what they tell for each kind of change, to whom and how often, written
once per person per period whatever the job does, each batch at a fixed number of statements,
and never a word about what the reader may not see."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from action_plan import Plan, as_
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up

from backend import ids
from backend.clock import ManualClock
from backend.models import Activity, Notification, ProgressDigest, User
from backend.models.enums import (
    ActivityKind,
    DigestFrequency,
    NotificationKind,
    OutcomeDirection,
    OwnerStatus,
    ParticipationRung,
    ResponseDecision,
    SaraStage,
)
from backend.services import digests, outcomes, personal_data, problems, working_groups
from backend.services.actors import Actor
from backend.services.working_groups import actions
from backend.services.working_groups.actions import OwnerChoice
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter, payload

WEEK = timedelta(days=7)


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    built = await build_plan(gql, people, neighbourhood, clock)
    # Everyone in it lives in Mill Lane, where the group works.
    await User.all().update(home_area_id=neighbourhood.ward.id)
    return built


async def digest_of(person: Person) -> Notification | None:
    return (
        await Notification.filter(kind=NotificationKind.PROGRESS_DIGEST, recipient_id=person.user.id)
        .order_by("-id")
        .first()
    )


async def digests_of(person: Person) -> int:
    return await Notification.filter(
        kind=NotificationKind.PROGRESS_DIGEST, recipient_id=person.user.id
    ).count()


async def news(plan: Plan, body: str) -> None:
    """A progress update on the group's problem, for its followers."""
    await problems.post_update(
        as_(plan.lead), problem_id=plan.group.problem_id, body=body, now=plan.clock.now()
    )


async def first_round(clock: ManualClock) -> None:
    """Everyone due hears of what the set-up did, so the next digest holds only what follows."""
    clock.advance(minutes=5)
    await digests.send_due(now=clock.now())


async def test_a_digest_tells_each_kind_of_change(
    plan: Plan, gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n, rita = neighbourhood, plan.rita
    await first_round(clock)
    clock.advance(hours=1)
    problem_id = plan.group.problem_id
    # On the problems Rita follows: an update, a stage move, and an answer to her new proposal.
    await news(plan, "Cameras are up.")
    await problems.set_stage(
        as_(plan.lead), problem_id=problem_id, stage=SaraStage.ASSESSMENT, now=clock.now()
    )
    proposal = await n.propose(gql, rita, title="Broken lamps on the towpath")
    clock.advance(minutes=1)
    await problems.respond(
        as_(plan.lead),
        problem_id=ids.decode(proposal["id"], "Problem", "problemId"),
        decision=ResponseDecision.ACCEPT,
        body="We will look at the lamps.",
        now=clock.now(),
    )
    # In her group: an action done, one blocked, a new member, a new task, a reading.
    done = await plan.action(title="Speed cushions", owners=[OwnerChoice(user_id=plan.ray.user.id)])
    blocked = await plan.action(title="Night patrols", owners=[OwnerChoice(user_id=plan.ray.user.id)])
    for action, status in ((done, OwnerStatus.DONE), (blocked, OwnerStatus.BLOCKED)):
        await actions.respond(as_(plan.ray), action_id=action.id, accept=True, now=clock.now())
        await actions.report_progress(as_(plan.ray), action_id=action.id, status=status, now=clock.now())
    await working_groups.join(as_(plan.nell), group_id=plan.group.id, now=clock.now())
    # A week on from the first Saturday, so still to come when the digest goes.
    later = SATURDAY + WEEK
    litter = await make_task(plan, title="Litter pick", starts_at=later, ends_at=later + timedelta(hours=2))
    await make_task(
        plan, title="Leaflet drop", starts_at=later + timedelta(hours=3), ends_at=later + timedelta(hours=4)
    )
    await sign_up(plan, litter, rita)
    measure = await outcomes.define_measure(
        as_(plan.lead),
        problem_id=problem_id,
        name="Racing reports",
        unit="reports a week",
        direction=OutcomeDirection.DECREASE,
        baseline=12,
        baseline_on=date(2025, 12, 1),
        target=3,
        target_on=date(2026, 6, 1),
        now=clock.now(),
    )
    await outcomes.record_reading(
        as_(plan.lead),
        measure_id=measure.id,
        value=7.5,
        observed_on=date(2026, 1, 4),
        note=None,
        now=clock.now(),
    )
    await outcomes.record_reading(
        as_(plan.lead),
        measure_id=measure.id,
        value=6,
        observed_on=date(2026, 1, 5),
        note=None,
        now=clock.now(),
    )

    clock.advance(days=7)
    assert await digests.send_due(now=clock.now()) >= 1

    digest = await digest_of(rita)
    assert digest is not None and digest.url == "/#/profile"
    lines = digest.body.splitlines()
    assert "Cars racing on Mill Lane at night (in progress: assessment)" in lines
    assert "- Northshire Police posted an update" in lines
    assert "- It moved to the assessment stage" in lines
    assert "Broken lamps on the towpath (accepted: analysis)" in lines
    assert "- Northshire Police accepted it" in lines
    assert "Mill Lane safer nights" in lines
    assert "- Action done: Speed cushions" in lines
    assert "- Action blocked: Night patrols" in lines
    assert "- Nell Outsider joined" in lines
    assert "- New task needing people: Leaflet drop, Saturday 17 January 2026, 13:00 (3 places free)" in lines
    # Two readings of one measure are one line: its latest.
    assert "- New reading of Racing reports: 6 reports a week (latest of 2)" in lines
    assert any(
        line.startswith("- Litter pick, Saturday 17 January 2026, 10:00: https://rungs.test/#/tasks/")
        for line in lines
    )
    # Her next step: the open task she has not signed up for.
    assert "A next step near you" in lines
    assert any(
        line.startswith("Volunteer for Leaflet drop, Saturday 17 January 2026, 13:00: 3 places free")
        for line in lines
    )
    # Receiving it is the PASSIVE rung's act, in her home area.
    received = await Activity.filter(person_id=rita.user.id, kind=ActivityKind.DIGEST_RECEIVED)
    assert [(a.area_id, a.rung) for a in received] == [(n.ward.id, ParticipationRung.PASSIVE)] * 2


async def test_nothing_is_sent_when_nothing_changed(plan: Plan, clock: ManualClock) -> None:
    await first_round(clock)
    assert await digests_of(plan.rita) == 1
    clock.advance(days=8)

    assert await digests.send_due(now=clock.now()) == 0
    assert await digests_of(plan.rita) == 1
    # Someone who follows nothing and is in no group hears nothing, even having chosen daily.
    await User.filter(id=plan.nell.user.id).update(digest=DigestFrequency.DAILY)
    assert await digests.send_due(now=clock.now()) == 0


async def test_each_person_hears_as_often_as_they_chose_or_their_rung_decides(
    plan: Plan, gql: GraphQL, clock: ManualClock, neighbourhood: Neighbourhood
) -> None:
    # Nell and Percy follow the group's problem without working in it (the PASSIVE rung);
    # Percy has chosen weekly; Ray, a co-designer, has turned it off; Cal follows it too, daily.
    for person in (plan.nell, plan.percy, plan.council):
        await problems.follow(as_(person), problem_id=plan.group.problem_id, now=clock.now())
    await User.filter(id=plan.percy.user.id).update(digest=DigestFrequency.WEEKLY)
    await User.filter(id=plan.ray.user.id).update(digest=DigestFrequency.NEVER)
    await User.filter(id=plan.council.user.id).update(digest=DigestFrequency.DAILY)
    clock.advance(minutes=5)
    await news(plan, "Cameras.")
    clock.advance(minutes=5)

    await digests.send_due(now=clock.now())

    assert await digests_of(plan.rita) == 1  # a co-designer: weekly until she chooses
    assert await digests_of(plan.percy) == 1  # chose weekly
    assert await digests_of(plan.council) == 1  # chose daily
    assert await digests_of(plan.nell) == 0  # the PASSIVE rung: not until she chooses
    assert await digests_of(plan.ray) == 0  # turned it off

    # A day on, with news again: daily Cal hears, the weekly ones do not yet.
    clock.advance(days=1)
    await news(plan, "More cameras.")
    clock.advance(minutes=5)
    await digests.send_due(now=clock.now())
    assert [await digests_of(p) for p in (plan.council, plan.rita, plan.percy)] == [2, 1, 1]


async def test_preferences_answer_the_frequency_that_applies(
    plan: Plan, gql: GraphQL, people: People, neighbourhood: Neighbourhood
) -> None:
    async def frequency(person: Person) -> str:
        data = await gql("Viewer", as_=person.token)
        return str(data["viewer"]["notificationPreferences"]["digest"])

    assert await frequency(plan.rita) == "WEEKLY"  # an active group member: a co-designer
    assert await frequency(plan.nell) == "NEVER"
    result = payload(
        await gql("UpdateNotificationPreferences", as_=plan.nell.token, input={"digest": "DAILY"})
    )
    assert result["errors"] == []
    assert result["viewer"]["notificationPreferences"]["digest"] == "DAILY"
    assert (await User.get(id=plan.nell.user.id)).digest == DigestFrequency.DAILY
    result = payload(
        await gql("UpdateNotificationPreferences", as_=plan.rita.token, input={"digest": "NEVER"})
    )
    assert result["viewer"]["notificationPreferences"]["digest"] == "NEVER"


async def test_a_volunteer_gets_the_weekly_digest_until_they_choose(plan: Plan, clock: ManualClock) -> None:
    nell = plan.nell.user
    await problems.follow(as_(plan.nell), problem_id=plan.group.problem_id, now=clock.now())
    assert await digests.frequency_of(nell, now=clock.now()) == DigestFrequency.NEVER
    # Finishing a volunteer task is the VOLUNTEER rung.
    await Activity.create(
        person_id=nell.id,
        area_id=plan.group.area_id,
        kind=ActivityKind.TASK_COMPLETED,
        rung=ParticipationRung.VOLUNTEER,
        occurred_at=clock.now(),
    )
    assert await digests.frequency_of(nell, now=clock.now()) == DigestFrequency.WEEKLY
    await news(plan, "Cameras.")
    clock.advance(minutes=5)
    await digests.send_due(now=clock.now())
    assert await digests_of(plan.nell) == 1


async def test_a_first_digest_covers_the_last_period_and_the_next_comes_a_full_period_later(
    plan: Plan, clock: ManualClock
) -> None:
    # Eight days before the first run: older than the period the first digest covers.
    await news(plan, "Long ago.")
    clock.advance(days=8)
    assert await digests.send_due(now=clock.now()) == 0
    await news(plan, "This week.")
    clock.advance(hours=1)
    first = clock.now()
    assert await digests.send_due(now=first) > 0
    body = (await digest_of(plan.rita)).body  # type: ignore[union-attr]
    assert body.count("posted an update") == 1
    row = await ProgressDigest.get(person_id=plan.rita.user.id)
    assert (row.number, row.covers_from, row.covers_until) == (1, first - WEEK, first)

    await news(plan, "Later.")
    # Not before a full period (less the hourly job's slack) is up...
    clock.set(first + WEEK - digests.SLACK - timedelta(minutes=1))
    await digests.send_due(now=clock.now())
    assert await digests_of(plan.rita) == 1
    # ...and then, covering everything since the last one.
    clock.set(first + WEEK)
    await digests.send_due(now=clock.now())
    assert await digests_of(plan.rita) == 2
    second = await ProgressDigest.get(person_id=plan.rita.user.id, number=2)
    assert (second.covers_from, second.covers_until) == (first, first + WEEK)


async def test_the_job_run_twice_or_twice_at_once_writes_each_digest_once(
    plan: Plan, clock: ManualClock
) -> None:
    await news(plan, "Cameras.")
    clock.advance(minutes=5)

    written = await asyncio.gather(*(digests.send_due(now=clock.now()) for _ in range(2)))
    again = await digests.send_due(now=clock.now())

    members = [plan.rita, plan.ray, plan.lead, plan.council]
    assert sum(written) == len(members) and again == 0
    assert [await digests_of(p) for p in members] == [1, 1, 1, 1]
    assert await ProgressDigest.all().count() == len(members)
    assert await Activity.filter(kind=ActivityKind.DIGEST_RECEIVED).count() == len(members)


async def test_a_restricted_group_never_reaches_anyone_outside_it(
    plan: Plan, gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    # A restricted problem of Rita's, its group (open to join), and an open task in it.
    hidden_id = await n.accepted_problem(gql, title="Threats from a neighbour", visibility="RESTRICTED")
    hidden = await working_groups.form(
        as_(plan.lead),
        problem_id=hidden_id,
        name="Quiet support circle",
        purpose="Help.",
        join_policy=plan.group.join_policy,
        now=clock.now(),
    )
    await working_groups.invite(as_(plan.lead), group_id=hidden.id, user_id=plan.ray.user.id, now=clock.now())
    invitation = await working_groups.membership_of(plan.ray.user.id, hidden.id)
    assert invitation is not None
    await working_groups.respond_to_invitation(
        as_(plan.ray), membership_id=invitation.id, accept=True, now=clock.now()
    )
    await make_task_in(plan, hidden.id, "Escort to the shops")
    # Nell, outside it, chose a weekly digest and follows the public problem, which has news.
    await User.filter(id=plan.nell.user.id).update(digest=DigestFrequency.WEEKLY)
    await problems.follow(as_(plan.nell), problem_id=plan.group.problem_id, now=clock.now())
    clock.advance(minutes=5)
    await news(plan, "Cameras.")
    await problems.post_update(as_(plan.lead), problem_id=hidden_id, body="Seen to.", now=clock.now())
    clock.advance(minutes=5)

    await digests.send_due(now=clock.now())

    nell = (await digest_of(plan.nell)).body  # type: ignore[union-attr]
    assert "Cars racing on Mill Lane at night" in nell
    for secret in ("Threats from a neighbour", "Quiet support circle", "Escort to the shops"):
        assert secret not in nell
    # Ray, a member, hears of his group: a new member (himself excepted) and the task.
    ray = (await digest_of(plan.ray)).body  # type: ignore[union-attr]
    assert "Quiet support circle" in ray and "Escort to the shops" in ray


async def make_task_in(plan: Plan, group_id: int, title: str) -> None:
    from backend.services import volunteer_tasks
    from backend.services.volunteer_tasks import TaskDetails

    await volunteer_tasks.create(
        as_(plan.lead),
        group_id=group_id,
        action_id=None,
        details=TaskDetails(
            title=title,
            description="Walk along with her.",
            starts_at=SATURDAY,
            ends_at=SATURDAY + timedelta(hours=1),
            location="Mill Lane",
            remote=False,
            skills=[],
            slots=2,
        ),
        now=plan.clock.now(),
    )


async def test_a_batch_costs_the_same_statements_for_3_and_for_30_recipients(
    plan: Plan, people: People, clock: ManualClock, neighbourhood: Neighbourhood
) -> None:
    await first_round(clock)

    async def statements_for(count: int) -> int:
        readers = [await people.make() for _ in range(count)]
        await User.filter(id__in=[r.user.id for r in readers]).update(
            digest=DigestFrequency.WEEKLY, home_area_id=neighbourhood.ward.id
        )
        for reader in readers:
            await problems.follow(as_(reader), problem_id=plan.group.problem_id, now=clock.now())
            await working_groups.join(as_(reader), group_id=plan.group.id, now=clock.now())
        clock.advance(minutes=5)
        await news(plan, "News.")
        clock.advance(minutes=5)
        with QueryCounter() as queries:
            written = await digests.send_due(now=clock.now())
        assert written == count
        return int(queries.count)

    assert await statements_for(3) == await statements_for(30)


async def test_a_persons_digests_join_their_copy_and_go_with_their_account(
    plan: Plan, clock: ManualClock
) -> None:
    await news(plan, "Cameras.")
    clock.advance(minutes=5)
    await digests.send_due(now=clock.now())
    rita = await User.get(id=plan.rita.user.id)

    copy = await personal_data.export(Actor(user=rita), now=clock.now())
    assert copy["progress_digests"] == [
        {
            "frequency": "WEEKLY",
            "covers_from": (clock.now() - WEEK).isoformat(),
            "covers_until": clock.now().isoformat(),
        }
    ]
    assert {
        "act": "DIGEST_RECEIVED",
        "area": "Mill Lane",
        "rung": "PASSIVE",
        "at": clock.now().isoformat(),
    } in copy["activity"]

    await personal_data.erase(rita, now=clock.now())
    assert not await ProgressDigest.exists(person_id=rita.id)
