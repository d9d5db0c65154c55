"""Volunteer tasks: the tasks, volunteers' places on them, and the acts on both."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.context import Info, ValueOrAwaitable, settled
from backend.api.enums import AssignmentStatus, TaskStatus
from backend.api.errors import UserError, refused_as_public
from backend.api.loaders import at_hand, load_ahead
from backend.api.node import Node, fetches_node
from backend.api.pagination import Connection, paginate_listed
from backend.api.payloads import Answer, given, outcome
from backend.api.selections import asked
from backend.api.working_groups import InWorkingGroup, fetch_group
from backend.services import volunteer_tasks
from backend.services.actors import Actor
from backend.services.standing import standing_of
from backend.services.volunteer_tasks import access, calendar, reading

if TYPE_CHECKING:
    from backend.api.accounts import User, ViewerPayload
    from backend.api.actions import Action

T = TypeVar("T")


async def runs(info: Info, group: models.WorkingGroup) -> bool:
    """Whether the viewer runs the group's tasks (sees every assignment, checks people in)."""
    loaders = info.context.loaders
    area = await references.row(loaders.area, group.area_id)
    membership = await loaders.viewer_membership.load(group.id)
    return access.may_run(await standing_of(info.context.actor), area, membership)


def _unless_anonymous(
    info: Info, anonymous: T, viewers: Callable[[Info], Awaitable[T]]
) -> ValueOrAwaitable[T]:
    """The viewer's own answer, from `viewers`; `anonymous` at once for an anonymous visitor,
    who has no assignment, and so no place and no task to run: the public list of tasks then
    awaits nothing per task for those fields."""
    return anonymous if info.context.actor.user is None else viewers(info)


@strawberry.type
class VolunteerTask(InWorkingGroup, Node):
    model: strawberry.Private[models.VolunteerTask]
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    remote: bool = strawberry.field(description="A small task done from home (micro-volunteering).")
    slots: int

    @strawberry.field(graphql_type=Annotated["Action", strawberry.lazy("backend.api.actions")] | None)
    def action(self, info: Info) -> ValueOrAwaitable[Action | None]:
        from backend.api.actions import Action

        return references.optional(info.context.loaders.action, self.model.action_id, Action.of)

    @strawberry.field
    def skills(self) -> list[str]:
        return list(self.model.skills)

    @strawberry.field(description="Confirmed, checked-in and completed assignments; never more than `slots`.")
    def filled_slots(self) -> int:
        return self.model.filled

    @strawberry.field(graphql_type=int)
    def waitlist_count(self, info: Info) -> ValueOrAwaitable[int]:
        return at_hand(info.context.loaders.waiting_on_task, self.model.id)

    @strawberry.field
    def status(self, info: Info) -> TaskStatus:
        return reading.status_of(self.model, now=info.context.now)

    @strawberry.field(description="Why the task was cancelled; null while it is not.")
    def cancel_reason(self) -> str | None:
        return self.model.cancel_reason

    @strawberry.field(
        graphql_type=Annotated["TaskAssignment", strawberry.lazy("backend.api.volunteer_tasks")] | None
    )
    def viewer_assignment(self, info: Info) -> ValueOrAwaitable[TaskAssignment | None]:
        return _unless_anonymous(info, None, self._viewer_assignment)

    async def _viewer_assignment(self, info: Info) -> TaskAssignment | None:
        assignment = await info.context.loaders.viewer_assignment.load(self.model.id)
        return TaskAssignment.of(assignment) if assignment else None

    @strawberry.field(
        description=(
            "Where the viewer stands on the waiting list (1 is next), while they wait; null otherwise."
        ),
        graphql_type=int | None,
    )
    def viewer_waitlist_position(self, info: Info) -> ValueOrAwaitable[int | None]:
        return _unless_anonymous(info, None, self._viewer_waitlist_position)

    async def _viewer_waitlist_position(self, info: Info) -> int | None:
        mine = await info.context.loaders.viewer_assignment.load(self.model.id)
        if mine is None or mine.status != models.enums.AssignmentStatus.WAITLISTED:
            return None
        waiting = [
            a
            for a in await info.context.loaders.assignments_of_task.load(self.model.id)
            if a.status == models.enums.AssignmentStatus.WAITLISTED
        ]
        return 1 + sum(1 for a in waiting if (a.place, a.id) < (mine.place, mine.id))

    @strawberry.field(
        description=(
            "All assignments to the group's leads and the area's coordinators; "
            "only the viewer's own to anyone else."
        )
    )
    async def assignments(self, info: Info) -> list[TaskAssignment]:
        if await runs(info, await self._group(info)):
            return [
                TaskAssignment.of(a)
                for a in await info.context.loaders.assignments_of_task.load(self.model.id)
            ]
        mine = await info.context.loaders.viewer_assignment.load(self.model.id)
        return [TaskAssignment.of(mine)] if mine else []

    @strawberry.field(
        description=(
            "Whether the viewer runs this task: changes and cancels it, assigns volunteers, checks them in, "
            "records hours and no-shows (the group's leads and the area's coordinators)."
        ),
        graphql_type=bool,
    )
    def viewer_can_manage(self, info: Info) -> ValueOrAwaitable[bool]:
        return _unless_anonymous(info, False, self._viewer_runs)

    async def _viewer_runs(self, info: Info) -> bool:
        return await runs(info, await self._group(info))

    @strawberry.field(description="Where to download this task as a single calendar event (.ics).")
    def calendar_url(self) -> str:
        return calendar.event_address(self.model.id)


