"""Rungs: where each person stands on the ladder of participation in an area.

A person's rung in an area is the highest of:

- the rungs their acts reached there in the last twelve months (the activity record keeps
  each act's rung, so this is a MAX over an index);
- CO_DESIGNER while they are an active member of an active working group there: being in
  the group is the rung, not only joining it, so a member of long standing keeps it;
- PASSIVE while they follow a problem there.

An area counts what happened in it and in every area inside it. All of it is worked out
in SQL, one statement per source, grouped by person; nothing replays history. Acts older
than the window age out by themselves: a person who stops taking part drops, rung by rung,
to NONE as their acts pass twelve months. Memberships and follows are read as they are now,
so a ladder worked out for a moment in the past counts today's members and followers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from tortoise.functions import Max

from backend.db import int_column, planned_for_the_values
from backend.models import Activity, Area, GroupMembership, ProblemFollow, User
from backend.models.enums import MembershipStatus, ParticipationRung, WorkingGroupStatus
from backend.services.areas import areas_within

RUNG_WINDOW = timedelta(days=365)


async def rungs_in(area: Area | None, *, now: datetime) -> dict[int, ParticipationRung]:
    """Everyone with a rung above NONE in the area and the areas inside it (in every area
    when `area` is None): person id to rung."""
    return await _highest(None if area is None else await areas_within(area), now=now)


async def rung_of(person_id: int, area: Area | None, *, now: datetime) -> ParticipationRung:
    """The person's rung in the area and the areas inside it; over every area when `area` is None."""
    within = None if area is None else await areas_within(area)
    return (await _highest(within, now=now, person_id=person_id)).get(person_id, ParticipationRung.NONE)


async def ladder_of(area: Area, *, now: datetime) -> dict[ParticipationRung, int]:
    """How many people stand on each rung in the area, every rung listed, lowest first.

    Planned for the area's size and the year's acts (`planned_for_the_values`): a web process
    otherwise plans a statement once, and the force's ladder took 101 ms so against 77."""
    async with planned_for_the_values():
        return (await ladder_with_rungs(area, now=now))[1]


async def ladder_with_rungs(
    area: Area, *, now: datetime
) -> tuple[dict[int, ParticipationRung], dict[ParticipationRung, int]]:
    """Everyone's rung in the area (as `rungs_in`) and the ladder they make (as `ladder_of`),
    worked out once, for whoever needs both.

    NONE counts the people who live there (their home area is in it) and have no rung
    there: the ones the ladder has yet to reach. People who took part without living there
    count on their rung, but never on NONE, which would otherwise hold everyone on the
    platform.
    """
    within = await areas_within(area)
    rungs = await _highest(within, now=now)
    residents = await int_column(
        User.filter(home_area_id__in=within, erased_at__isnull=True, confirmed_at__isnull=False), "id"
    )
    counts = dict.fromkeys(ParticipationRung, 0)
    for rung in rungs.values():
        counts[rung] += 1
    counts[ParticipationRung.NONE] = len(set(residents) - rungs.keys())
    return rungs, counts


async def people_reaching(rung: ParticipationRung, *, now: datetime) -> set[int]:
    """The people whose rung is at least `rung` in some area."""
    return {person for person, reached in (await _highest(None, now=now)).items() if reached >= rung}


async def _highest(
    within: list[int] | None, *, now: datetime, person_id: int | None = None
) -> dict[int, ParticipationRung]:
    acts = Activity.filter(
        person_id__isnull=False,
        occurred_at__gt=now - RUNG_WINDOW,
        # Nothing after `now`: a ladder taken for a moment past counts only what had happened.
        occurred_at__lte=now,
        rung__gt=ParticipationRung.NONE,
    )
    members = GroupMembership.filter(status=MembershipStatus.ACTIVE, group__status=WorkingGroupStatus.ACTIVE)
    follows = ProblemFollow.all()
    if within is not None:
        acts = acts.filter(area_id__in=within)
        members = members.filter(group__area_id__in=within)
        follows = follows.filter(problem__area_id__in=within)
    if person_id is not None:
        acts = acts.filter(person_id=person_id)
        members = members.filter(user_id=person_id)
        follows = follows.filter(user_id=person_id)

    highest: dict[int, ParticipationRung] = {}

    def lift(people: Iterable[tuple[int, int]]) -> None:
        for person, rung in people:
            highest[person] = max(highest.get(person, ParticipationRung.NONE), ParticipationRung(rung))

    lift(await acts.group_by("person_id").annotate(top=Max("rung")).values_list("person_id", "top"))
    co_designer = ParticipationRung.CO_DESIGNER
    lift((person, co_designer) for person in await int_column(members.distinct(), "user_id"))
    lift((person, ParticipationRung.PASSIVE) for person in await int_column(follows.distinct(), "user_id"))
    return highest
