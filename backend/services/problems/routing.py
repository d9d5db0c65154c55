"""Where a proposal goes and by when it is answered: its owner, its response time, and the
`ProblemRouting` opened each time it reaches an owner (at proposal, and at each referral)."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.models import Area, Problem, ProblemRouting, RoutingRule
from backend.models.enums import ProblemCategory
from backend.services.areas import response_days


async def owner_for(area: Area, category: ProblemCategory) -> int | None:
    """The owner: the area's own rule for the category, else the nearest area above's."""
    lineage = area.ancestor_ids
    rules = await RoutingRule.filter(area_id__in=lineage, category=category).values_list(
        "area_id", "organisation_id"
    )
    owner_by_area = dict(rules)
    return next((owner_by_area[a] for a in lineage if a in owner_by_area), None)


async def response_time(area: Area) -> timedelta:
    lineage = {a.id: a for a in await Area.filter(id__in=area.ancestor_ids)}
    return timedelta(days=response_days([lineage.get(a) for a in area.ancestor_ids]))


async def open_routing(
    problem: Problem, organisation_id: int | None, *, now: datetime, response_time: timedelta
) -> ProblemRouting:
    return await ProblemRouting.create(
        problem=problem,
        organisation_id=organisation_id,
        received_at=now,
        due_at=now + response_time,
        escalate_at=now + 2 * response_time,
    )
