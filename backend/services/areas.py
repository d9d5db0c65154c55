"""Areas (a tree), the people who answer for them, and where their proposals are routed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slugify import slugify
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.db import get_or_not_found, int_column
from backend.errors import Conflict, Invalid, NotFound
from backend.models import Area, AreaRole, RoutingRule, User
from backend.models.enums import AreaRoleKind, ProblemCategory
from backend.services import configuration, personal_data, validation
from backend.services.actors import Actor
from backend.services.organisations import get_organisation
from backend.services.personal_data import Sections
from backend.services.standing import Standing

MAX_RESPONSE_DAYS = 365
# How many numbered variants of a generated slug are tried before asking for one.
SLUG_ATTEMPTS = 20
# Areas nest at most this deep: the materialised path ("/1/4/9/", up to 512 characters)
# must hold one id of up to ten digits and a slash per level.
MAX_DEPTH = 40


NO_SUCH_AREA = "That area does not exist; choose another"


async def get_area(area_id: int, *, field: str = "areaId") -> Area:
    return await get_or_not_found(
        Area, area_id, missing="That area does not exist; choose another", field=field
    )


def _slug(value: str) -> str:
    slug = slugify(value, max_length=80, word_boundary=True)
    if not slug:
        raise Invalid("The short name must contain letters or digits", field="slug")
    return slug


async def _parent(parent_id: int | None) -> Area | None:
    parent = await get_area(parent_id, field="parentId") if parent_id is not None else None
    if parent is not None and len(parent.ancestor_ids) >= MAX_DEPTH:
        raise Invalid(f"Areas can be at most {MAX_DEPTH} deep; choose an area higher up", field="parentId")
    return parent


async def create_area(
    actor: Actor,
    *,
    name: str,
    now: datetime,
    slug: str | None = None,
    parent_id: int | None = None,
    response_days: int | None = None,
) -> Area:
    actor.require_admin()
    faults = validation.Faults()
    with faults:
        name = validation.text(name, "name", what="name", max_length=120)
    with faults:
        if response_days is not None:
            validation.whole_number(
                response_days, "responseDays", what="response time", minimum=1, maximum=MAX_RESPONSE_DAYS
            )
    parent = None
    with faults:
        parent = await _parent(parent_id)
    with faults:
        chosen = (
            None if slug is None else _slug(validation.text(slug, "slug", what="short name", max_length=80))
        )
    faults.raise_any()
    if chosen is not None:
        candidates = [chosen]
    else:
        base = slugify(name, max_length=72, word_boundary=True) or "area"
        candidates = [base, *(f"{base}-{n}" for n in range(2, SLUG_ATTEMPTS + 1))]
    for candidate in candidates:
        try:
            async with in_transaction():
                area = await Area.create(
                    name=name,
                    slug=candidate,
                    parent=parent,
                    path="",
                    response_days=response_days,
                    created_at=now,
                )
                area.path = f"{parent.path if parent else '/'}{area.id}/"
                await area.save(update_fields=["path"])
            return area
        except IntegrityError:
            continue
    raise Conflict("Another area has this slug; choose another.", field="slug")


async def areas_within(area: Area) -> list[int]:
    """The ids of the area and every area inside it.

    Read first and handed to the query as values: a prepared statement's generic plan
    cannot see how many areas a path prefix matches, and guesses one.
    """
    return await int_column(Area.filter(path__startswith=area.path).order_by("id"), "id")


def response_days(lineage: Sequence[Area | None]) -> int:
    """An area's response time: its own, else its nearest ancestor's, else the platform default.

    `lineage` is the area and its ancestors, nearest first (see `Area.ancestor_ids`).
    """
    for area in lineage:
        if area is not None and area.response_days is not None:
            return area.response_days
    return configuration.current().default_response_days


async def _administered_area(actor: Actor, area_id: int) -> Area:
    """The area whose roles or routing a platform admin changes: only they may."""
    actor.require_admin()
    return await get_area(area_id)


async def assign_area_role(
    actor: Actor, *, area_id: int, user_id: int, role: AreaRoleKind, now: datetime
) -> Area:
    actor.require_admin()
    faults = validation.Faults()
    with faults:
        area = await get_area(area_id)
    with faults:
        if not await User.exists(id=user_id, confirmed_at__isnull=False):
            raise NotFound("Nobody with an account has that ID", field="userId")
    faults.raise_any()
    try:
        await AreaRole.create(area=area, user_id=user_id, role=role, created_at=now)
    except IntegrityError:
        raise Conflict(f"That person is already {role.value.lower()} of this area.", field="userId") from None
    return area


async def revoke_area_role(actor: Actor, *, area_id: int, user_id: int, role: AreaRoleKind) -> Area:
    area = await _administered_area(actor, area_id)
    if not await AreaRole.filter(area_id=area.id, user_id=user_id, role=role).delete():
        raise NotFound(f"That person is not {role.value.lower()} of this area.", field="userId")
    return area


async def set_routing_rule(
    actor: Actor, *, area_id: int, category: ProblemCategory, organisation_id: int, now: datetime
) -> Area:
    actor.require_admin()
    faults = validation.Faults()
    with faults:
        area = await get_area(area_id)
    with faults:
        await get_organisation(organisation_id)
    faults.raise_any()
    # Insert, and on the unique (area, category) fall back to replacing the owner: the
    # database, not a prior read, decides which of two concurrent rule changes comes first.
    try:
        async with in_transaction():
            await RoutingRule.create(
                area=area, category=category, organisation_id=organisation_id, updated_at=now
            )
    except IntegrityError:
        await RoutingRule.filter(area_id=area.id, category=category).update(
            organisation_id=organisation_id, updated_at=now
        )
    return area


async def _export_area_roles(user: User, standing: Standing) -> Sections:
    roles = await AreaRole.filter(user_id=user.id).select_related("area")
    return {
        "area_roles": [
            {"area": role.area.name, "role": role.role.value, "since": personal_data.moment(role.created_at)}
            for role in roles
        ]
    }


PERSONAL_DATA = personal_data.rows_of_their_own("area roles", AreaRole, _export_area_roles)
