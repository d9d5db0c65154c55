"""Per-request DataLoaders: nested fields cost one query per kind of thing, not one per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend import models
from backend.models.enums import AreaRoleKind
from backend.services import accountability
from backend.services.accountability import AccountabilityStats

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        found = {row.pk: row for row in await model.filter(id__in=list(ids))}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _grouped_by(model: type[M], key: str, *order: str, **conditions: Any) -> DataLoader[int, list[M]]:
    """Rows of `model` per value of `key` (a foreign key), in `order`, in one query per batch."""

    async def load(keys: Sequence[int]) -> list[list[M]]:
        groups: dict[int, list[M]] = defaultdict(list)
        for row in await model.filter(**{f"{key}__in": list(keys)}, **conditions).order_by(*order):
            groups[getattr(row, key)].append(row)
        return [groups[k] for k in keys]

    return DataLoader(load_fn=load)


def _pairs_present(
    model: type[models.ProblemSupport] | type[models.ProblemFollow],
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


class Loaders:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.user = _by_id(models.User)
        self.area = _by_id(models.Area)
        self.organisation = _by_id(models.Organisation)
        self.problem = _by_id(models.Problem)
        self.area_children = _grouped_by(models.Area, "parent_id", "name", "id")
        self.memberships_of_user = _grouped_by(models.OrganisationMembership, "user_id", "id")
        self.area_roles_of_user = _grouped_by(models.AreaRole, "user_id", "id")
        self.routing_rules_of_area = _grouped_by(models.RoutingRule, "area_id", "category")
        self.coordinators_of_area = _grouped_by(
            models.AreaRole, "area_id", "id", role=AreaRoleKind.COORDINATOR
        )
        self.responses_of_problem = _grouped_by(models.ProblemResponse, "problem_id", "id")
        self.updates_of_problem = _grouped_by(models.ProblemUpdate, "problem_id", "id")
        self.supported_by = _pairs_present(models.ProblemSupport)
        self.followed_by = _pairs_present(models.ProblemFollow)
        # Keys are (area or organisation, since): each set of figures costs several aggregate queries.
        self.area_accountability = _once_each(self._area_figures)
        self.organisation_accountability = _once_each(self._organisation_figures)

    async def _area_figures(self, key: tuple[int, date | None]) -> AccountabilityStats:
        area_id, since = key
        area = await self.area.load(area_id)
        assert area is not None
        return await accountability.for_area(area, since=since, now=self.now)

    async def _organisation_figures(self, key: tuple[int, date | None]) -> AccountabilityStats:
        organisation_id, since = key
        return await accountability.for_organisation(organisation_id, since=since, now=self.now)
