"""The loaders' statements (`db.RowsByKey`, `db.RowsAlong`, `db.CountsByKey`) and the pages of
`db.InOrder` give the rows
and counts the ORM gives for the same keys, order, conditions and references, field for field,
on either database, and read inside a transaction as the ORM does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up
from tortoise.models import Model
from tortoise.transactions import in_transaction

from backend import models
from backend.clock import ManualClock
from backend.db import CountsByKey, InOrder, RowsAlong, RowsByKey
from backend.models.enums import AreaRoleKind, AssignmentStatus, OrganisationKind
from backend.services import areas, organisations
from backend.services.actors import Actor
from neighbourhood import Neighbourhood
from support import GraphQL, People


def fields_of(row: Model) -> dict[str, Any]:
    return {name: _exactly(getattr(row, name)) for name in row._meta.db_fields}


def _exactly(value: Any) -> tuple[Any, ...]:
    # With its type and zone: an enum member equals its value, a moment itself in another zone.
    return value, type(value), getattr(value, "tzinfo", None)


async def test_every_model_reads_by_key_as_the_orm_reads_it(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build_plan(gql, people, neighbourhood, clock)
    await plan.action()
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    read = set()
    for model in (getattr(models, name) for name in models.__all__):
        if not (isinstance(model, type) and issubclass(model, Model)) or model._meta.abstract:
            continue
        keys = [row.pk for row in await model.all().limit(30)]
        if not keys:
            continue
        key = model._meta.pk_attr
        expected = sorted((fields_of(row) for row in await model.filter(**{f"{key}__in": keys})), key=str)
        found = sorted((fields_of(row) for row in await RowsByKey(model, key)(keys)), key=str)
        assert found == expected, model.__name__
        read.add(model.__name__)
    # At least every kind of row the pages' loaders read.
    loaded = {"Area", "Organisation", "User", "Problem", "WorkingGroup", "GroupMembership", "Action"}
    assert loaded | {"ActionOwner", "VolunteerTask", "TaskAssignment", "AreaRole"} <= read, read


async def test_rows_of_a_foreign_key_come_in_order_and_under_the_condition(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    admin = Actor(user=n.admin.user)
    for name in ("Zeta Close", "Alder Row", "Birch Walk"):
        await areas.create_area(admin, name=name, parent_id=n.ward.id, response_days=7, now=clock.now())
    children = await RowsByKey(models.Area, "parent_id", "name", "id")([n.ward.id, n.force.id])
    expected = await models.Area.filter(parent_id__in=[n.ward.id, n.force.id]).order_by("name", "id")
    assert [a.id for a in children] == [a.id for a in expected]
    assert [a.name for a in children if a.parent_id == n.ward.id][:3] == [
        "Alder Row",
        "Birch Walk",
        "Zeta Close",
    ]

    coordinators = RowsByKey(models.AreaRole, "area_id", "id", role=AreaRoleKind.COORDINATOR)
    found = await coordinators([n.ward.id, n.force.id])
    assert found
    assert {role.role for role in found} == {AreaRoleKind.COORDINATOR}
    expected_roles = await models.AreaRole.filter(
        area_id__in=[n.ward.id, n.force.id], role=AreaRoleKind.COORDINATOR
    )
    assert sorted(r.id for r in found) == sorted(r.id for r in expected_roles)


async def test_inside_a_transaction_it_reads_what_the_transaction_wrote(neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    async with in_transaction():
        await models.Area.filter(id=n.ward.id).update(name="Renamed in the transaction")
        (ward,) = await RowsByKey(models.Area, "id")([n.ward.id])
        assert ward.name == "Renamed in the transaction"


async def test_rows_along_their_references_are_the_rows_the_orm_reads_step_by_step(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build_plan(gql, people, neighbourhood, clock)
    group = await models.WorkingGroup.get(id=plan.group.id)
    missing = group.id + 1000
    found = await RowsAlong(models.WorkingGroup, "problem", "area")([group.id, missing])
    assert len(found) == 1
    read_group, read_problem, read_area = found[0]
    problem = await models.Problem.get(id=group.problem_id)
    area = await models.Area.get(id=problem.area_id)
    assert (fields_of(read_group), fields_of(read_problem), fields_of(read_area)) == (
        fields_of(group),
        fields_of(problem),
        fields_of(area),
    )
    assert isinstance(read_problem, models.Problem) and read_problem._saved_in_db


async def test_rows_along_another_column_come_in_the_order_asked(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build_plan(gql, people, neighbourhood, clock)
    for title in ("Graffiti on the underpass", "Bins left out"):
        problem_id = await neighbourhood.accepted_problem(gql, title=title)
        await models.GroupProblem.create(
            group_id=plan.group.id,
            problem_id=problem_id,
            added_by_id=plan.group.created_by_id,
            added_at=clock.now(),
        )
    along = RowsAlong(models.GroupProblem, "problem", "area", by="group_id", order=("id",))
    found = await along([plan.group.id, plan.group.id + 1000])
    links = await models.GroupProblem.filter(group_id=plan.group.id).order_by("id")
    assert [(link.id, problem.id, area.id) for link, problem, area in found] == [
        (link.id, link.problem_id, (await models.Problem.get(id=link.problem_id)).area_id) for link in links
    ]
    assert len(found) == 3


def test_rows_along_follow_required_foreign_keys_only() -> None:
    with pytest.raises(ValueError, match=r"Problem\.owner is not a required foreign key"):
        RowsAlong(models.Problem, "owner")
    with pytest.raises(ValueError, match=r"WorkingGroup\.name is not a required foreign key"):
        RowsAlong(models.WorkingGroup, "name")


async def test_counts_by_key_are_the_counts_the_orm_makes(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build_plan(gql, people, neighbourhood, clock)
    full = await make_task(plan, slots=1)
    sunday = SATURDAY + timedelta(days=1)
    empty = await make_task(plan, slots=2, starts_at=sunday, ends_at=sunday + timedelta(hours=2))
    for person in (plan.nell, plan.percy, plan.ann):
        await sign_up(plan, full, person)
    await sign_up(plan, empty, plan.nell)
    keys = [full.id, empty.id, empty.id + 1000]

    waiting = await CountsByKey(models.TaskAssignment, "task_id", status=AssignmentStatus.WAITLISTED)(keys)
    assert waiting == {full.id: 2}
    every = await CountsByKey(models.TaskAssignment, "task_id")(keys)
    expected = {
        key: await models.TaskAssignment.filter(task_id=key).count()
        for key in keys
        if await models.TaskAssignment.filter(task_id=key).exists()
    }
    assert every == expected == {full.id: 3, empty.id: 1}


async def test_pages_in_order_are_the_orms_pages_from_any_cursor(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    other_id = await n.accepted_problem(gql, title="Another problem")
    for number in range(7):
        await models.Comment.create(
            problem_id=problem_id if number != 3 else other_id,
            author_id=n.neighbour.user.id,
            body=f"Comment {number}",
            created_at=clock.now(),
            hidden_at=clock.now() if number == 5 else None,
        )
    shown = InOrder(models.Comment, ("id",), equal=("problem_id",), null=("hidden_at",))
    expected = await models.Comment.filter(problem_id=problem_id, hidden_at__isnull=True).order_by("id")
    assert [c.body for c in expected] == ["Comment 0", "Comment 1", "Comment 2", "Comment 4", "Comment 6"]

    first = await shown.page([problem_id], after=None, limit=2)
    rest = await shown.page([problem_id], after=[first[-1].id], limit=10)
    assert [fields_of(c) for c in [*first, *rest]] == [fields_of(c) for c in expected]
    assert await shown.rows(problem_id).count() == 5


async def test_pages_in_order_resume_after_every_key_and_refuse_moments_as_keys(
    people: People, clock: ManualClock
) -> None:
    admin = Actor(user=(await people.make("Ada Admin", admin=True)).user)
    for name in ("Beta", "alpha", "Gamma", "Delta"):
        await organisations.create_organisation(
            admin, name=name, kind=OrganisationKind.POLICE, now=clock.now()
        )
    by_name = InOrder(models.Organisation, ("name_key", "id"), equal=("kind",))
    first = await by_name.page([OrganisationKind.POLICE], after=None, limit=2)
    resumed = await by_name.page([OrganisationKind.POLICE], after=[first[-1].name_key, first[-1].id], limit=5)
    assert [o.name for o in [*first, *resumed]] == ["alpha", "Beta", "Delta", "Gamma"]
    assert await by_name.page([OrganisationKind.COUNCIL], after=None, limit=5) == []

    with pytest.raises(ValueError, match=r"Comment\.created_at: a moment cannot be a key"):
        await InOrder(models.Comment, ("created_at", "id")).page([], after=None, limit=1)
