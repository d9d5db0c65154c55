"""What a batch of people hear in their digests.

Each kind of change is loaded for the whole batch at once, with `__in` queries over everyone's
problems and groups and the earliest moment any of them last heard: a batch costs the same
statements whether it holds three people or two hundred. The changes are then shared out
person by person, each through the read rule of what it is about (the aggregates' own
`may_see`, on each person's standing): a line reaches only someone who may read its problem
or group when the digest is written, and delivery needs no further check, since the digest
is about the recipient alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F, Q

from backend.links import group_path, problem_path, task_path
from backend.models import (
    Action,
    ActionOwner,
    Area,
    AreaRole,
    GroupMembership,
    GroupProblem,
    OrganisationMembership,
    OutcomeReading,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemUpdate,
    StageChange,
    TaskAssignment,
    User,
    VolunteerTask,
    WorkingGroup,
)
from backend.models.areas import neighbourhood_path
from backend.models.enums import (
    ActionStatus,
    AreaRoleKind,
    AssignmentStatus,
    JoinPolicy,
    MembershipStatus,
    OwnerStatus,
    ProblemStatus,
    ResponseDecision,
    WorkingGroupStatus,
)
from backend.services import configuration, names, problems
from backend.services.standing import Standing
from backend.services.volunteer_tasks.notices import when
from backend.services.working_groups import access as groups

# Own tasks starting this soon are listed as upcoming.
UPCOMING = timedelta(days=14)
# How many open tasks and open groups near the batch's home areas are weighed for next steps:
# the soonest tasks and the newest groups, enough for a batch from one neighbourhood.
NEXT_STEP_CHOICES = 100

DECIDED = {
    ResponseDecision.ACCEPT: "accepted it",
    ResponseDecision.DECLINE: "declined it",
    ResponseDecision.REFER: "referred it to another organisation",
    ResponseDecision.DUPLICATE: "marked it a duplicate of another problem",
}
CLOSED = {
    ProblemStatus.RESOLVED: "It was closed as resolved",
    ProblemStatus.UNRESOLVED: "It was closed as unresolved",
}
# Who answered, when a coordinator answered for the area rather than for an organisation.
COORDINATOR = "The area's coordinator"


@dataclass(frozen=True)
class Reader:
    """A person due a digest, and the moment from which they have not heard."""

    user: User
    since: datetime


@dataclass
class Digest:
    """One person's digest, in the words its templates show."""

    problems: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    next_step: dict[str, str] | None = None

    @property
    def has_news(self) -> bool:
        """Whether anything changed: upcoming tasks and a next step alone are no news."""
        return bool(self.problems or self.groups)


def status_in_words(problem: Problem) -> str:
    """Where a problem stands: "in progress: response"."""
    return f"{problem.status.value.lower().replace('_', ' ')}: {problem.stage.value.lower()}"


def _link(path: str) -> str:
    return configuration.address(path) or path


Rows = list[tuple[Any, ...]]


def _keyed(rows: Iterable[tuple[Any, ...]]) -> dict[int, Rows]:
    """Rows by their first column (a person, a problem, a group), each looked up once."""
    keyed: dict[int, Rows] = defaultdict(list)
    for row in rows:
        keyed[row[0]].append(row)
    return keyed


def _within(rows: Mapping[int, Rows], key: int, start: datetime, end: datetime) -> Rows:
    """The rows of `key` that happened in [start, end) (their last column)."""
    return [row for row in rows.get(key, ()) if start <= row[-1] < end]


def _name(user_id: int, name: str, initials: bool, standing: Standing) -> str:
    """A member's name as the reader is shown it."""
    return names.shown_name(User(id=user_id, display_name=name, public_initials=initials), standing)


def _free(places: int) -> str:
    return f"{places} place{'' if places == 1 else 's'} free"


def _entry(news: list[tuple[datetime, str]], path: str, **about: str) -> dict[str, Any]:
    """A problem or group in the digest: what it is, its news oldest first, and a link to it."""
    return {**about, "news": [line for _, line in sorted(news, key=lambda item: item[0])], "url": _link(path)}


def _latest_readings(rows: Iterable[tuple[Any, ...]]) -> list[tuple[datetime, str]]:
    """A line per measure with its latest reading: a year of readings entered at once is
    one piece of news, not a page of them."""
    latest: dict[tuple[str, str], tuple[float, datetime, int]] = {}
    for _, measure, unit, value, at in rows:
        seen = latest.get((measure, unit))
        latest[(measure, unit)] = (value, at, 1 + (seen[2] if seen else 0))
    return [
        (at, f"New reading of {measure}: {value:g} {unit}" + (f" (latest of {count})" if count > 1 else ""))
        for (measure, unit), (value, at, count) in latest.items()
    ]


