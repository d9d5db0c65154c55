"""The ladder's history, read from the daily snapshots (`snapshots.py`): who moved from which
rung to which, and the ladder month by month.

People who stop taking part age out: once their last act in an area is more than 12 months
old (and they follow nothing and belong to no active group there), the snapshot no longer
has them on a rung there, so movement counts them as a move down to NONE. People new to an
area's ladder, or back on it, count as a move up from NONE. Erasing an account takes the
person's rungs out of every snapshot, so history then counts them on no rung at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.functions import Count

from backend.models import Area, LadderRung, LadderSnapshot
from backend.models.enums import ParticipationRung
from backend.services.ladder.snapshots import day_of, days_of

# The most months the series goes back.
MAX_MONTHS = 36


@dataclass(frozen=True)
class RungMove:
    from_rung: ParticipationRung
    to_rung: ParticipationRung
    count: int


@dataclass(frozen=True)
class LadderMonth:
    """An area's ladder as the last snapshot of a month found it."""

    month: date  # the month's first day
    day: date  # the snapshot's day
    counts: dict[ParticipationRung, int]  # every rung, zeros included


async def compared_days(area: Area, since: date) -> tuple[date, date] | None:
    """The two snapshots a movement since `since` compares: the one on `since` or the nearest
    before it, and the latest. When history begins after `since`, the first snapshot stands
    for the start, the nearest there is. None without two different days to compare."""
    days = LadderSnapshot.filter(area_id=area.id)
    start = await days_of(days.filter(day__lte=since).order_by("-day").limit(1)) or await days_of(
        days.order_by("day").limit(1)
    )
    latest = await days_of(days.order_by("-day").limit(1))
    if not start or start[0] >= latest[0]:
        return None
    return start[0], latest[0]


async def movement(area: Area, since: date) -> list[RungMove]:
    """How many people moved from which rung to which between the snapshot `since` names and
    the latest: one row per (from, to) pair that occurred, from the highest starting rung, then
    the highest rung reached."""
    days = await compared_days(area, since)
    if days is None:
        return []
    start = days[0]
    before: dict[int, ParticipationRung] = {}
    after: dict[int, ParticipationRung] = {}
    for day, person_id, rung in await LadderRung.filter(area_id=area.id, day__in=days).values_list(
        "day", "person_id", "rung"
    ):
        (before if day == start else after)[person_id] = ParticipationRung(rung)
    moves = Counter(
        (before.get(person, ParticipationRung.NONE), after.get(person, ParticipationRung.NONE))
        for person in before.keys() | after.keys()
    )
    return [
        RungMove(from_rung, to_rung, count)
        for (from_rung, to_rung), count in sorted(moves.items(), key=lambda move: (-move[0][0], -move[0][1]))
        if from_rung != to_rung
    ]


def months_back(today: date, months: int) -> list[date]:
    """The first days of the last `months` months, the current one included, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


async def monthly(area: Area, *, months: int, now: datetime) -> list[LadderMonth]:
    """The area's ladder on the last snapshot of each of the last `months` months (this one
    included), oldest first; months without a snapshot are left out."""
    firsts = months_back(day_of(now), months)
    days = await LadderSnapshot.filter(area_id=area.id, day__gte=firsts[0]).values_list("day", "on_no_rung")
    last_of_month: dict[date, tuple[date, int]] = {}
    for day, on_no_rung in days:
        month = day.replace(day=1)
        if month not in last_of_month or day > last_of_month[month][0]:
            last_of_month[month] = (day, on_no_rung)
    if not last_of_month:
        return []
    chosen = {day: on_no_rung for day, on_no_rung in last_of_month.values()}
    counts: dict[date, Counter[ParticipationRung]] = {day: Counter() for day in chosen}
    for day, rung, count in await _counts_on(area, sorted(chosen)):
        counts[day][ParticipationRung(rung)] = count
    return [
        LadderMonth(
            month=month,
            day=day,
            counts={
                rung: chosen[day] if rung == ParticipationRung.NONE else counts[day][rung]
                for rung in ParticipationRung
            },
        )
        for month, (day, _) in sorted(last_of_month.items())
    ]


async def _counts_on(area: Area, days: list[date]) -> list[tuple[date, int, int]]:
    rows = (
        await LadderRung.filter(area_id=area.id, day__in=days)
        .annotate(people=Count("id"))
        .group_by("day", "rung")
        .values_list("day", "rung", "people")
    )
    return [(day, int(rung), int(people)) for day, rung, people in rows]
