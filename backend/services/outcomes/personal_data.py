"""Personal data in outcomes: what a person's copy shows of the measures they defined, the
readings they recorded, the problems they closed and their reviews of closings, and what
erasing their account takes away (the rest stays, as a former participant's contribution)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.db import int_column
from backend.models import OutcomeMeasure, OutcomeReading, Problem, ProblemResolution, ResolutionReview, User
from backend.services import personal_data
from backend.services.personal_data import NO_LONGER_VISIBLE, Sections, moment
from backend.services.problems import visible_to
from backend.services.standing import Standing


async def _export_personal_data(user: User, standing: Standing) -> Sections:
    measures = await OutcomeMeasure.filter(defined_by_id=user.id).select_related("problem").order_by("id")
    readings = await OutcomeReading.filter(recorded_by_id=user.id).select_related("measure").order_by("id")
    closings = await ProblemResolution.filter(closed_by_id=user.id).select_related("problem").order_by("id")
    reviews = (
        await ResolutionReview.filter(user_id=user.id).select_related("resolution__problem").order_by("id")
    )
    problem_ids = (
        {m.problem_id for m in measures}
        | {r.measure.problem_id for r in readings}
        | {c.problem_id for c in closings}
        | {r.resolution.problem_id for r in reviews}
    )
    visible = set(await int_column(Problem.filter(visible_to(standing), id__in=sorted(problem_ids)), "id"))

    def shown(problem_id: int, name: str) -> str:
        # What the person did is theirs; the names of a problem they lost sight of are not.
        return name if problem_id in visible else NO_LONGER_VISIBLE

    return {
        "outcome_measures": [
            {
                "problem": shown(m.problem_id, m.problem.title),
                "name": m.name,
                "defined_at": moment(m.created_at),
            }
            for m in measures
        ],
        "outcome_readings": [_reading(r, shown(r.measure.problem_id, r.measure.name)) for r in readings],
        "closings": [
            {
                "problem": shown(c.problem_id, c.problem.title),
                "outcome": c.outcome.value,
                "summary": c.summary,
                "closed_at": moment(c.closed_at),
            }
            for c in closings
        ],
        "resolution_reviews": [
            {
                "problem": shown(r.resolution.problem_id, r.resolution.problem.title),
                "agrees": r.agrees,
                "comment": r.comment,
                "reviewed_at": moment(r.updated_at),
            }
            for r in reviews
        ],
    }


def _reading(reading: OutcomeReading, measure: str) -> dict[str, Any]:
    return {
        "measure": measure,
        "value": reading.value,
        "observed_on": reading.observed_on.isoformat(),
        "note": reading.note,
        "recorded_at": moment(reading.created_at),
    }


async def _erase_personal_data(user: User, now: datetime) -> None:
    # A review counts in its closing's verdict and stays; the words with it were the person's own.
    await ResolutionReview.filter(user_id=user.id).update(comment=None)


PERSONAL_DATA = personal_data.Contribution(
    name="outcomes",
    export=_export_personal_data,
    erase=_erase_personal_data,
    erases=("ResolutionReview.comment",),
    keeps={
        "OutcomeMeasure.defined_by": "a measure of the problem's outcome, part of its public record",
        "OutcomeReading.recorded_by": "a reading of an outcome measure, part of the problem's public record",
        "ProblemResolution.closed_by": "an official closing of the problem, part of its public history",
        "ResolutionReview.user": "a review counted in the community's verdict on a closing",
    },
)
