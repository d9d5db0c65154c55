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
the problem: the area's figures over time stay true, and what is left says neither whose
acts they were nor what they were about, so it adds nothing to the contributions that stay
in public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from backend.models import Activity, Area, Problem, User
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
}


async def record(person: User, problem: Problem, *kinds: ActivityKind, now: datetime) -> None:
    """Inside the act's transaction: the person's acts about the problem, in one statement."""
    await Activity.bulk_create(
        [
            Activity(
                person_id=person.id,
                area_id=problem.area_id,
                problem_id=problem.id,
                kind=kind,
                rung=RUNG_REACHED[kind],
                occurred_at=now,
            )
            for kind in kinds
        ]
    )


async def of_person(person: User, *, readable: QuerySet[Problem], unreadable: str) -> list[dict[str, Any]]:
    """The person's acts, oldest first, for their copy of their data: a problem is named
    by its title while `readable` (the problems they may see) holds it, else `unreadable`."""
    acts = await Activity.filter(person_id=person.id).order_by("occurred_at", "id")
    areas = dict(await Area.filter(id__in=sorted({a.area_id for a in acts})).values_list("id", "name"))
    problems = sorted({a.problem_id for a in acts if a.problem_id is not None})
    titles = dict(await readable.filter(id__in=problems).values_list("id", "title"))
    return [
        {
            "act": act.kind.value,
            "area": areas[act.area_id],
            "problem": titles.get(act.problem_id, unreadable),
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
            unreadable=personal_data.NO_LONGER_VISIBLE,
        )
    }


async def _forget(person: User, now: datetime) -> None:
    """Erasure: the person's acts stay in their areas' figures, belonging to nobody."""
    await Activity.filter(person_id=person.id).update(person_id=None, problem_id=None)


PERSONAL_DATA = personal_data.Contribution(
    name="activity",
    export=_export,
    erase=_forget,
    erases=("Activity.person",),
)
