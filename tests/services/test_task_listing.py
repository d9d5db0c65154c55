"""The task list's pages and counts, put together without the ORM (`db.RuledListing`), hold
exactly the tasks the ORM's filters select for the same viewer and criteria, in the same order,
from every cursor, on either database: the read rule (public, restricted to its own, everything
to an admin) and each criterion (area, group, skills as written, times, open, remote)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from action_plan import Plan, as_
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up
from tortoise.expressions import F, Q

from backend import ids
from backend.api.pagination import encode_cursor, paginate_listed
from backend.clock import ManualClock
from backend.models import Area, VolunteerTask, WorkingGroup
from backend.services import volunteer_tasks
from backend.services.actors import Actor
from backend.services.standing import standing_of
from backend.services.volunteer_tasks.access import visible_to
from backend.services.volunteer_tasks.reading import TaskFilter, listing
from neighbourhood import Neighbourhood
from support import GraphQL, People, every_page


async def _as_the_orm_selects(actor: Actor, criteria: TaskFilter, now: datetime) -> list[int]:
    """The tasks the ORM's own filters select, soonest first: what the list must hold."""
    tasks = VolunteerTask.filter(visible_to(await standing_of(actor)))
    if criteria.area_id is not None:
        area = await Area.get(id=criteria.area_id)
        inside = await Area.filter(path__startswith=area.path).values_list("id", flat=True)
        groups = await WorkingGroup.filter(area_id__in=inside).values_list("id", flat=True)
        tasks = tasks.filter(group_id__in=list(groups))
    if criteria.group_id is not None:
        tasks = tasks.filter(group_id=criteria.group_id)
    wanted = {skill.strip().lower() for skill in criteria.skills}
    if wanted:
        tasks = tasks.filter(Q(*(Q(skill_tags__contains=f"|{s}|") for s in wanted), join_type="OR"))
    if criteria.starts_after is not None:
        tasks = tasks.filter(starts_at__gte=criteria.starts_after)
    if criteria.starts_before is not None:
        tasks = tasks.filter(starts_at__lt=criteria.starts_before)
    if criteria.open_only:
        tasks = tasks.filter(cancelled_at__isnull=True, ends_at__gt=now, filled__lt=F("slots"))
    if criteria.remote is not None:
        tasks = tasks.filter(remote=criteria.remote)
    return list(await tasks.order_by("starts_at", "id").values_list("id", flat=True))


async def _paged(actor: Actor, criteria: TaskFilter, now: datetime, size: int) -> tuple[list[int], int]:
    """Every task of the list, a page of `size` at a time from each cursor in turn, and its count."""
    return await every_page(await listing(actor, criteria, now=now), size)


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    built = await build_plan(gql, people, neighbourhood, clock)
    n = built.n
    # A second group, around a RESTRICTED problem Rita proposes in another force, formed by its
    # coordinator: its tasks reach them, Rita and admins alone.
    hidden = await n.form_group(gql, n.other_coordinator, visibility="RESTRICTED", area=n.other_force)
    hidden_id = ids.decode(hidden["id"], "WorkingGroup", "groupId")
    now = clock.now()
    for day, skills, remote in (
        (0, ["litter picking"], False),
        (1, ["first aid", "100% effort"], True),
        (2, ["first_aid"], False),
        (2, ["driving"], True),
        (3, [], False),
    ):
        starts = SATURDAY + timedelta(days=day)
        ends = starts + timedelta(hours=2)
        task = await make_task(built, starts_at=starts, ends_at=ends, skills=skills, remote=remote, slots=1)
        if day == 3:
            await sign_up(built, task, built.nell)
    cancelled = await make_task(built, title="Rained off")
    await volunteer_tasks.cancel(as_(built.lead), task_id=cancelled.id, reason="Storm warning.", now=now)
    for day in (1, 4):
        starts = SATURDAY + timedelta(days=day)
        ends = starts + timedelta(hours=1)
        await make_task(
            built,
            by=n.other_coordinator,
            group_id=hidden_id,
            starts_at=starts,
            ends_at=ends,
            skills=["first aid"],
        )
    return built


CRITERIA: list[dict[str, Any]] = [
    {},
    {"skills": ("First Aid", " driving ")},
    {"skills": ("first_aid",)},
    {"skills": ("first%aid",)},
    {"skills": ("100% effort",)},
    {"starts_after": SATURDAY + timedelta(days=1), "starts_before": SATURDAY + timedelta(days=3)},
    {"open_only": True},
    {"remote": True},
    {"remote": False, "skills": ("first aid", "litter picking")},
]


async def test_the_task_list_holds_what_the_orm_selects_for_every_viewer_and_criterion(
    plan: Plan, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    now = clock.now()
    viewers = {
        "anonymous": Actor(user=None),
        "outsider": as_(plan.nell),
        "member": as_(plan.rita),
        "police": as_(n.police_member),
        "district coordinator": as_(n.district_coordinator),
        "other coordinator": as_(n.other_coordinator),
        "admin": as_(n.admin),
    }
    group_ids = await WorkingGroup.all().values_list("id", flat=True)
    places = [{"area_id": area.id} for area in (n.force, n.district, n.ward, n.other_force)]
    groups = [{"group_id": group_id} for group_id in group_ids]
    seen: dict[str, set[int]] = {}
    for name, viewer in viewers.items():
        for fields in CRITERIA + places + groups:
            criteria = TaskFilter(**fields)
            expected = await _as_the_orm_selects(viewer, criteria, now)
            for size in (1, 2, 20):
                assert await _paged(viewer, criteria, now, size) == (expected, len(expected)), (name, fields)
            seen.setdefault(name, set()).update(expected)
    # The cases differ where they must: the restricted group's tasks reach its own people only.
    assert len(seen["anonymous"]) == 6
    assert seen["outsider"] == seen["anonymous"]
    assert seen["outsider"] == seen["police"] == seen["district coordinator"]
    assert len(seen["member"]) == len(seen["other coordinator"]) == len(seen["admin"]) == 8


async def test_a_cursor_resumes_beyond_a_moment_shared_by_two_tasks(plan: Plan, clock: ManualClock) -> None:
    # Two tasks start on Monday at the same moment: the id orders them, and paging splits them.
    tied = [task.id for task in await VolunteerTask.filter(starts_at=SATURDAY + timedelta(days=2))]
    assert len(tied) == 2
    criteria = TaskFilter(starts_after=SATURDAY + timedelta(days=2))
    listed = await listing(Actor(user=None), criteria, now=clock.now())
    first = await paginate_listed(listed, first=1, after=None)
    assert [task.id for task in first.rows] == [min(tied)]
    assert first.cursors == [encode_cursor([SATURDAY + timedelta(days=2), min(tied)])]
    second = await paginate_listed(listed, first=1, after=first.cursors[0])
    assert [task.id for task in second.rows] == [max(tied)]


async def test_a_moment_without_an_offset_is_taken_as_utc(plan: Plan, clock: ManualClock) -> None:
    after = SATURDAY + timedelta(days=2)
    naive = TaskFilter(starts_after=after.replace(tzinfo=None))
    expected = await _as_the_orm_selects(Actor(user=None), TaskFilter(starts_after=after), clock.now())
    assert len(expected) == 3
    assert await _paged(Actor(user=None), naive, clock.now(), 2) == (expected, 3)