class Batch:
    """Every change a batch of readers may hear of, loaded in a fixed number of statements."""

    def __init__(self, readers: Collection[Reader], *, now: datetime) -> None:
        self.readers = list(readers)
        self.now = now
        self.people = sorted(r.user.id for r in self.readers)
        self.earliest = min((r.since for r in self.readers), default=now)

    async def load(self) -> None:
        """Each part in its own step, each step a fixed number of statements."""
        await self._load_ties()
        await self._load_invitations()
        await self._load_subjects()
        await self._load_problem_news()
        await self._load_group_news()

    async def _load_ties(self) -> None:
        """Where the readers stand, live, follow, belong and volunteer."""
        people, now = self.people, self.now
        self.standings = await self._standings()
        home_ids = sorted({r.user.home_area_id for r in self.readers if r.user.home_area_id is not None})
        self.home_paths = dict(await Area.filter(id__in=home_ids).values_list("id", "path"))
        self.follows = await ProblemFollow.filter(user_id__in=people).values_list("user_id", "problem_id")
        self.memberships: list[tuple[int, int, MembershipStatus]] = await GroupMembership.filter(
            user_id__in=people
        ).values_list("user_id", "group_id", "status")
        self.assignments = await TaskAssignment.filter(
            volunteer_id__in=people, task__starts_at__gt=now
        ).values_list(
            "volunteer_id",
            "status",
            "task_id",
            "task__title",
            "task__starts_at",
            "task__group_id",
            "task__cancelled_at",
        )

    async def _load_invitations(self) -> None:
        """The open tasks and groups near the readers' homes, for their next step."""
        now = self.now
        near = sorted({neighbourhood_path(path) for path in self.home_paths.values()})
        nearby = (
            Q(*(Q(group__area__path__startswith=path) for path in near), join_type="OR")
            if near
            else Q(pk__in=[])
        )
        self.open_tasks = (
            await VolunteerTask.filter(
                nearby,
                cancelled_at__isnull=True,
                starts_at__gt=now,
                filled__lt=F("slots"),
                group__status=WorkingGroupStatus.ACTIVE,
            )
            .order_by("starts_at", "id")
            .limit(NEXT_STEP_CHOICES)
            .values_list("id", "title", "starts_at", "group_id", "slots", "filled", "group__area__path")
        )
        groups_nearby = (
            Q(*(Q(area__path__startswith=path) for path in near), join_type="OR") if near else Q(pk__in=[])
        )
        self.open_groups = (
            await WorkingGroup.filter(
                groups_nearby, status=WorkingGroupStatus.ACTIVE, join_policy=JoinPolicy.OPEN
            )
            .order_by("-created_at", "-id")
            .limit(NEXT_STEP_CHOICES)
            .values_list("id", "name", "area__path")
        )

    async def _load_subjects(self) -> None:
        """The groups and problems the news is about, with the problems' areas."""
        active = {group for _, group, status in self.memberships if status == MembershipStatus.ACTIVE}
        self.active_groups = active_groups = sorted(active)
        wanted_groups = {
            *active_groups,
            *(row[5] for row in self.assignments),
            *(row[3] for row in self.open_tasks),
            *(row[0] for row in self.open_groups),
        }
        self.groups = {g.id: g for g in await WorkingGroup.filter(id__in=sorted(wanted_groups))}
        self.links = _keyed(
            await GroupProblem.filter(group_id__in=active_groups).values_list("group_id", "problem_id")
        )
        self.followed = followed = sorted({p for _, p in self.follows})
        self.follows_of = _keyed(self.follows)
        self.membership_of = _keyed(self.memberships)
        self.assignments_of = _keyed(self.assignments)
        self.group_problems = group_problems = sorted(
            {g.problem_id for g in self.groups.values()}
            | {p for rows in self.links.values() for _, p in rows}
        )
        self.problems = {p.id: p for p in await Problem.filter(id__in=sorted({*followed, *group_problems}))}
        self.areas = {
            a.id: a for a in await Area.filter(id__in=sorted({p.area_id for p in self.problems.values()}))
        }

    async def _load_problem_news(self) -> None:
        """What happened since the earliest reader's last digest on the problems they follow."""
        followed, now, earliest = self.followed, self.now, self.earliest
        window = {"created_at__gte": earliest, "created_at__lt": now}
        self.responses = _keyed(
            await ProblemResponse.filter(problem_id__in=followed, **window)
            .order_by("created_at", "id")
            .values_list("problem_id", "decision", "organisation__name", "created_at")
        )
        self.updates = _keyed(
            await ProblemUpdate.filter(problem_id__in=followed, **window)
            .order_by("created_at", "id")
            .values_list("problem_id", "organisation__name", "created_at")
        )
        self.stage_changes = _keyed(
            await StageChange.filter(problem_id__in=followed, changed_at__gte=earliest, changed_at__lt=now)
            .order_by("changed_at", "id")
            .values_list("problem_id", "status", "stage", "changed_at")
        )

    async def _load_group_news(self) -> None:
        """What happened since the earliest reader's last digest in the groups they work in."""
        active_groups, now, earliest = self.active_groups, self.now, self.earliest
        window = {"created_at__gte": earliest, "created_at__lt": now}
        changed = {"updated_at__gte": earliest, "updated_at__lt": now}
        self.done = _keyed(
            await Action.filter(group_id__in=active_groups, status=ActionStatus.DONE, **changed)
            .order_by("updated_at", "id")
            .values_list("group_id", "title", "updated_at")
        )
        self.blocked = _keyed(
            await ActionOwner.filter(
                action__group_id__in=active_groups, status=OwnerStatus.BLOCKED, **changed
            )
            .order_by("updated_at", "id")
            .values_list("action__group_id", "action__title", "updated_at")
        )
        self.joined = _keyed(
            await GroupMembership.filter(
                group_id__in=active_groups, status=MembershipStatus.ACTIVE, **changed
            )
            .order_by("updated_at", "id")
            .values_list("group_id", "user_id", "user__display_name", "user__public_initials", "updated_at")
        )
        self.new_tasks = _keyed(
            await VolunteerTask.filter(
                group_id__in=active_groups,
                cancelled_at__isnull=True,
                starts_at__gt=now,
                filled__lt=F("slots"),
                **window,
            )
            .order_by("starts_at", "id")
            .values_list("group_id", "id", "title", "starts_at", "slots", "filled", "created_at")
        )
        self.readings = _keyed(
            await OutcomeReading.filter(measure__problem_id__in=self.group_problems, **window)
            .order_by("created_at", "id")
            .values_list("measure__problem_id", "measure__name", "measure__unit", "value", "created_at")
        )

    async def _standings(self) -> dict[int, Standing]:
        """Where each reader stands (as `standing_of` reads it for one person), for the batch."""
        organisations: dict[int, set[int]] = defaultdict(set)
        for user_id, organisation_id in await OrganisationMembership.filter(
            user_id__in=self.people
        ).values_list("user_id", "organisation_id"):
            organisations[user_id].add(organisation_id)
        roles: dict[int, list[tuple[int, AreaRoleKind, str]]] = defaultdict(list)
        for user_id, area_id, role, path in await AreaRole.filter(user_id__in=self.people).values_list(
            "user_id", "area_id", "role", "area__path"
        ):
            roles[user_id].append((area_id, role, path))
        return {
            r.user.id: Standing(
                user_id=r.user.id,
                is_admin=r.user.is_admin,
                organisation_ids=frozenset(organisations[r.user.id]),
                coordinated_area_ids=frozenset(
                    a for a, role, _ in roles[r.user.id] if role == AreaRoleKind.COORDINATOR
                ),
                moderated_area_ids=frozenset(
                    a for a, role, _ in roles[r.user.id] if role == AreaRoleKind.MODERATOR
                ),
                coordinated_paths=tuple(
                    sorted(p for _, role, p in roles[r.user.id] if role == AreaRoleKind.COORDINATOR)
                ),
            )
            for r in self.readers
        }

    # ------------------------------------------------------------ shared out, person by person

    def digest_of(self, reader: Reader) -> Digest:
        standing = self.standings[reader.user.id]
        statuses = {g: status for _, g, status in self.membership_of.get(reader.user.id, ())}
        return Digest(
            problems=self._problem_news(reader, standing),
            groups=self._group_news(reader, standing, statuses),
            upcoming=self._upcoming(reader, standing, statuses),
            next_step=self._next_step(reader, standing, statuses),
        )

    def _sees_problem(self, standing: Standing, problem_id: int) -> bool:
        problem = self.problems.get(problem_id)
        return problem is not None and problems.may_see(standing, problem, self.areas[problem.area_id])

    def _sees_group(self, standing: Standing, group_id: int, status: MembershipStatus | None) -> bool:
        group = self.groups.get(group_id)
        if group is None:
            return False
        problem = self.problems.get(group.problem_id)
        membership = None if status is None else GroupMembership(status=status)
        if problem is None:
            return groups.is_present(membership)
        return groups.may_see(standing, problem, self.areas[problem.area_id], membership)

    def _problem_news(self, reader: Reader, standing: Standing) -> list[dict[str, Any]]:
        start, end = reader.since, self.now
        listed = []
        for problem_id in sorted({p for _, p in self.follows_of.get(reader.user.id, ())}):
            if not self._sees_problem(standing, problem_id):
                continue
            news = [
                *(
                    (at, f"{organisation or COORDINATOR} {DECIDED[decision]}")
                    for _, decision, organisation, at in _within(self.responses, problem_id, start, end)
                ),
                *(
                    (at, f"{organisation or COORDINATOR} posted an update")
                    for _, organisation, at in _within(self.updates, problem_id, start, end)
                ),
                *(
                    (at, CLOSED.get(status) or f"It moved to the {stage.value.lower()} stage")
                    for _, status, stage, at in _within(self.stage_changes, problem_id, start, end)
                ),
            ]
            if news:
                problem = self.problems[problem_id]
                listed.append(
                    _entry(
                        news, problem_path(problem_id), title=problem.title, status=status_in_words(problem)
                    )
                )
        return listed

    def _group_news(
        self, reader: Reader, standing: Standing, statuses: dict[int, MembershipStatus]
    ) -> list[dict[str, Any]]:
        start, end = reader.since, self.now
        listed = []
        for group_id in sorted(g for g, status in statuses.items() if status == MembershipStatus.ACTIVE):
            if not self._sees_group(standing, group_id, statuses[group_id]):
                continue
            group = self.groups[group_id]
            worked_on = {group.problem_id} | {p for _, p in self.links.get(group_id, ())}
            readings = [row for p in sorted(worked_on) for row in _within(self.readings, p, start, end)]
            news = [
                *((at, f"Action done: {title}") for _, title, at in _within(self.done, group_id, start, end)),
                *(
                    (at, f"Action blocked: {title}")
                    for _, title, at in _within(self.blocked, group_id, start, end)
                ),
                *(
                    (at, f"{_name(user_id, name, initials, standing)} joined")
                    for _, user_id, name, initials, at in _within(self.joined, group_id, start, end)
                    if user_id != reader.user.id
                ),
                *(
                    (at, f"New task needing people: {title}, {when(starts)} ({_free(slots - filled)})")
                    for _, _, title, starts, slots, filled, at in _within(
                        self.new_tasks, group_id, start, end
                    )
                ),
                *_latest_readings(readings),
            ]
            if news:
                listed.append(_entry(news, group_path(group_id), name=group.name))
        return listed

    def _upcoming(
        self, reader: Reader, standing: Standing, statuses: dict[int, MembershipStatus]
    ) -> list[dict[str, Any]]:
        return [
            {"title": title, "when": when(starts), "url": _link(task_path(task_id))}
            for person, status, task_id, title, starts, group_id, cancelled in sorted(
                self.assignments_of.get(reader.user.id, ()), key=lambda row: (row[4], row[2])
            )
            if status == AssignmentStatus.CONFIRMED
            and cancelled is None
            and starts < self.now + UPCOMING
            and self._sees_group(standing, group_id, statuses.get(group_id))
        ]

    def _next_step(
        self, reader: Reader, standing: Standing, statuses: dict[int, MembershipStatus]
    ) -> dict[str, str] | None:
        """One invitation to a next rung near the person's home: an open task they have not
        signed up for, else an open group they are not in."""
        home = self.home_paths.get(reader.user.home_area_id) if reader.user.home_area_id else None
        if home is None:
            return None
        near = neighbourhood_path(home)
        signed_up = {row[2] for row in self.assignments_of.get(reader.user.id, ())}
        for task_id, title, starts, group_id, slots, filled, path in self.open_tasks:
            if (
                path.startswith(near)
                and task_id not in signed_up
                and self._sees_group(standing, group_id, statuses.get(group_id))
            ):
                return {
                    "invitation": f"Volunteer for {title}, {when(starts)}: {_free(slots - filled)}",
                    "url": _link(task_path(task_id)),
                }
        for group_id, name, path in self.open_groups:
            status = statuses.get(group_id)
            if (
                path.startswith(near)
                and not groups.is_present(None if status is None else GroupMembership(status=status))
                and self._sees_group(standing, group_id, status)
            ):
                return {"invitation": f"Join the working group {name}", "url": _link(group_path(group_id))}
        return None
