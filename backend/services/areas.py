"""Areas (a tree), the people who answer for them, and where their proposals are routed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from slugify import slugify
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.db import InOrder, delete_unless_referenced, get_or_not_found, int_column
from backend.errors import Conflict, Invalid, InvalidState, NotFound
from backend.models import Area, AreaRole, RoutingRule, User
from backend.models.areas import sibling_key
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

# Every area by name, as the public list shows them.
EVERY_AREA = InOrder(Area, ("name", "id"))


async def get_area(area_id: int, *, field: str = "areaId") -> Area:
    return await get_or_not_found(
        Area, area_id, missing="That area does not exist; choose another", field=field
    )


def _slug(value: str) -> str:
    slug = slugify(value, max_length=80, word_boundary=True)
    if not slug:
        raise Invalid("The short name must contain letters or digits", field="slug")
    return slug


def _name_and_response_time(faults: validation.Faults, name: str, response_days: int | None) -> str:
    """The area's name as kept; faults in it and in the response time noted in `faults`."""
    with faults:
        name = validation.text(name, "name", what="name", max_length=120)
    with faults:
        if response_days is not None:
            validation.whole_number(
                response_days, "responseDays", what="response time", minimum=1, maximum=MAX_RESPONSE_DAYS
            )
    return name


def _chosen_slug(faults: validation.Faults, slug: str | None) -> str | None:
    """The short name as given (None: one is made from the name); a fault noted in `faults`."""
    if slug is None:
        return None
    with faults:
        return _slug(validation.text(slug, "slug", what="short name", max_length=80))
    return None


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
    name = _name_and_response_time(faults, name, response_days)
    parent = None
    with faults:
        parent = await _parent(parent_id)
    chosen = _chosen_slug(faults, slug)
    faults.raise_any()
    if chosen is not None:
        candidates = [chosen]
    else:
        base = slugify(name, max_length=72, word_boundary=True) or "area"
        candidates = [base, *(f"{base}-{n}" for n in range(2, SLUG_ATTEMPTS + 1))]
    return await _insert(name, parent, response_days, candidates, now)


async def _insert(
    name: str, parent: Area | None, response_days: int | None, slugs: list[str], now: datetime
) -> Area:
    """The new area, under the first of `slugs` no other area has."""
    key = sibling_key(parent.id if parent else None, name)
    for candidate in slugs:
        try:
            async with in_transaction():
                area = await Area.create(
                    name=name,
                    sibling_key=key,
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
            # The database refused the name or the slug; only the slug is worth another try.
            await _refuse_a_taken_name(key, parent)
            continue
    raise Conflict("Another area has this slug; choose another.", field="slug")


async def _refuse_a_taken_name(key: str, parent: Area | None, *, besides: int | None = None) -> None:
    if await Area.filter(sibling_key=key).exclude(id=besides or 0).exists():
        where = f"in {parent.name}" if parent else "at the top level"
        raise Conflict(f"An area {where} has this name already; choose another.", field="name")


async def update_area(
    actor: Actor,
    *,
    area_id: int,
    name: str,
    response_days: int | None,
    slug: str | None = None,
) -> Area:
    """Platform admins rename an area, set its response time (None: its parent's) or, when
    given, its short name. Where it sits in the tree stays."""
    actor.require_admin()
    faults = validation.Faults()
    name = _name_and_response_time(faults, name, response_days)
    chosen = _chosen_slug(faults, slug)
    with faults:
        area = await get_area(area_id)
    faults.raise_any()
    try:
        async with in_transaction():
            area = await Area.filter(id=area.id).select_for_update().first() or area
            area.name = name
            area.sibling_key = sibling_key(area.parent_id, name)
            area.response_days = response_days
            area.slug = chosen or area.slug
            await area.save(update_fields=["name", "sibling_key", "response_days", "slug"])
    except IntegrityError:
        parent = await Area.get_or_none(id=area.parent_id) if area.parent_id else None
        await _refuse_a_taken_name(sibling_key(area.parent_id, name), parent, besides=area.id)
        raise Conflict("Another area has this short name; choose another.", field="slug") from None
    return area


async def remove_area(actor: Actor, *, area_id: int) -> Area:
    """Platform admins remove an area set up by mistake: one with no areas inside it and
    nothing on record in it (the database refuses to lose proposals, groups or activity)."""
    actor.require_admin()
    area = await get_area(area_id)
    if await Area.exists(parent_id=area.id):
        raise InvalidState(f"{area.name} has areas inside it; remove those first.", field="areaId")
    await delete_unless_referenced(
        Area.filter(id=area.id),
        kept=f"Proposals, working groups or activity are on record in {area.name}; it stays.",
        field="areaId",
    )
    return area


async def remove_routing_rule(actor: Actor, *, area_id: int, category: ProblemCategory) -> Area:
    """Proposals of the category in the area go back to the rule of the nearest area above,
    or to the area's coordinators."""
    area = await _administered_area(actor, area_id)
    if not await RoutingRule.filter(area_id=area.id, category=category).delete():
        raise NotFound("This area has no routing rule for that category.", field="category")
    return area


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


async def _administered_area(actor: Actor, area_id: int, *named: Callable[[], Awaitable[object]]) -> Area:
    """The area whose roles or routing a platform admin changes: only they may. What else the
    change names is looked up too, and every fault of the input is told at once."""
    actor.require_admin()
    faults = validation.Faults()
    with faults:
        area = await get_area(area_id)
    for look_up in named:
        with faults:
            await look_up()
    faults.raise_any()
    return area


async def _confirmed_user(user_id: int) -> None:
    if not await User.exists(id=user_id, confirmed_at__isnull=False):
        raise NotFound("Nobody with an account has that ID", field="userId")


async def assign_area_role(
    actor: Actor, *, area_id: int, user_id: int, role: AreaRoleKind, now: datetime
) -> Area:
    area = await _administered_area(actor, area_id, lambda: _confirmed_user(user_id))
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
    area = await _administered_area(actor, area_id, lambda: get_organisation(organisation_id))
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


async def role_holders(actor: Actor) -> list[AreaRole]:
    """Platform admins: every coordinator and moderator, by area."""
    actor.require_admin()
    return await AreaRole.all().order_by("area__path", "role", "user__display_name", "id")


async def routing_rules() -> list[RoutingRule]:
    """Every routing rule, by area and category: who answers where is no secret."""
    return await RoutingRule.all().order_by("area__path", "category")
