"""The demo's ladder of participation: neighbours in every ward who have taken part over the
last two years, some climbing, some steady, some gone quiet, and a year of the ladder's daily
snapshots, so the area pages chart real movement.

A snapshot counts every act of the 12 months before it, whenever the act was written, so the
neighbours' acts are written in order of time and each past snapshot taken once the acts
before it are in, never with acts still to come. The demo's stories (`demo.py`) happen in
the weeks after these past snapshots and count from today's, taken last.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from backend.models import Activity, Area, User
from backend.models.enums import ActivityKind, ParticipationRung
from backend.services.activity import RUNG_REACHED
from backend.services.ladder import snapshots

WARDS = ["Kingsbridge Central", "Riverside", "Old Town", "Harrowgate North", "Millfield"]
FIRST_NAMES = ["Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Gita", "Hugo", "Isla", "Jack", "Kira", "Liam"]
FAMILY_NAMES = ["Ward", "Hale", "Nunez", "Price", "Oduya", "Shaw", "Kerr", "Lowe"]
# Neighbours per ward: one of each first name, with a family name of the ward.
PER_WARD = len(FIRST_NAMES)
# How far back the neighbours' first acts go, in days: beyond the year, so some age out.
FIRST_ACT_WITHIN = 700
# The act that puts someone on each rung.
ACT_OF = {rung: kind for kind, rung in reversed(RUNG_REACHED.items()) if rung > ParticipationRung.NONE}
# How many months of month-end snapshots, and of weekly ones before today.
MONTHS = 12
WEEKS = 12


def neighbour_acts(seed: int, now: datetime) -> list[tuple[datetime, ActivityKind]]:
    """One neighbour's acts, oldest first: they start on a low rung, take part every few weeks,
    now and then a rung higher, until they stop (some still do)."""
    chance = Random(seed)
    # More of them started lately than long ago: the ladder grows.
    days_ago = 20 + int((FIRST_ACT_WITHIN - 20) * chance.random() ** 1.5)
    stops = 0 if chance.random() < 0.6 else days_ago - chance.randint(0, days_ago)
    rung = chance.choice([1, 1, 2, 2, 3, 4])
    top = max(rung, chance.choice([2, 3, 4, 4, 5, 5, 6]))
    acts = []
    while days_ago >= stops:
        acts.append(
            (now - timedelta(days=days_ago, hours=chance.randint(0, 10)), ACT_OF[ParticipationRung(rung)])
        )
        if rung < top and chance.random() < 0.4:
            rung += 1
        days_ago -= chance.randint(7, 45)
    return acts


def snapshot_moments(now: datetime, zone: ZoneInfo) -> list[datetime]:
    """When the past snapshots are taken, just after midnight as the job runs: at the end of
    each of the last `MONTHS` months and every week of the last `WEEKS`, oldest first."""
    today = now.astimezone(zone).date()
    month_ends = []
    first_of_month = today.replace(day=1)
    for _ in range(MONTHS):
        month_ends.append(first_of_month - timedelta(days=1))
        first_of_month = month_ends[-1].replace(day=1)
    weeks = [today - timedelta(weeks=week) for week in range(1, WEEKS + 1)]
    return [datetime.combine(day, time(0, 20), zone) for day in sorted({*month_ends, *weeks})]


async def make_history(*, now: datetime, zone: ZoneInfo, areas: dict[str, Area], password_hash: str) -> int:
    """Makes the neighbours, writes their acts and takes the past snapshots; returns how many
    neighbours there are."""
    joined = now - timedelta(days=FIRST_ACT_WITHIN + 1)
    # Made in one statement, with the demo's one password: hashing it anew for each would
    # only make the demo slower to build.
    await User.bulk_create(
        [
            User(
                email=f"{first.lower()}.{family.lower()}@neighbour.demo",
                display_name=f"{first} {family}",
                password_hash=password_hash,
                home_area_id=areas[ward].id,
                confirmed_at=joined,
                created_at=joined,
                updated_at=joined,
            )
            for number, ward in enumerate(WARDS)
            for first, family in zip(
                FIRST_NAMES, (FAMILY_NAMES * 2)[number : number + PER_WARD], strict=False
            )
        ]
    )
    neighbours = await User.filter(email__endswith="@neighbour.demo").order_by("id")
    acts = sorted(
        (at, person.id, person.home_area_id, kind)
        for person in neighbours
        for at, kind in neighbour_acts(person.id, now)
    )
    written = 0
    for moment in [*snapshot_moments(now, zone), now]:
        due = [act for act in acts[written:] if act[0] <= moment]
        await Activity.bulk_create(
            [
                Activity(person_id=person, area_id=area, kind=kind, rung=RUNG_REACHED[kind], occurred_at=at)
                for at, person, area, kind in due
            ]
        )
        written += len(due)
        if moment < now:
            await snapshots.take(now=moment)
    return len(neighbours)
