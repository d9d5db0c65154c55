"""The ladder's history: the daily snapshot (once a day, whoever runs it and however often),
movement between two snapshots, people ageing out after 12 months, the monthly series, and
history thinned as it ages."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from backend.clock import ManualClock
from backend.models import Activity, Area, LadderRung, LadderSnapshot, User
from backend.models.enums import ActivityKind, ParticipationRung
from backend.services import personal_data
from backend.services.activity import RUNG_REACHED
from backend.services.actors import Actor
from backend.services.ladder import movement, snapshots
from backend.services.ladder.movement import RungMove
from neighbourhood import Neighbourhood
from support import People, Person, QueryCounter
from workers.jobs import RUNNABLE, snapshot_ladder
from workers.settings import CRON_JOBS, FUNCTIONS

Rung = ParticipationRung


async def acted(
    clock: ManualClock, area: Area, *acts: tuple[Person, ActivityKind], days_ago: int = 0
) -> None:
    """Each person did the act in the area, `days_ago` days before the clock's now."""
    await Activity.bulk_create(
        [
            Activity(
                person_id=person.user.id,
                area_id=area.id,
                kind=kind,
                rung=RUNG_REACHED[kind],
                occurred_at=clock.now() - timedelta(days=days_ago),
            )
            for person, kind in acts
        ]
    )


async def snapshot(clock: ManualClock) -> int:
    return await snapshot_ladder({"clock": clock})


def today(clock: ManualClock) -> date:
    return snapshots.day_of(clock.now())


async def taken(clock: ManualClock) -> date:
    """Takes today's snapshot; returns its day."""
    await snapshot(clock)
    return today(clock)


@pytest.fixture
async def ladder_set(neighbourhood: Neighbourhood, clock: ManualClock) -> Neighbourhood:
    """In Mill Lane: Rita comments, Ray supports; in Riverside, Pat completes a task; in
    Hillside, Hal follows. Mo lives in Mill Lane and has done nothing."""
    n = neighbourhood
    await acted(clock, n.ward, (n.resident, ActivityKind.COMMENTED), (n.neighbour, ActivityKind.SUPPORTED))
    await acted(clock, n.district, (n.police_member, ActivityKind.TASK_COMPLETED))
    await acted(clock, n.other_force, (n.other_coordinator, ActivityKind.FOLLOWED))
    await User.all().update(home_area_id=None)
    await User.filter(id=n.moderator.user.id).update(home_area_id=n.ward.id)
    return n


async def rungs_on(day: date, area: Area) -> dict[int, Rung]:
    return {
        person: Rung(rung)
        for person, rung in await LadderRung.filter(day=day, area_id=area.id).values_list("person_id", "rung")
    }


