"""A volunteer's tasks in their own calendar: a private iCalendar feed, and each task as a
single event to download.

The feed's address holds a secret, so anyone with the address can read it and nobody else
can. Only a hash of the secret is stored (`CalendarFeed.token_hash`), so the database alone
gives no address away. The secret itself is derived from the service's secret key, the
person and the feed's `generation`: that is how `Viewer.calendarFeedUrl` can show the
address again whenever its owner asks, without keeping it. `resetCalendarFeed` moves to the
next generation, and the old address stops working. Changing SECRET_KEY changes every
address as well: the old ones stop working once their owners next look at theirs.

Events keep one UID per task, their SEQUENCE follows the task's changes, and a cancelled
task (or a place given up) stays in the feed as STATUS:CANCELLED, so calendar apps take it
off rather than keep a stale copy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from backend.links import task_path
from backend.models import CalendarFeed, TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus
from backend.services import configuration
from backend.services.actors import Actor
from backend.services.standing import standing_of
from backend.services.volunteer_tasks.access import HOLDING, access_task, visible_to
from backend.services.volunteer_tasks.notices import place

PRODUCT = "-//Rungs//Volunteer tasks//EN"
# Places shown in the feed: those held, and those given up or lost, shown as cancelled.
SHOWN = (*HOLDING, AssignmentStatus.WITHDRAWN, AssignmentStatus.NO_SHOW)


def _secret(user_id: int, generation: int) -> str:
    key = configuration.current().secret_key.encode()
    digest = hmac.new(key, f"calendar-feed:{user_id}:{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _address(secret: str) -> str:
    return f"{configuration.current().public_url}/calendar/{secret}.ics"


def event_address(task_id: int) -> str:
    """The single-event download of a task (readable by those who may see the task)."""
    from backend.ids import encode

    return f"{configuration.current().public_url}/tasks/{encode('VolunteerTask', task_id)}.ics"


async def feed_address(user: User, *, now: datetime) -> str:
    """The person's feed address, made on first asking; stored again if the secret key changed."""
    await CalendarFeed.bulk_create(
        [CalendarFeed(user_id=user.id, generation=1, token_hash=_hash(_secret(user.id, 1)), created_at=now)],
        ignore_conflicts=True,
    )
    feed = await CalendarFeed.get(user_id=user.id)
    secret = _secret(user.id, feed.generation)
    if not hmac.compare_digest(feed.token_hash, _hash(secret)):
        await CalendarFeed.filter(id=feed.id).update(token_hash=_hash(secret))
    return _address(secret)


async def reset(actor: Actor, *, now: datetime) -> User:
    """A new address for the person's feed: the old one stops working."""
    user = actor.require_user()
    async with in_transaction():
        await feed_address(user, now=now)
        feed = await CalendarFeed.filter(user_id=user.id).select_for_update().get()
        feed.generation += 1
        feed.token_hash = _hash(_secret(user.id, feed.generation))
        feed.created_at = now
        await feed.save(update_fields=["generation", "token_hash", "created_at"])
    return user


def _event(task: VolunteerTask, group: WorkingGroup, *, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", f"volunteer-task-{task.id}@{urlsplit(configuration.current().public_url).hostname}")
    event.add("sequence", task.sequence)
    event.add("dtstamp", task.updated_at)
    event.add("dtstart", task.starts_at)
    event.add("dtend", task.ends_at)
    event.add("summary", task.title)
    event.add("description", f"{task.description}\n\n{group.name}")
    event.add("location", place(task.location, task.remote))
    event.add("url", configuration.address(task_path(task.id)))
    event.add("status", "CANCELLED" if cancelled or task.cancelled_at is not None else "CONFIRMED")
    return event


def _calendar(events: Iterable[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


async def feed(secret: str) -> bytes | None:
    """The feed behind a secret, or None when no feed has it (never made, or reset since)."""
    found = await CalendarFeed.get_or_none(token_hash=_hash(secret)).select_related("user")
    if found is None or found.user.erased_at is not None:
        return None
    standing = await standing_of(Actor(user=found.user))
    places = (
        await TaskAssignment.filter(
            volunteer_id=found.user_id,
            status__in=list(SHOWN),
            task_id__in=Subquery(VolunteerTask.filter(visible_to(standing)).values("id")),
        )
        .select_related("task", "task__group")
        .order_by("task__starts_at", "id")
    )
    events = [_event(p.task, p.task.group, cancelled=p.status not in HOLDING) for p in places]
    return _calendar(events, "Volunteer tasks")


async def single(actor: Actor, task_id: int) -> bytes:
    """One task as a calendar of one event, for those who may see the task."""
    task = await access_task(actor, task_id)
    group = await WorkingGroup.get(id=task.group_id)
    return _calendar([_event(task, group, cancelled=False)], task.title)
