"""Reminders and calendars of volunteer tasks: written through the outbox with the moment
they are due, moved with the task, removed with the place, sent once; local times across the
October clock change; the .ics feed read back with an iCalendar parser."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest
from action_plan import Plan, as_
from action_plan import build as build_plan
from icalendar import Calendar
from task_board import SATURDAY, make_task, sign_up, task_id

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.models import Notification, TaskAssignment
from backend.models.enums import Delivery, NotificationKind
from backend.services import notifications, volunteer_tasks
from backend.services.volunteer_tasks import TaskDetails, calendar
from neighbourhood import Neighbourhood
from support import GraphQL, People, RecordingMailer


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    return await build_plan(gql, people, neighbourhood, clock)


async def reminders() -> list[tuple[int, datetime, Delivery]]:
    rows = await Notification.filter(kind=NotificationKind.TASK_REMINDER).order_by(
        "deliver_after", "recipient_id"
    )
    return [(n.recipient_id, n.deliver_after, n.delivery) for n in rows]


async def test_reminders_are_scheduled_moved_and_removed(plan: Plan, clock: ManualClock) -> None:
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    nell = plan.nell.user.id
    assert [(r, d) for r, d, _ in await reminders()] == [
        (nell, SATURDAY - timedelta(hours=24)),
        (nell, SATURDAY - timedelta(hours=2)),
    ]
    later = SATURDAY + timedelta(days=1)
    await volunteer_tasks.update(
        as_(plan.lead),
        task_id=task.id,
        changes=TaskDetails(starts_at=later, ends_at=later + timedelta(hours=2)),
        now=clock.now(),
    )
    assert [(r, d) for r, d, _ in await reminders()] == [
        (nell, later - timedelta(hours=24)),
        (nell, later - timedelta(hours=2)),
    ]
    assert await Notification.filter(kind=NotificationKind.TASK_CHANGED, recipient_id=nell).exists()
    # Signed up 3 hours before the start: only the 2-hour reminder is still to come.
    clock.set(later - timedelta(hours=3))
    await sign_up(plan, task, plan.ray)
    assert sorted(r for r, _, _ in await reminders()) == sorted([nell, nell, plan.ray.user.id])
    await volunteer_tasks.withdraw(as_(plan.nell), task_id=task.id, now=clock.now())
    assert [r for r, _, _ in await reminders()] == [plan.ray.user.id]


async def test_a_reminder_is_sent_once_however_often_and_by_however_many_it_is_run(
    plan: Plan, clock: ManualClock, sealer: Sealer
) -> None:
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    mailer = RecordingMailer()
    # What was already due (the group's invitations) goes first; the reminders wait.
    await notifications.deliver_due(mailer, sealer, clock=clock)
    mailer.letters.clear()
    clock.set(SATURDAY - timedelta(hours=25))
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    clock.set(SATURDAY - timedelta(hours=24))
    sent = await asyncio.gather(
        notifications.deliver_due(mailer, sealer, clock=clock),
        notifications.deliver_due(mailer, sealer, clock=clock),
    )
    assert sum(sent) == 1
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    reminder = [letter for letter in mailer.letters if letter.subject.startswith("Reminder")]
    assert len(reminder) == 1
    assert "Saturday 10 January 2026, 10:00" in reminder[0].subject


async def claimed_reminders_lapse(recipient_id: int, clock: ManualClock) -> None:
    """The recipient's reminders due by now claimed by a worker that died while sending them:
    still SENDING, their lease over, for the next sweep to take up."""
    claimed = await Notification.filter(
        kind=NotificationKind.TASK_REMINDER, recipient_id=recipient_id, delivery=Delivery.PENDING
    ).update(delivery=Delivery.SENDING, claimed_until=clock.now(), attempts=1)
    assert claimed == 1
    clock.advance(minutes=1)


@pytest.mark.parametrize("since", ["withdrew", "cancelled", "moved", "checked in"])
async def test_a_reminder_claimed_before_its_reason_went_is_not_sent(
    plan: Plan, clock: ManualClock, sealer: Sealer, since: str
) -> None:
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    await sign_up(plan, task, plan.ray)
    mailer = RecordingMailer()
    # The invitations, then the reminders a day before, go as they should.
    clock.set(SATURDAY - timedelta(hours=24))
    await notifications.deliver_due(mailer, sealer, clock=clock)
    mailer.letters.clear()
    clock.set(SATURDAY - timedelta(hours=2))
    await claimed_reminders_lapse(plan.nell.user.id, clock)
    nell, lead = as_(plan.nell), as_(plan.lead)
    match since:
        case "withdrew":
            await volunteer_tasks.withdraw(nell, task_id=task.id, now=clock.now())
            why = "the volunteer no longer holds a place"
        case "cancelled":
            await volunteer_tasks.cancel(lead, task_id=task.id, reason="Rain all day", now=clock.now())
            why = "the task was cancelled"
        case "moved":
            later = SATURDAY + timedelta(hours=1)
            changes = TaskDetails(starts_at=later, ends_at=later + timedelta(hours=2))
            await volunteer_tasks.update(lead, task_id=task.id, changes=changes, now=clock.now())
            why = "the task moved since the reminder was written"
        case "checked in":
            place = await TaskAssignment.get(task_id=task.id, volunteer_id=plan.nell.user.id)
            clock.set(SATURDAY - timedelta(minutes=30))
            await volunteer_tasks.check_in(lead, assignment_id=place.id, now=clock.now())
            why = "the volunteer has checked in already"
    await notifications.deliver_due(mailer, sealer, clock=clock)
    claimed = await Notification.get(
        kind=NotificationKind.TASK_REMINDER,
        recipient_id=plan.nell.user.id,
        deliver_after=SATURDAY - timedelta(hours=2),
    )
    assert (claimed.delivery, claimed.last_error) == (Delivery.SKIPPED, why)
    sent_to = {letter.to for letter in mailer.letters if letter.subject.startswith("Reminder")}
    assert plan.nell.user.email not in sent_to
    # Ray, who kept his place on the task as it stands, still hears of it.
    if since in ("withdrew", "checked in"):
        assert sent_to == {plan.ray.user.email}


async def test_a_task_across_the_october_clock_change_shows_local_time(
    plan: Plan, clock: ManualClock
) -> None:
    clock.set(datetime.fromisoformat("2026-10-20T09:00:00+00:00"))
    # Sunday 25 October 2026: the clocks went back at 02:00 BST, so 10:00 UTC is 10:00 GMT,
    # while the 24-hour reminder falls on Saturday, still in British Summer Time.
    sunday = datetime.fromisoformat("2026-10-25T10:00:00+00:00")
    task = await make_task(plan, starts_at=sunday, ends_at=sunday + timedelta(hours=2))
    await sign_up(plan, task, plan.nell)
    assert (await reminders())[0][1] == sunday - timedelta(hours=24)
    reminder = await Notification.filter(kind=NotificationKind.TASK_REMINDER).first()
    assert reminder is not None and "Sunday 25 October 2026, 10:00 to 12:00" in reminder.body
    saturday = datetime.fromisoformat("2026-10-24T10:00:00+00:00")
    earlier = await make_task(
        plan, title="Saturday", starts_at=saturday, ends_at=saturday + timedelta(hours=1)
    )
    await sign_up(plan, earlier, plan.ray)
    told = await Notification.filter(
        kind=NotificationKind.TASK_REMINDER, recipient_id=plan.ray.user.id
    ).first()
    assert told is not None and "Saturday 24 October 2026, 11:00 to 12:00" in told.body


async def test_the_calendar_feed_parses_and_stops_after_a_reset(
    plan: Plan, clock: ManualClock, client: httpx.AsyncClient, gql: GraphQL
) -> None:
    task = await make_task(plan)
    cancelled = await make_task(
        plan,
        title="Leaflets",
        starts_at=SATURDAY + timedelta(days=1),
        ends_at=SATURDAY + timedelta(days=1, hours=1),
    )
    for t in (task, cancelled):
        await sign_up(plan, t, plan.nell)
    await volunteer_tasks.cancel(as_(plan.lead), task_id=cancelled.id, reason="Rain", now=clock.now())
    address = (await gql("ViewerAssignments", as_=plan.nell.token))["viewer"]["calendarFeedUrl"]
    assert address == await calendar.feed_address(plan.nell.user, now=clock.now())
    response = await client.get(address)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["SUMMARY"]), str(e["STATUS"]), int(e["SEQUENCE"])) for e in events] == [
        ("Litter pick on Mill Lane", "CONFIRMED", 0),
        ("Leaflets", "CANCELLED", 1),
    ]
    assert events[0]["DTSTART"].dt == SATURDAY
    assert str(events[0]["UID"]).startswith(f"volunteer-task-{task.id}@")

    reset = (await gql("ResetCalendarFeed", as_=plan.nell.token))["resetCalendarFeed"]
    assert reset["viewer"]["calendarFeedUrl"] != address
    assert (await client.get(address)).status_code == 404
    assert (await client.get(reset["viewer"]["calendarFeedUrl"])).status_code == 200

    single = await client.get(
        f"/tasks/{task_id(task)}.ics", headers={"Authorization": f"Bearer {plan.nell.token}"}
    )
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(single.content).walk("VEVENT")] == [
        "Litter pick on Mill Lane"
    ]