@strawberry.type
class TaskAssignment(Node):
    model: strawberry.Private[models.TaskAssignment]
    status: AssignmentStatus
    hours: float | None
    checked_in_at: datetime | None
    created_at: datetime

    @strawberry.field
    async def task(self, info: Info) -> VolunteerTask:
        task = await references.row(info.context.loaders.volunteer_task, self.model.task_id)
        return VolunteerTask.of(task)

    @strawberry.field
    async def volunteer(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await settled(references.user(info, self.model.volunteer_id))


async def fetch_task_model(info: Info, pk: int) -> models.VolunteerTask | None:
    task = await info.context.loaders.volunteer_task.load(pk)
    if task is None or await fetch_group(info, task.group_id) is None:
        return None
    return task


@fetches_node("VolunteerTask")
async def fetch_task(info: Info, pk: int) -> VolunteerTask | None:
    """A task exists for those who may see its group."""
    task = await fetch_task_model(info, pk)
    return VolunteerTask.of(task) if task else None


@fetches_node("TaskAssignment")
async def fetch_assignment(info: Info, pk: int) -> TaskAssignment | None:
    """An assignment exists for its volunteer, and for those who run its task."""
    assignment = await models.TaskAssignment.get_or_none(id=pk)
    if assignment is None:
        return None
    task = await fetch_task_model(info, assignment.task_id)
    if task is None:
        return None
    own = assignment.volunteer_id == (await standing_of(info.context.actor)).user_id
    group = await references.row(info.context.loaders.working_group, task.group_id)
    return TaskAssignment.of(assignment) if own or await runs(info, group) else None


@strawberry.input
class VolunteerTaskFilter:
    area_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    skills: list[str] | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    open_only: bool | None = None
    remote: bool | None = None


@strawberry.input
class CreateVolunteerTaskInput:
    group_id: strawberry.ID
    action_id: strawberry.ID | None = None
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str | None = None
    remote: bool | None = None
    skills: list[str] | None = None
    slots: int


@strawberry.input
class TaskRefInput:
    task_id: strawberry.ID


@strawberry.input
class UpdateVolunteerTaskInput(volunteer_tasks.TaskDetails, TaskRefInput):
    """The task's ID, then every detail the service's `TaskDetails` has, each optional (a
    dataclass lays out its last base's fields first): a new detail of a task is declared once,
    in the service, and the API's input follows it."""


@strawberry.input
class AssignmentRefInput:
    assignment_id: strawberry.ID


@strawberry.input
class AssignVolunteerInput:
    task_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class CompleteAssignmentInput:
    assignment_id: strawberry.ID
    hours: float


@strawberry.input
class CancelVolunteerTaskInput:
    task_id: strawberry.ID
    reason: str


@strawberry.type
class VolunteerTaskPayload:
    task: VolunteerTask | None
    errors: list[UserError]


@strawberry.type
class AssignmentPayload:
    assignment: TaskAssignment | None
    errors: list[UserError]


task_answer = Answer(VolunteerTaskPayload, VolunteerTask.of)
assignment_answer = Answer(AssignmentPayload, TaskAssignment.of)


def _criteria(filter: VolunteerTaskFilter | None) -> reading.TaskFilter:
    if filter is None:
        return reading.TaskFilter()
    return reading.TaskFilter(
        area_id=ids.decode_optional(filter.area_id, "Area", "areaId"),
        group_id=ids.decode_optional(filter.group_id, "WorkingGroup", "groupId"),
        skills=tuple(filter.skills or ()),
        starts_after=filter.starts_after,
        starts_before=filter.starts_before,
        open_only=bool(filter.open_only),
        remote=filter.remote,
    )


async def task_connection(
    info: Info, criteria: reading.TaskFilter, first: int | None, after: str | None
) -> Connection[VolunteerTask]:
    with refused_as_public():
        listed = await reading.listing(info.context.actor, criteria, now=info.context.now)
    page = await paginate_listed(listed, first=first, after=after)
    await _load_ahead(info, page.rows)
    return Connection.of(page, VolunteerTask.of)


async def _load_ahead(info: Info, tasks: list[models.VolunteerTask]) -> None:
    """What a page of tasks shows of each, loaded for the whole page: its group (and the
    group's area), its action and its waiting list."""
    loaders = info.context.loaders
    await load_ahead(
        tasks,
        asked(info, "edges", "node"),
        ("group", loaders.working_group, "group_id"),
        ("action", loaders.action, "action_id"),
        ("waitlistCount", loaders.waiting_on_task, "id"),
    )
    below_group = asked(info, "edges", "node", "group")
    if "area" in below_group:
        groups = await loaders.working_group.load_many([task.group_id for task in tasks])
        await load_ahead(groups, below_group, ("area", loaders.area, "area_id"))


@strawberry.type
class VolunteerTaskQueries:
    @strawberry.field(
        description=(
            "Tasks the viewer may see, soonest first: every filter must hold; an area includes the areas "
            "inside it; skills match any of those named."
        )
    )
    async def volunteer_tasks(
        self,
        info: Info,
        filter: VolunteerTaskFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[VolunteerTask]:
        with refused_as_public():
            criteria = _criteria(filter)
        return await task_connection(info, criteria, first, after)


def _details(input: CreateVolunteerTaskInput | UpdateVolunteerTaskInput) -> volunteer_tasks.TaskDetails:
    # The inputs spell each detail as the details do.
    named = (field.name for field in dataclasses.fields(volunteer_tasks.TaskDetails))
    return volunteer_tasks.TaskDetails(**{name: getattr(input, name) for name in named})


@strawberry.type
class VolunteerTaskMutations:
    @strawberry.mutation(
        description=(
            "Active members of an active group: a task of the group, optionally under one of its actions."
        )
    )
    async def create_volunteer_task(
        self, info: Info, input: CreateVolunteerTaskInput
    ) -> VolunteerTaskPayload:
        details = _details(input)
        if details.remote is None:
            details = volunteer_tasks.TaskDetails(**{**details.__dict__, "remote": False})

        async def act(actor: Actor, now: datetime) -> models.VolunteerTask:
            where = given(input)
            return await volunteer_tasks.create(
                actor, group_id=where["group_id"], action_id=where["action_id"], details=details, now=now
            )

        return await task_answer(info, act)

    @strawberry.mutation(
        description=(
            "Change a task's details. A new time or place tells confirmed volunteers (TASK_CHANGED) "
            "and moves their reminders."
        )
    )
    async def update_volunteer_task(
        self, info: Info, input: UpdateVolunteerTaskInput
    ) -> VolunteerTaskPayload:
        return await task_answer(
            info,
            lambda actor, now: volunteer_tasks.update(
                actor, task_id=given(input)["task_id"], changes=_details(input), now=now
            ),
        )

    cancel_volunteer_task = task_answer.mutation(volunteer_tasks.cancel, CancelVolunteerTaskInput)
    sign_up_for_task = assignment_answer.mutation(
        volunteer_tasks.sign_up,
        TaskRefInput,
        description=(
            "CONFIRMED while a slot is free, else WAITLISTED; concurrent sign-ups never overfill a task."
        ),
    )
    withdraw_from_task = assignment_answer.mutation(
        volunteer_tasks.withdraw,
        TaskRefInput,
        description="Frees the slot; the first waitlisted volunteer is promoted and told.",
    )
    assign_volunteer = assignment_answer.mutation(volunteer_tasks.assign, AssignVolunteerInput)
    check_in_volunteer = assignment_answer.mutation(volunteer_tasks.check_in, AssignmentRefInput)
    complete_assignment = assignment_answer.mutation(volunteer_tasks.complete, CompleteAssignmentInput)
    mark_no_show = assignment_answer.mutation(volunteer_tasks.mark_no_show, AssignmentRefInput)

    @strawberry.mutation(
        description="A new secret for the viewer's calendar feed: the old URL stops working."
    )
    async def reset_calendar_feed(
        self, info: Info
    ) -> Annotated[ViewerPayload, strawberry.lazy("backend.api.accounts")]:
        from backend.api.accounts import Viewer, ViewerPayload

        return await outcome(
            info,
            ViewerPayload,
            lambda actor, now: calendar.reset(actor, now=now),
            lambda user: ViewerPayload(viewer=Viewer(model=user), errors=[]),
        )
