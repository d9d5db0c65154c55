"""Per-request DataLoaders: nested fields cost one query per kind of thing, not one per item."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterator, Sequence
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any, TypeGuard, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend.db import RowsAlong, RowsByKey
from backend.models import (
    Action,
    ActionOwner,
    AnswerTemplate,
    Area,
    AreaRole,
    GroupMembership,
    Organisation,
    OrganisationMembership,
    OutcomeMeasure,
    OutcomeReading,
    Problem,
    ProblemFollow,
    ProblemResolution,
    ProblemResponse,
    ProblemSupport,
    ProblemUpdate,
    ResolutionReview,
    ResponseCorrection,
    RoutingRule,
    TaskAssignment,
    User,
    VolunteerTask,
    WorkingGroup,
)
from backend.models.enums import AreaRoleKind
from backend.services import accountability, outcomes
from backend.services.accountability import AccountabilityStats
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of
from backend.services.volunteer_tasks import reading as tasks
from backend.services.working_groups import access as group_access
from backend.services.working_groups import reading as groups

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def at_hand(loader: DataLoader[K, V], key: K) -> V | Awaitable[V]:
    """The loader's value for `key`: the value itself when the request has already loaded it
    (or loaded it ahead, see `load_ahead`), else an awaitable of it. A field that answers at
    once costs graphql-core no task and the loader no future for each item of a page."""
    future = loader.cache_map.get(key)
    if _loaded(future):
        value: V = future.result()
        return value
    return loader.load(key)


def all_at_hand(loader: DataLoader[K, V], keys: Sequence[K]) -> list[V] | Awaitable[list[V]]:
    """The loader's values for `keys`, as `at_hand` gives one: the values themselves when every
    one is loaded already, else an awaitable of them all."""
    futures = (loader.cache_map.get(key) for key in keys)
    values: list[V] = [future.result() for future in futures if _loaded(future)]
    return values if len(values) == len(keys) else loader.load_many(keys)


def _loaded(future: asyncio.Future[Any] | None) -> TypeGuard[asyncio.Future[Any]]:
    return future is not None and future.done() and not future.cancelled() and future.exception() is None


# A reference a list's items show: the field that shows it, the loader of what it names, and
# the items' attribute holding its key (or a list of keys).
Reference = tuple[str, DataLoader[Any, Any], str]


async def load_ahead(rows: Sequence[object], fields: frozenset[str], *references: Reference) -> None:
    """Load what a whole list of rows refers to before the rows' fields ask for it one by one:
    for each reference whose field is among `fields` (those asked of each row), the same batch
    the fields would cause, all sent side by side (references to the same loader in one
    batch), after which each field finds its row `at_hand`. A reference not asked for costs
    nothing."""
    batches = [
        loader.load_many(set(_keys(rows, attribute)))
        for field, loader, attribute in references
        if field in fields
    ]
    if batches:
        await asyncio.gather(*batches)


def _keys(rows: Sequence[object], attribute: str) -> Iterator[Any]:
    for row in rows:
        key = getattr(row, attribute, None)
        if isinstance(key, list):
            yield from key
        elif key is not None:
            yield key


@cache
def _rows_by_key(model: type[M], key: str, *order: str, **conditions: Any) -> RowsByKey[M]:
    """One statement per kind of loader, kept for the process: loaders are made per request."""
    return RowsByKey(model, key, *order, **conditions)


@cache
def _rows_along(model: type[M], *chain: str) -> RowsAlong[M]:
    return RowsAlong(model, *chain)


def _by_id(model: type[M]) -> DataLoader[int, M | None]:
    rows_by_id = _rows_by_key(model, "id")

    async def load(ids: Sequence[int]) -> list[M | None]:
        found = {row.pk: row for row in await rows_by_id(ids)}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _grouped_by(model: type[M], key: str, *order: str, **conditions: Any) -> DataLoader[int, list[M]]:
    """Rows of `model` per value of `key` (a foreign key), in `order`, in one query per batch."""

    rows_by_key = _rows_by_key(model, key, *order, **conditions)

    async def load(keys: Sequence[int]) -> list[list[M]]:
        groups: dict[int, list[M]] = defaultdict(list)
        for row in await rows_by_key(keys):
            groups[getattr(row, key)].append(row)
        return [groups[k] for k in keys]

    return DataLoader(load_fn=load)


def _pairs_present(
    model: type[ProblemSupport] | type[ProblemFollow],
) -> DataLoader[tuple[int, int], bool]:
    """Keys are (person, problem): whether that person supports (or follows) that problem."""

    async def load(keys: Sequence[tuple[int, int]]) -> list[bool]:
        present: set[tuple[int, int]] = set()
        for user_id in {user for user, _ in keys}:
            problem_ids = [problem for user, problem in keys if user == user_id]
            rows = await model.filter(user_id=user_id, problem_id__in=problem_ids).values_list("problem_id")
            present.update((user_id, int(problem_id)) for (problem_id,) in rows)
        return [key in present for key in keys]

    return DataLoader(load_fn=load)


def _once_each(compute: Callable[[K], Awaitable[V]]) -> DataLoader[K, V]:
    """Values that cannot be read in one query for many keys: still computed only once per
    key in a request, however many times (or under however many aliases) it is asked for."""

    async def load(keys: Sequence[K]) -> list[V]:
        return [await compute(key) for key in keys]

    return DataLoader(load_fn=load)


def _in_batch(find: Callable[[Sequence[int]], Awaitable[dict[int, list[M]]]]) -> DataLoader[int, list[M]]:
    """Rows per key, as `find` gathers them for a whole batch of keys at once."""

    async def load(keys: Sequence[int]) -> list[list[M]]:
        found = await find(keys)
        return [found.get(k, []) for k in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """Each loader is made the first time a request asks for it, then kept for the request:
    a request uses a few of them, and making every one of them cost more than the whole
    GraphQL work of a small request."""

    def __init__(self, now: datetime, actor: Actor) -> None:
        self.now = now
        self.actor = actor

    user = cached_property(lambda self: _by_id(User))
    area = cached_property(lambda self: _by_id(Area))
    organisation = cached_property(lambda self: _by_id(Organisation))
    problem = cached_property(lambda self: _by_id(Problem))
    area_children = cached_property(lambda self: _grouped_by(Area, "parent_id", "name", "id"))
    memberships_of_user = cached_property(lambda self: _grouped_by(OrganisationMembership, "user_id", "id"))
    area_roles_of_user = cached_property(lambda self: _grouped_by(AreaRole, "user_id", "id"))
    routing_rules_of_area = cached_property(lambda self: _grouped_by(RoutingRule, "area_id", "category"))
    coordinators_of_area = cached_property(
        lambda self: _grouped_by(AreaRole, "area_id", "id", role=AreaRoleKind.COORDINATOR)
    )
    responses_of_problem = cached_property(lambda self: _grouped_by(ProblemResponse, "problem_id", "id"))
    updates_of_problem = cached_property(lambda self: _grouped_by(ProblemUpdate, "problem_id", "id"))
    corrections_of_response = cached_property(
        lambda self: _grouped_by(ResponseCorrection, "response_id", "id")
    )
    answer_templates_of_organisation = cached_property(
        lambda self: _grouped_by(AnswerTemplate, "organisation_id", "title_key", "id")
    )
    working_group = cached_property(lambda self: _by_id(WorkingGroup))
    memberships_of_group = cached_property(
        lambda self: _grouped_by(GroupMembership, "group_id", "role", "id")
    )
    actions_of_group = cached_property(lambda self: _grouped_by(Action, "group_id", "created_at", "id"))
    owners_of_action = cached_property(lambda self: _grouped_by(ActionOwner, "action_id", "id"))
    action = cached_property(lambda self: _by_id(Action))
    volunteer_task = cached_property(lambda self: _by_id(VolunteerTask))
    tasks_of_group = cached_property(lambda self: _grouped_by(VolunteerTask, "group_id", "starts_at", "id"))
    assignments_of_task = cached_property(lambda self: _grouped_by(TaskAssignment, "task_id", "place", "id"))
    # What the actor may see of groups and their problems, per group or per problem.
    problems_of_group = cached_property(lambda self: _in_batch(self._problems_of_groups))
    groups_of_problem = cached_property(
        lambda self: _in_batch(lambda keys: groups.groups_of_problems(self.actor, keys))
    )
    measures_of_problem = cached_property(lambda self: _grouped_by(OutcomeMeasure, "problem_id", "id"))
    readings_of_measure = cached_property(
        lambda self: _grouped_by(OutcomeReading, "measure_id", "observed_on", "id")
    )
    resolutions_of_problem = cached_property(lambda self: _grouped_by(ProblemResolution, "problem_id", "id"))
    supported_by = cached_property(lambda self: _pairs_present(ProblemSupport))
    followed_by = cached_property(lambda self: _pairs_present(ProblemFollow))

    def _the_viewers(
        self, find: Callable[[int, Sequence[int]], Awaitable[dict[int, V]]]
    ) -> DataLoader[int, V | None]:
        """What the actor has per key, as `find` gathers it for the actor and a whole batch of
        keys at once; None where they have nothing, and for every key when no one is signed in."""
        user_id = self.actor.user.id if self.actor.user else None

        async def load(keys: Sequence[int]) -> list[V | None]:
            if user_id is None:
                return [None] * len(keys)
            found = await find(user_id, keys)
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    def _in_place(self, along: RowsAlong[Any], *loaders: DataLoader[int, Any]) -> DataLoader[int, Any]:
        """Keys are rows of `along`'s model: each with the rows it hangs from, read in one
        statement (`RowsAlong`), as a tuple; each row then answers its own loader too."""

        async def load(keys: Sequence[int]) -> list[tuple[Any, ...] | None]:
            found: dict[int, tuple[Any, ...]] = {}
            for rows in await along(keys):
                for loader, row in zip(loaders, rows, strict=True):
                    loader.prime(row.pk, row)
                found[rows[0].pk] = rows
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    # What a page's read rule needs before anything of it is shown, in one statement: a problem
    # and its area; a group, its founding problem and their area (a group is formed in its
    # problem's area).
    problem_in_place = cached_property(
        lambda self: self._in_place(_rows_along(Problem, "area"), self.problem, self.area)
    )
    group_in_place = cached_property(
        lambda self: self._in_place(
            _rows_along(WorkingGroup, "problem", "area"), self.working_group, self.problem, self.area
        )
    )

    @cached_property
    def viewer_membership(self) -> DataLoader[int, GroupMembership | None]:
        """Keys are groups: the actor's membership of each, whatever its status."""

        async def find(user_id: int, keys: Sequence[int]) -> dict[int, GroupMembership]:
            return {
                m.group_id: m for m in await GroupMembership.filter(user_id=user_id, group_id__in=list(keys))
            }

        return self._the_viewers(find)

    @cached_property
    def waiting_on_task(self) -> DataLoader[int, int]:
        """Keys are tasks: how many wait for a place on each."""

        async def load(keys: Sequence[int]) -> list[int]:
            counts = await tasks.waiting_counts(keys)
            return [counts.get(k, 0) for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def viewer_assignment(self) -> DataLoader[int, TaskAssignment | None]:
        """Keys are tasks: the actor's assignment to each, whatever its status."""

        async def find(user_id: int, keys: Sequence[int]) -> dict[int, TaskAssignment]:
            return {
                a.task_id: a
                for a in await TaskAssignment.filter(volunteer_id=user_id, task_id__in=list(keys))
            }

        return self._the_viewers(find)

    @cached_property
    def viewer_review(self) -> DataLoader[int, bool | None]:
        """Keys are closings: whether the actor agrees with each; None where they have not said."""

        async def find(user_id: int, keys: Sequence[int]) -> dict[int, bool]:
            reviews = ResolutionReview.filter(user_id=user_id, resolution_id__in=list(keys))
            return {key: bool(agrees) for key, agrees in await reviews.values_list("resolution_id", "agrees")}

        return self._the_viewers(find)

    @cached_property
    def viewer_leads_group_on(self) -> DataLoader[int, bool]:
        """Keys are problems: whether the actor leads an active group working on each."""
        user_id = self.actor.user.id if self.actor.user else None

        async def load(keys: Sequence[int]) -> list[bool]:
            led = await outcomes.problems_led_by(user_id, keys)
            return [k in led for k in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def viewer_leads(self) -> DataLoader[int, bool]:
        """Keys are groups: whether the actor runs each (`access.may_lead`)."""
        return _once_each(self._leads)

    @cached_property
    def group_accepts_tasks(self) -> DataLoader[int, bool]:
        return _once_each(self._accepts_tasks)

    # Keys are (area or organisation, since): each set of figures costs several aggregate queries.
    @cached_property
    def area_accountability(self) -> DataLoader[tuple[int, date | None], AccountabilityStats]:
        return _once_each(self._area_figures)

    @cached_property
    def organisation_accountability(self) -> DataLoader[tuple[int, date | None], AccountabilityStats]:
        return _once_each(self._organisation_figures)

    async def footing(self, group: WorkingGroup) -> tuple[Standing, Area, GroupMembership | None]:
        """What the rights ask about the actor and a group: where they stand, the group's area
        and their membership of it (each read once per request, however many fields ask)."""
        area = await self.area.load(group.area_id)
        assert area is not None
        return await standing_of(self.actor), area, await self.viewer_membership.load(group.id)

    async def _leads(self, group_id: int) -> bool:
        group = await self.working_group.load(group_id)
        assert group is not None
        return group_access.may_lead(*await self.footing(group))

    async def _problems_of_groups(self, group_ids: Sequence[int]) -> dict[int, list[Problem]]:
        found = await groups.problems_of_groups(self.actor, group_ids)
        # Each problem and its area then answer their own loaders too.
        for problem, area in (pair for pairs in found.values() for pair in pairs):
            self.problem.prime(problem.id, problem)
            self.area.prime(area.id, area)
        return {group_id: [problem for problem, _ in pairs] for group_id, pairs in found.items()}

    async def _accepts_tasks(self, group_id: int) -> bool:
        group = await self.working_group.load(group_id)
        return group is not None and await outcomes.accepts_new_tasks(group)

    async def _area_figures(self, key: tuple[int, date | None]) -> AccountabilityStats:
        area_id, since = key
        area = await self.area.load(area_id)
        assert area is not None
        return await accountability.for_area(area, since=since, now=self.now)

    async def _organisation_figures(self, key: tuple[int, date | None]) -> AccountabilityStats:
        organisation_id, since = key
        return await accountability.for_organisation(organisation_id, since=since, now=self.now)
