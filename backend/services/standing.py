"""Where a person stands: the organisations they answer for and the areas they look after.

Looked up once per request (two queries) and kept on the actor, so checking rights on a
page of fifty problems costs no more than checking them on one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery

from backend.db import int_column
from backend.models import Area, AreaRole, OrganisationMembership, User
from backend.models.enums import AreaRoleKind
from backend.services.actors import Actor


@dataclass(frozen=True)
class Standing:
    user_id: int | None
    is_admin: bool
    organisation_ids: frozenset[int]
    # Areas the person coordinates or moderates directly; the role reaches every area below.
    coordinated_area_ids: frozenset[int]
    moderated_area_ids: frozenset[int]
    # The materialised paths of the coordinated areas, to select what lies below them in SQL.
    coordinated_paths: tuple[str, ...]

    def member_of(self, organisation_id: int | None) -> bool:
        return organisation_id is not None and organisation_id in self.organisation_ids

    def coordinates(self, area: Area) -> bool:
        """Coordinator of the area or of an area above it."""
        return not self.coordinated_area_ids.isdisjoint(area.ancestor_ids)

    def moderates(self, area: Area) -> bool:
        """May hide comments here: platform admins, and the area's moderators and coordinators."""
        return (
            self.is_admin
            or self.coordinates(area)
            or not self.moderated_area_ids.isdisjoint(area.ancestor_ids)
        )

    def in_coordinated_areas(self) -> Q:
        """Problems (or other rows with an `area_id`) in the areas this person coordinates,
        directly or from above."""
        if not self.coordinated_paths:
            return Q(pk__in=[])
        below = Q(*(Q(path__startswith=path) for path in self.coordinated_paths), join_type="OR")
        return Q(area_id__in=Subquery(Area.filter(below).values("id")))


ANONYMOUS = Standing(
    user_id=None,
    is_admin=False,
    organisation_ids=frozenset(),
    coordinated_area_ids=frozenset(),
    moderated_area_ids=frozenset(),
    coordinated_paths=(),
)


async def standing_of(actor: Actor) -> Standing:
    if actor.user is None:
        return ANONYMOUS
    # A page's resolvers ask side by side: the first asks the database and the others await
    # its answer, so a page costs the same statements however its fields are scheduled.
    reading = actor.memo.get("standing")
    if reading is None:
        reading = asyncio.ensure_future(_read_standing(actor.user))
        actor.memo["standing"] = reading
    standing: Standing = await reading
    return standing


def standing_now(actor: Actor) -> Standing | Awaitable[Standing]:
    """The actor's standing at once when it is known (anonymous, or read earlier in the
    request), else an awaitable of it: lets a field of every item of a page answer without a
    task of its own."""
    if actor.user is None:
        return ANONYMOUS
    reading = actor.memo.get("standing")
    if reading is not None and reading.done() and not reading.cancelled() and reading.exception() is None:
        standing: Standing = reading.result()
        return standing
    return standing_of(actor)


async def _read_standing(user: User) -> Standing:
    organisation_ids = await int_column(OrganisationMembership.filter(user_id=user.id), "organisation_id")
    roles = await AreaRole.filter(user_id=user.id).values_list("area_id", "role", "area__path")
    return Standing(
        user_id=user.id,
        is_admin=user.is_admin,
        organisation_ids=frozenset(organisation_ids),
        coordinated_area_ids=frozenset(a for a, role, _ in roles if role == AreaRoleKind.COORDINATOR),
        moderated_area_ids=frozenset(a for a, role, _ in roles if role == AreaRoleKind.MODERATOR),
        coordinated_paths=tuple(sorted(p for _, role, p in roles if role == AreaRoleKind.COORDINATOR)),
    )
