"""The ladder taken once a day: every person's rung in every area, kept so that movement
between two days, and the ladder month by month, can be read back.

A snapshot of an area on a day is one `LadderSnapshot` row (with how many people whose
home is there stood on no rung) and one `LadderRung` row per person on a rung above NONE
there, the area counting the areas inside it. Each area's snapshot is written in a
transaction of its own, its `LadderSnapshot` row claiming the (area, day): a second run on
the same day, or two runs at once, write nothing new, which the unique constraint settles.
A run cut short leaves the areas it reached; the next run that day takes the others.

History is thinned as it ages: every day's snapshot is kept for `DAILY_FOR` days, and
beyond that only the last snapshot of each month, which is all the monthly series and a
movement since a date that far back need.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pypika_tortoise.queries import Query, Table
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend.models import Area, LadderRung, LadderSnapshot, User
from backend.models.enums import ParticipationRung
from backend.services import configuration, personal_data
from backend.services.ladder.rungs import ladder_with_rungs
from backend.services.personal_data import Sections
from backend.services.standing import Standing

# How long every day's snapshot is kept; older ones are kept at each month's end only.
DAILY_FOR = timedelta(days=100)
# Rows written per INSERT statement.
BATCH = 1000


async def days_of(queryset: QuerySet[Any]) -> list[date]:
    """The `day` column of the rows a query selects, in their order."""
    return [day for (day,) in await queryset.values_list("day")]


def day_of(now: datetime) -> date:
    """The day a snapshot taken at `now` is of, in the service's time zone."""
    return now.astimezone(configuration.current().time_zone).date()


async def take(*, now: datetime) -> int:
    """Takes today's snapshot of every area that has none yet; returns how many it took."""
    day = day_of(now)
    taken = set(await LadderSnapshot.filter(day=day).values_list("area_id", flat=True))
    written = 0
    for area in await Area.exclude(id__in=taken).order_by("id"):
        if await _take_area(area, day, now):
            written += 1
    await thin(now=now)
    return written


async def _take_area(area: Area, day: date, now: datetime) -> bool:
    try:
        async with in_transaction() as connection:
            rungs, counts = await ladder_with_rungs(area, now=now)
            # Claims the area's day first: another run that got here first holds it, and this
            # one fails here, before writing any rung.
            await LadderSnapshot.create(
                day=day, area_id=area.id, on_no_rung=counts[ParticipationRung.NONE], taken_at=now
            )
            people = sorted(rungs.items())
            for start in range(0, len(people), BATCH):
                await connection.execute_query(_insert_rungs(day, area.id, people[start : start + BATCH]))
    except IntegrityError:
        return False
    return True


def _insert_rungs(day: date, area_id: int, people: list[tuple[int, ParticipationRung]]) -> str:
    """One INSERT of many rows, whose values are all numbers and a date: a model object per
    row, and a statement per row as `bulk_create` sends them, would make the snapshot of a
    large force several times slower."""
    table = Table(LadderRung._meta.db_table)
    rows = [(day, area_id, person_id, int(rung)) for person_id, rung in people]
    return str(Query.into(table).columns("day", "area_id", "person_id", "rung").insert(*rows).get_sql())


def kept_days(days: set[date], *, today: date) -> set[date]:
    """Of the days with a snapshot, those kept: the last `DAILY_FOR`, and each month's last."""
    month_ends: dict[tuple[int, int], date] = {}
    for day in days:
        month = (day.year, day.month)
        month_ends[month] = max(day, month_ends.get(month, day))
    return {day for day in days if day > today - DAILY_FOR} | set(month_ends.values())


async def thin(*, now: datetime) -> int:
    """Forgets the daily snapshots older than `DAILY_FOR` but each month's last; returns
    how many days it forgot."""
    days = set(await days_of(LadderSnapshot.all().distinct()))
    gone = sorted(days - kept_days(days, today=day_of(now)))
    if gone:
        async with in_transaction():
            await LadderRung.filter(day__in=gone).delete()
            await LadderSnapshot.filter(day__in=gone).delete()
    return len(gone)


async def _export_personal_data(user: User, standing: Standing) -> Sections:
    latest = await days_of(LadderRung.filter(person_id=user.id).order_by("-day").limit(1))
    rows = (
        await LadderRung.filter(person_id=user.id, day__in=latest)
        .select_related("area")
        .order_by("area__name")
    )
    return {
        "participation_ladder": [
            {"area": row.area.name, "rung": ParticipationRung(row.rung).name, "on": row.day.isoformat()}
            for row in rows
        ]
    }


async def _erase_personal_data(user: User, now: datetime) -> None:
    await LadderRung.filter(person_id=user.id).delete()


# A person's rung per area and day is theirs: erasure takes them off the ladder's history,
# which then counts them on no rung; what the activity record keeps belongs to nobody.
PERSONAL_DATA = personal_data.Contribution(
    name="participation ladder",
    export=_export_personal_data,
    erase=_erase_personal_data,
    erases=("LadderRung",),
)
