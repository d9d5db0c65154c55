"""The configuration check: areas where a proposal would reach nobody.

A proposal is answered by the organisation its category is routed to (by the area's own
rule, or the nearest area above's) or, failing that, by the coordinators of its area or of
an area above. An area with neither for some category is a gap: a proposal made there
would wait for an answer nobody is asked to give.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from backend.models import Area, AreaRole, RoutingRule
from backend.models.enums import AreaRoleKind, ProblemCategory
from backend.services.actors import Actor


@dataclass(frozen=True)
class RoutingGap:
    area: Area
    # The categories whose proposals would reach nobody there, in the order the enum lists them.
    categories: tuple[ProblemCategory, ...]


async def gaps() -> list[RoutingGap]:
    """Every gap, areas in tree order (by path). Three queries, however many areas there are."""
    areas = await Area.all().order_by("path")
    coordinated = set(
        await AreaRole.filter(role=AreaRoleKind.COORDINATOR).distinct().values_list("area_id", flat=True)
    )
    routed: dict[int, set[ProblemCategory]] = defaultdict(set)
    for area_id, category in await RoutingRule.all().values_list("area_id", "category"):
        routed[area_id].add(ProblemCategory(category))
    found = []
    for area in areas:
        lineage = area.ancestor_ids
        if coordinated.intersection(lineage):
            continue
        covered = set().union(*(routed[a] for a in lineage))
        missing = tuple(category for category in ProblemCategory if category not in covered)
        if missing:
            found.append(RoutingGap(area=area, categories=missing))
    return found


async def gaps_for(actor: Actor) -> list[RoutingGap]:
    """The gaps, for the platform admins who can close them."""
    actor.require_admin()
    return await gaps()
