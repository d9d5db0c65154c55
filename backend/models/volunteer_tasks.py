from typing import TYPE_CHECKING

from tortoise import fields

from backend.models.base import Record, by_person, by_person_or_none, in_group, of_person, part_of, refers_to
from backend.models.enums import AssignmentStatus

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.working_groups import Action, WorkingGroup


class VolunteerTask(Record):
    """Work a working group asks volunteers for, at a time and a place (or from home), with
    a number of slots. Its status is worked out when it is read (services/volunteer_tasks)."""

    group: fields.ForeignKeyRelation["WorkingGroup"] = in_group("tasks")
    group_id: int
    action: fields.ForeignKeyNullableRelation["Action"] = refers_to(
        "models.Action", "tasks", on_delete=fields.SET_NULL, indexed=True, null=True
    )
    action_id: int | None
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    # Moments in UTC; shown in the service's time zone (the TIME_ZONE setting).
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    location = fields.CharField(max_length=200, null=True)
    remote = fields.BooleanField(default=False)
    skills: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # The skills again, lower-cased between bars ("|first aid|driving|"), so that finding
    # tasks by skill is a LIKE on both databases (SQLite has no JSON containment).
    skill_tags = fields.TextField(default="")
    slots = fields.IntField()
    # Places held (confirmed, checked in, completed): changed only under the task's row lock,
    # with the assignments themselves, so it is never more than `slots`. Kept here so that
    # "open tasks only" is one comparison in SQL.
    filled = fields.IntField(default=0)
    # Bumped when the time changes: reminders are keyed by it, so a new time gets new ones.
    schedule_version = fields.IntField(default=1)
    # Bumped on every change a calendar shows (iCalendar SEQUENCE).
    sequence = fields.IntField(default=0)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.TextField(null=True)
    created_by: fields.ForeignKeyRelation["User"] = by_person("created_tasks", indexed=True)
    created_by_id: int
    updated_at = fields.DatetimeField()

    class Meta:
        table = "volunteer_tasks"
        # Lists: soonest first, keyset on (starts_at, id), all tasks or one group's.
        indexes = (("starts_at", "id"), ("group", "starts_at", "id"))


class TaskAssignment(Record):
    """One person's place on a task, from signing up (or being assigned) to its end: one row
    per person per task, theirs again when they sign up after withdrawing."""

    task: fields.ForeignKeyRelation[VolunteerTask] = part_of("models.VolunteerTask", "assignments")
    task_id: int
    volunteer: fields.ForeignKeyRelation["User"] = of_person("task_assignments")
    volunteer_id: int
    status = fields.CharEnumField(AssignmentStatus, max_length=16)
    # Arrival order on the task: the waiting list is served lowest first. Numbered under the
    # task's row lock, so two sign-ups never share a number.
    place = fields.IntField()
    # The lead who put the person down; null when they signed up themselves.
    assigned_by: fields.ForeignKeyNullableRelation["User"] = by_person_or_none()
    assigned_by_id: int | None
    hours = fields.FloatField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "task_assignments"
        unique_together = (("task", "volunteer"),)
        indexes = (("task", "status", "place"),)


class CalendarFeed(Record):
    """A person's private calendar address. Only a hash of its secret is kept; the secret is
    derived from the secret key and `generation`, so the address can be shown again while
    the database alone cannot give it away (services/volunteer_tasks/calendar.py)."""

    user: fields.OneToOneRelation["User"] = fields.OneToOneField(
        "models.User", related_name="calendar_feed", on_delete=fields.CASCADE
    )
    user_id: int
    generation = fields.IntField(default=1)
    token_hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "calendar_feeds"
