"""Per-request DataLoaders: nested fields cost one query per kind of thing, not one per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend.models import (
    Area,
    AreaRole,
    Organisation,
    OrganisationMembership,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemSupport,
    ProblemUpdate,
    RoutingRule,
    User,
)
from backend.models.enums import AreaRoleKind

M = TypeVar("M", bound=Model)


def _by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        found = {row.pk: row for row in await model.filter(id__in=list(ids))}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _grouped(rows: Iterable[M], attribute: str, keys: Sequence[int]) -> list[list[M]]:
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return [groups[key] for key in keys]


class Loaders:
    def __init__(self) -> None:
        self.user = _by_id(User)
        self.area = _by_id(Area)
        self.organisation = _by_id(Organisation)
        self.area_children = DataLoader(load_fn=self._area_children)
        self.memberships_of_user = DataLoader(load_fn=self._memberships_of_user)
        self.area_roles_of_user = DataLoader(load_fn=self._area_roles_of_user)
        self.routing_rules_of_area = DataLoader(load_fn=self._routing_rules_of_area)
        self.coordinators_of_area = DataLoader(load_fn=self._coordinators_of_area)
        self.problem = _by_id(Problem)
        self.responses_of_problem = DataLoader(load_fn=self._responses_of_problem)
        self.updates_of_problem = DataLoader(load_fn=self._updates_of_problem)
        self.supported_by = DataLoader(load_fn=self._supported_by)
        self.followed_by = DataLoader(load_fn=self._followed_by)

    @staticmethod
    async def _area_children(ids: Sequence[int]) -> list[list[Area]]:
        rows = await Area.filter(parent_id__in=list(ids)).order_by("name", "id")
        return _grouped(rows, "parent_id", ids)

    @staticmethod
    async def _memberships_of_user(ids: Sequence[int]) -> list[list[OrganisationMembership]]:
        rows = await OrganisationMembership.filter(user_id__in=list(ids)).order_by("id")
        return _grouped(rows, "user_id", ids)

    @staticmethod
    async def _area_roles_of_user(ids: Sequence[int]) -> list[list[AreaRole]]:
        rows = await AreaRole.filter(user_id__in=list(ids)).order_by("id")
        return _grouped(rows, "user_id", ids)

    @staticmethod
    async def _routing_rules_of_area(ids: Sequence[int]) -> list[list[RoutingRule]]:
        rows = await RoutingRule.filter(area_id__in=list(ids)).order_by("category")
        return _grouped(rows, "area_id", ids)

    @staticmethod
    async def _coordinators_of_area(ids: Sequence[int]) -> list[list[AreaRole]]:
        rows = await AreaRole.filter(area_id__in=list(ids), role=AreaRoleKind.COORDINATOR).order_by("id")
        return _grouped(rows, "area_id", ids)

    @staticmethod
    async def _responses_of_problem(ids: Sequence[int]) -> list[list[ProblemResponse]]:
        rows = await ProblemResponse.filter(problem_id__in=list(ids)).order_by("id")
        return _grouped(rows, "problem_id", ids)

    @staticmethod
    async def _updates_of_problem(ids: Sequence[int]) -> list[list[ProblemUpdate]]:
        rows = await ProblemUpdate.filter(problem_id__in=list(ids)).order_by("id")
        return _grouped(rows, "problem_id", ids)

    @staticmethod
    async def _supported_by(keys: Sequence[tuple[int, int]]) -> list[bool]:
        """Keys are (person, problem): whether that person supports that problem."""
        return await _pairs_present(ProblemSupport, keys)

    @staticmethod
    async def _followed_by(keys: Sequence[tuple[int, int]]) -> list[bool]:
        return await _pairs_present(ProblemFollow, keys)


async def _pairs_present(
    model: type[ProblemSupport] | type[ProblemFollow], keys: Sequence[tuple[int, int]]
) -> list[bool]:
    present: set[tuple[int, int]] = set()
    for user_id in {user for user, _ in keys}:
        problem_ids = [problem for user, problem in keys if user == user_id]
        rows = await model.filter(user_id=user_id, problem_id__in=problem_ids).values_list("problem_id")
        present.update((user_id, int(problem_id)) for (problem_id,) in rows)
    return [key in present for key in keys]
