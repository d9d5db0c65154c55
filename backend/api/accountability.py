"""Accountability figures, public per area and per organisation."""

from __future__ import annotations

from datetime import date

import strawberry

from backend import models
from backend.api.context import Info
from backend.api.enums import DeclineReason
from backend.api.objects import copied
from backend.services import accountability


@strawberry.type
class ReasonCount:
    reason_code: DeclineReason
    count: int


@strawberry.type(
    description=(
        "Whether community input gets the response it is owed. Counts cover proposals made "
        "since `since` (all time when omitted)."
    )
)
class AccountabilityStats:
    proposals_received: int
    responded: int
    responded_within_target: int
    awaiting_response: int
    overdue: int
    median_hours_to_first_response: float | None
    declined: int
    declined_by_reason: list[ReasonCount]
    resolved: int
    disputed_resolutions: int = strawberry.field(
        description="Closings the community disputed: more of those who reviewed them disagreed than agreed "
        "(at least 3), and the problem reopened."
    )

    @classmethod
    def of(cls, stats: accountability.AccountabilityStats) -> AccountabilityStats:
        return copied(
            cls,
            stats,
            declined_by_reason=[
                ReasonCount(reason_code=reason, count=count) for reason, count in stats.declined_by_reason
            ],
        )


async def area_accountability(info: Info, area: models.Area, since: date | None) -> AccountabilityStats:
    loaders = info.context.loaders
    # The figures start from the area the caller holds, not from another read of it.
    loaders.area.prime(area.id, area)
    return AccountabilityStats.of(await loaders.area_accountability.load((area.id, since)))


async def organisation_accountability(
    info: Info, organisation_id: int, since: date | None
) -> AccountabilityStats:
    stats = await info.context.loaders.organisation_accountability.load((organisation_id, since))
    return AccountabilityStats.of(stats)
