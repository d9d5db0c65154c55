"""The activity record: every act of taking part, written in the transaction of the act.

The record is append-only, so undoing an act (withdrawing support, unfollowing) adds a
row and loses nothing: the ladder of participation reads a person's rung in an area, and
how people move between rungs, from it. Each row keeps the rung its act reaches, so a
person's rung is the highest rung among their rows in the area over the last 12 months.

What counts as an act, and what does not:

- proposing is three acts at one moment (proposed, supported, followed), because the
  proposer supports and follows what they propose, and may later withdraw either;
- supporting or following again, and withdrawing or unfollowing what one never had,
  change nothing and record nothing;
- marking a proposal a duplicate records the responder's response only: the supports and
  follows it carries over to the original are the responder's doing, not the supporters',
  and must not lift anyone to a rung in an area where they did nothing;
- answering for a problem (official responses, progress updates) is recorded, and reaches
  no rung: the ladder measures how the community takes part.

Erasure keeps the rows, as acts in their area at their time, but takes out the person and
what the acts were about (the problem, or the working group): the area's figures over time
stay true, and what is left says neither whose acts they were nor what they were about, so
it adds nothing to the contributions that stay in public.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from backend.models import Activity, Area, Problem, User, WorkingGroup
from backend.models.enums import ActivityKind, ParticipationRung, SubjectKind
from backend.services import audiences, personal_data
from backend.services.standing import Standing

RUNG_REACHED = {
    ActivityKind.PROPOSED: ParticipationRung.ACTIVIST,
    ActivityKind.SUPPORTED: ParticipationRung.ACTIVIST,
    ActivityKind.SUPPORT_WITHDRAWN: ParticipationRung.NONE,
    ActivityKind.FOLLOWED: ParticipationRung.PASSIVE,
    ActivityKind.UNFOLLOWED: ParticipationRung.NONE,
    ActivityKind.COMMENTED: ParticipationRung.CONVERSATION,
    ActivityKind.RESPONDED: ParticipationRung.NONE,
    ActivityKind.UPDATE_POSTED: ParticipationRung.NONE,
    # Working with police and partners in a group, on its actions, is the top rung.
    ActivityKind.GROUP_FORMED: ParticipationRung.CO_DESIGNER,
    ActivityKind.GROUP_JOINED: ParticipationRung.CO_DESIGNER,
    ActivityKind.GROUP_LEFT: ParticipationRung.NONE,
    ActivityKind.ACTION_CREATED: ParticipationRung.CO_DESIGNER,
    ActivityKind.ACTION_PROGRESS_REPORTED: ParticipationRung.CO_DESIGNER,
    # Measuring outcomes with police and partners is group work; closing is an official answer;
    # saying whether one agrees with a closing is taking part in the conversation about it.
    ActivityKind.MEASURE_DEFINED: ParticipationRung.CO_DESIGNER,
    ActivityKind.READING_RECORDED: ParticipationRung.CO_DESIGNER,
    ActivityKind.PROBLEM_CLOSED: ParticipationRung.NONE,
    ActivityKind.RESOLUTION_REVIEWED: ParticipationRung.CONVERSATION,
    # Turning up for a task is taking part in the real world; finishing it is giving time.
    ActivityKind.TASK_CHECKED_IN: ParticipationRung.PARTICIPATION,
    ActivityKind.TASK_COMPLETED: ParticipationRung.VOLUNTEER,
    # Putting right an official response is answering for the problem.
    ActivityKind.RESPONSE_CORRECTED: ParticipationRung.NONE,
    # Receiving progress digests is following the work from a distance.
    ActivityKind.DIGEST_RECEIVED: ParticipationRung.PASSIVE,
}


async def record(person: User, problem: Problem, *kinds: ActivityKind, now: datetime) -> None:
    """Inside the act's transaction: the person's acts about the problem, in one statement."""
    await _write(person.id, kinds, area_id=problem.area_id, now=now, problem_id=problem.id)


async def record_in_group(person_id: int, group: WorkingGroup, *kinds: ActivityKind, now: datetime) -> None:
    """Inside the act's transaction: the person's acts in a working group, counted in the
    group's area."""
    await _write(person_id, kinds, area_id=group.area_id, now=now, working_group_id=group.id)


async def record_each(kind: ActivityKind, areas_of: Mapping[int, int], *, now: datetime) -> None:
    """Inside the act's transaction: the same act by many people at once (person id -> the
    area it counts in), in one statement, about nothing but the person themself."""
    await Activity.bulk_create(
        [
            Activity(
                person_id=person_id, area_id=area_id, kind=kind, rung=RUNG_REACHED[kind], occurred_at=now
            )
            for person_id, area_id in sorted(areas_of.items())
        ],
        batch_size=500,
    )


async def _write(
    person_id: int, kinds: tuple[ActivityKind, ...], *, area_id: int, now: datetime, **about: int
) -> None:
    await Activity.bulk_create(
        [
            Activity(
                person_id=person_id,
                area_id=area_id,
                kind=kind,
                rung=RUNG_REACHED[kind],
                occurred_at=now,
                **about,
            )
            for kind in kinds
        ]
    )


async def of_person(
    person: User,
    *,
    readable: QuerySet[Problem],
    readable_groups: QuerySet[WorkingGroup],
    unreadable: str,
    unreadable_group: str,
) -> list[dict[str, Any]]:
    """The person's acts, oldest first, for their copy of their data: a problem is named
    by its title while `readable` (the problems they may see) holds it, else `unreadable`;
    a working group by its name while `readable_groups` holds it, else `unreadable_group`."""
    acts = await Activity.filter(person_id=person.id).order_by("occurred_at", "id")
    areas = dict(await Area.filter(id__in=sorted({a.area_id for a in acts})).values_list("id", "name"))
    problems = sorted({a.problem_id for a in acts if a.problem_id is not None})
    titles = dict(await readable.filter(id__in=problems).values_list("id", "title"))
    groups = sorted({a.working_group_id for a in acts if a.working_group_id is not None})
    names = dict(await readable_groups.filter(id__in=groups).values_list("id", "name"))

    def about(act: Activity) -> dict[str, str]:
        if act.working_group_id is not None:
            return {"working_group": names.get(act.working_group_id, unreadable_group)}
        if act.problem_id is None:
            # An act about nothing but the person themself: a digest received.
            return {}
        return {"problem": titles.get(act.problem_id, unreadable)}

    return [
        {
            "act": act.kind.value,
            "area": areas[act.area_id],
            **about(act),
            "rung": act.rung.name,
            "at": act.occurred_at.isoformat(),
        }
        for act in acts
    ]


async def _export(person: User, standing: Standing) -> personal_data.Sections:
    return {
        # Every act of taking part, undone ones included.
        "activity": await of_person(
            person,
            readable=audiences.rule_for(SubjectKind.PROBLEM).readable_by(standing),
            readable_groups=audiences.rule_for(SubjectKind.WORKING_GROUP).readable_by(standing),
            unreadable=personal_data.NO_LONGER_VISIBLE,
            unreadable_group=personal_data.GROUP_NO_LONGER_VISIBLE,
        )
    }


async def _forget(person: User, now: datetime) -> None:
    """Erasure: the person's acts stay in their areas' figures, belonging to nobody."""
    await Activity.filter(person_id=person.id).update(person_id=None, problem_id=None, working_group_id=None)


PERSONAL_DATA = personal_data.Contribution(
    name="activity",
    export=_export,
    erase=_forget,
    erases=("Activity.person",),
)