async def test_a_snapshot_records_every_persons_rung_in_every_area_counting_areas_inside(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    assert await snapshot(clock) == 4
    day = today(clock)
    rita, ray, pat, hal = (p.user.id for p in (n.resident, n.neighbour, n.police_member, n.other_coordinator))

    assert await rungs_on(day, n.ward) == {rita: Rung.CONVERSATION, ray: Rung.ACTIVIST}
    assert await rungs_on(day, n.district) == {
        rita: Rung.CONVERSATION,
        ray: Rung.ACTIVIST,
        pat: Rung.VOLUNTEER,
    }
    assert await rungs_on(day, n.force) == await rungs_on(day, n.district)
    assert await rungs_on(day, n.other_force) == {hal: Rung.PASSIVE}
    on_no_rung = dict(await LadderSnapshot.filter(day=day).values_list("area_id", "on_no_rung"))
    assert on_no_rung == {n.ward.id: 1, n.district.id: 1, n.force.id: 1, n.other_force.id: 0}


async def test_the_job_run_twice_in_a_day_writes_the_days_snapshot_once(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    assert await snapshot(clock) == 4
    rows = await LadderRung.all().count()
    # Later the same day: new acts wait for tomorrow's snapshot, and nothing is written twice.
    clock.advance(hours=6)
    await acted(clock, n.ward, (n.council_member, ActivityKind.COMMENTED))
    assert await snapshot(clock) == 0
    assert await LadderRung.all().count() == rows
    assert await LadderSnapshot.all().count() == 4

    clock.advance(days=1)
    assert sum(await asyncio.gather(snapshot(clock), snapshot(clock))) == 4
    assert await LadderSnapshot.filter(day=today(clock)).count() == 4
    assert await LadderRung.filter(day=today(clock)).count() == rows + 3


async def test_a_run_cut_short_is_finished_by_the_next_that_day(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    await snapshot(clock)
    await LadderSnapshot.filter(area_id=n.district.id).delete()
    await LadderRung.filter(area_id=n.district.id).delete()

    assert await snapshot(clock) == 1
    assert len(await rungs_on(today(clock), n.district)) == 3


async def test_movement_counts_each_pair_of_rungs_people_moved_between(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    start = await taken(clock)
    clock.advance(days=7)
    # Rita climbs to activist, Cal comes onto the ladder, Ray stays where he was.
    await acted(
        clock, n.ward, (n.resident, ActivityKind.SUPPORTED), (n.council_member, ActivityKind.COMMENTED)
    )
    await acted(clock, n.ward, (n.neighbour, ActivityKind.COMMENTED))
    await snapshot(clock)

    assert await movement.movement(n.ward, start) == [
        RungMove(Rung.CONVERSATION, Rung.ACTIVIST, 1),
        RungMove(Rung.NONE, Rung.CONVERSATION, 1),
    ]
    assert await movement.movement(n.other_force, start) == []


async def test_people_who_stop_taking_part_age_out_to_none_after_twelve_months(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await acted(clock, n.ward, (n.neighbour, ActivityKind.SUPPORTED), days_ago=360)
    await acted(clock, n.ward, (n.neighbour, ActivityKind.COMMENTED), days_ago=200)
    await acted(clock, n.ward, (n.resident, ActivityKind.COMMENTED), days_ago=10)
    start = await taken(clock)

    clock.advance(days=10)
    await snapshot(clock)
    # The support passed 12 months: Ray is a commenter now, not an activist.
    assert await movement.movement(n.ward, start) == [RungMove(Rung.ACTIVIST, Rung.CONVERSATION, 1)]
    ten_days_on = today(clock)

    clock.advance(days=200)
    await snapshot(clock)
    # Then his comment went too, and he left the ladder; Rita's comment is recent enough.
    assert await movement.movement(n.ward, ten_days_on) == [RungMove(Rung.CONVERSATION, Rung.NONE, 1)]
    assert await rungs_on(today(clock), n.ward) == {n.resident.user.id: Rung.CONVERSATION}

    clock.advance(days=150)
    await snapshot(clock)
    assert await rungs_on(today(clock), n.ward) == {}


async def test_movement_starts_from_the_snapshot_on_the_day_or_the_nearest_before(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    first = await taken(clock)
    clock.advance(days=5)
    await acted(clock, n.ward, (n.resident, ActivityKind.SUPPORTED))
    fifth = await taken(clock)
    clock.advance(days=5)
    await acted(clock, n.ward, (n.council_member, ActivityKind.COMMENTED))
    await snapshot(clock)

    climbed = RungMove(Rung.CONVERSATION, Rung.ACTIVIST, 1)
    arrived = RungMove(Rung.NONE, Rung.CONVERSATION, 1)
    assert await movement.movement(n.ward, first + timedelta(days=3)) == [climbed, arrived]
    assert await movement.movement(n.ward, fifth) == [arrived]
    # History begins later than the date: the first snapshot stands for it.
    assert await movement.movement(n.ward, first - timedelta(days=30)) == [climbed, arrived]
    # The latest snapshot, or a day after it: nothing to compare.
    assert await movement.movement(n.ward, today(clock) + timedelta(days=1)) == []


async def test_movement_before_any_second_snapshot_is_empty(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    assert await movement.movement(ladder_set.ward, today(clock)) == []
    await snapshot(clock)
    assert await movement.movement(ladder_set.ward, today(clock) - timedelta(days=1)) == []


async def test_the_monthly_series_takes_each_months_last_snapshot(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    clock.set(clock.now().replace(month=3, day=20))
    await snapshot(clock)
    clock.set(clock.now().replace(day=30))
    await acted(clock, n.ward, (n.council_member, ActivityKind.COMMENTED))
    await snapshot(clock)
    clock.set(clock.now().replace(month=5, day=2))
    await acted(clock, n.ward, (n.resident, ActivityKind.TASK_COMPLETED))
    await snapshot(clock)

    months = await movement.monthly(n.ward, months=3, now=clock.now())

    year = clock.now().year
    assert [(m.month, m.day) for m in months] == [
        (date(year, 3, 1), date(year, 3, 30)),
        (date(year, 5, 1), date(year, 5, 2)),
    ]
    assert list(months[0].counts) == list(Rung)
    assert months[0].counts == {
        **dict.fromkeys(Rung, 0),
        Rung.NONE: 1,
        Rung.CONVERSATION: 2,
        Rung.ACTIVIST: 1,
    }
    assert months[1].counts == {
        **dict.fromkeys(Rung, 0),
        Rung.NONE: 1,
        Rung.CONVERSATION: 1,
        Rung.ACTIVIST: 1,
        Rung.VOLUNTEER: 1,
    }
    assert await movement.monthly(n.ward, months=1, now=clock.now()) == months[1:]


def test_history_keeps_recent_days_and_each_months_last_day() -> None:
    days = {date(2026, 1, 10), date(2026, 1, 31), date(2026, 2, 3), date(2026, 2, 14), date(2026, 6, 1)}
    kept = snapshots.kept_days(days, today=date(2026, 6, 2))
    assert kept == {date(2026, 1, 31), date(2026, 2, 14), date(2026, 6, 1)}
    assert snapshots.kept_days(days, today=date(2026, 2, 20)) == days


async def test_old_daily_snapshots_are_thinned_to_month_ends(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    start = clock.now()
    for days_later in (0, 3, 30):
        clock.set(start + timedelta(days=days_later))
        await snapshot(clock)
    kept = {today(clock) - timedelta(days=30 - d) for d in (3, 30)}
    clock.set(start + timedelta(days=200))
    await snapshot(clock)

    days = set(await LadderSnapshot.all().distinct().values_list("day", flat=True))
    assert days == kept | {today(clock)}
    assert set(await LadderRung.all().distinct().values_list("day", flat=True)) == days


async def test_erasure_takes_a_person_off_the_ladders_history(
    ladder_set: Neighbourhood, clock: ManualClock
) -> None:
    n = ladder_set
    await snapshot(clock)
    copy = await personal_data.export(Actor(user=n.neighbour.user), now=clock.now())
    assert {row["area"]: row["rung"] for row in copy["participation_ladder"]} == {
        "Mill Lane": "ACTIVIST",
        "Northshire": "ACTIVIST",
        "Riverside": "ACTIVIST",
    }

    await personal_data.erase(n.neighbour.user, now=clock.now())

    assert not await LadderRung.filter(person_id=n.neighbour.user.id).exists()
    assert await LadderRung.filter(person_id=n.resident.user.id).count() == 3


def test_the_snapshot_runs_daily_and_by_name() -> None:
    assert RUNNABLE["snapshot-ladder"] is snapshot_ladder
    assert snapshot_ladder in FUNCTIONS
    (scheduled,) = [job for job in CRON_JOBS if job.coroutine is snapshot_ladder]
    assert scheduled.hour == 0 and scheduled.run_at_startup


async def test_a_snapshot_costs_the_same_statements_for_2_and_for_20_people(
    neighbourhood: Neighbourhood, people: People, clock: ManualClock
) -> None:
    n = neighbourhood

    async def statements() -> int:
        with QueryCounter() as queries:
            assert await snapshot(clock) == 4
        clock.advance(days=1)
        return queries.count

    await acted(clock, n.ward, (n.resident, ActivityKind.COMMENTED), (n.neighbour, ActivityKind.SUPPORTED))
    few = await statements()
    many_people = [await people.make() for _ in range(18)]
    await acted(clock, n.ward, *((person, ActivityKind.TASK_CHECKED_IN) for person in many_people))

    assert await statements() == few
    # The areas and those taken today; for each area its rungs and ladder (5: the areas inside
    # it, the three sources of rungs, its residents), the claim and the rungs' insert (one per
    # 1,000 people; none for Hillside, with nobody on it); the days, to thin them.
    assert few == 2 + 4 * (5 + 1 + 1) - 1 + 1
    assert await LadderRung.filter(day=today(clock) - timedelta(days=1), area_id=n.force.id).count() == 20
