"""Per-request DataLoaders: nested fields cost one query per kind of thing, not one per item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend.models import Area, AreaRole, Organisation, OrganisationMembership, RoutingRule, User
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
