"""What the ladder of participation adds to `Area`: how many stand on each rung now, how
people moved between two days, and the ladder month by month."""

from __future__ import annotations

from datetime import date

import strawberry

from backend import models
from backend.api.context import Info
from backend.api.enums import ParticipationRung
from backend.api.errors import PublicError
from backend.services import ladder
from backend.services.ladder import movement
from backend.services.ladder.movement import MAX_MONTHS

DEFAULT_MONTHS = 12


@strawberry.type
class RungCount:
    rung: ParticipationRung
    count: int


@strawberry.type
class RungMove:
    from_: ParticipationRung = strawberry.field(name="from")
    to: ParticipationRung
    count: int


@strawberry.type(description="An area's ladder as the last daily snapshot taken in a month found it.")
class LadderMonth:
    month: date = strawberry.field(description="The month's first day.")
    day: date = strawberry.field(description="The day of the snapshot the counts come from.")
    counts: list[RungCount] = strawberry.field(description="Every rung, lowest first, zeros included.")


def rung_counts(counts: dict[ParticipationRung, int]) -> list[RungCount]:
    return [RungCount(rung=rung, count=counts.get(rung, 0)) for rung in ParticipationRung]


@strawberry.type
class AreaLadder:
    model: strawberry.Private[models.Area]

    @strawberry.field(
        description="How many people stand on each rung in this area; every rung is listed, zeros included."
    )
    async def ladder(self, info: Info) -> list[RungCount]:
        return rung_counts(await ladder.ladder_of(self.model, now=info.context.now))

    @strawberry.field(
        description=(
            "How many people moved from one rung to another since the date, one row per (from, to) "
            "pair that occurred. Compares the daily snapshot taken on the date (or the nearest before "
            "it; the first one when history starts later) with the latest. People whose acts all "
            "passed 12 months move to NONE; people new to the ladder move up from NONE."
        )
    )
    async def ladder_movement(self, info: Info, since: date) -> list[RungMove]:
        return [
            RungMove(from_=move.from_rung, to=move.to_rung, count=move.count)
            for move in await movement.movement(self.model, since)
        ]

    @strawberry.field(
        description=(
            "The ladder month by month, oldest first: for each of the last `months` months (this one "
            f"included, at most {MAX_MONTHS}), the counts on the last daily snapshot taken in it. "
            "Months without a snapshot are left out."
        )
    )
    async def ladder_history(self, info: Info, months: int = DEFAULT_MONTHS) -> list[LadderMonth]:
        if not 1 <= months <= MAX_MONTHS:
            raise PublicError(f"`months` must be between 1 and {MAX_MONTHS}.")
        return [
            LadderMonth(month=month.month, day=month.day, counts=rung_counts(month.counts))
            for month in await movement.monthly(self.model, months=months, now=info.context.now)
        ]
