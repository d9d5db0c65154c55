"""Outcomes in the API: a problem's measures and readings, its resolution and the
community's review of it, the four acts, and the viewer's rights over each (asked of the
same rules the services enforce, so the web interface keeps no copy of them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import models
from backend.api import references
from backend.api.context import Info, settled
from backend.api.enums import OutcomeDirection, ResolutionOutcome
from backend.api.errors import UserError
from backend.api.node import Identified, Node, fetches_node, reached_through
from backend.api.objects import copied
from backend.api.on_problem import OnProblem, viewer_may
from backend.api.payloads import Answer, given
from backend.services import outcomes
from backend.services.standing import standing_of

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.problems import Problem, ProblemPayload

LazyUser = Annotated["User", strawberry.lazy("backend.api.accounts")]
LazyProblem = Annotated["Problem", strawberry.lazy("backend.api.problems")]
LazyProblemPayload = Annotated["ProblemPayload", strawberry.lazy("backend.api.problems")]


@strawberry.type
class OutcomeReading(Identified):
    model: strawberry.Private[models.OutcomeReading]
    id: strawberry.ID
    value: float
    observed_on: date
    note: str | None
    created_at: datetime

    @strawberry.field
    async def recorded_by(self, info: Info) -> LazyUser:
        return await settled(references.user(info, self.model.recorded_by_id))


@dataclasses.dataclass(kw_only=True)
class MeasureTerms:
    """What a measure is: the same fields when it is defined (DefineOutcomeMeasureInput) as
    when it is shown (OutcomeMeasure), declared once so the two cannot drift apart."""

    name: str
    unit: str
    direction: OutcomeDirection
    baseline: float
    baseline_on: date
    target: float
    target_on: date


@strawberry.input
class ProblemRefInput:
    """Any input that names a problem. Declared here, below `backend.api.problems`, so that
    the outcome acts' inputs name their problem as the problem acts' do."""

    problem_id: strawberry.ID


@strawberry.type(
    description=(
        "A measure of whether a problem is getting better: a baseline, a target and readings "
        "over time. `progress` is how far the latest reading has moved from the baseline toward "
        "the target, clamped to 0..1 (0 with no reading)."
    )
)
class OutcomeMeasure(MeasureTerms, Node):
    model: strawberry.Private[models.OutcomeMeasure]

    async def _readings(self, info: Info) -> list[models.OutcomeReading]:
        return await info.context.loaders.readings_of_measure.load(self.model.id)

    @strawberry.field
    async def problem(self, info: Info) -> LazyProblem:
        from backend.api.problems import Problem

        problem = await references.row(info.context.loaders.problem, self.model.problem_id)
        return Problem.of(problem)

    @strawberry.field(description="Oldest first, one per day observed.")
    async def readings(self, info: Info) -> list[OutcomeReading]:
        return [OutcomeReading.of(r) for r in await self._readings(info)]

    @strawberry.field(description="The reading observed last.")
    async def latest(self, info: Info) -> OutcomeReading | None:
        reading = outcomes.latest(await self._readings(info))
        return OutcomeReading.of(reading) if reading else None

    @strawberry.field
    async def progress(self, info: Info) -> float:
        return outcomes.progress(self.model, outcomes.latest(await self._readings(info)))


@strawberry.type(
    description=(
        "How a problem was closed, and whether the community agrees. People who proposed, "
        "supported or followed the problem may review the resolution."
    )
)
class Resolution:
    model: strawberry.Private[models.ProblemResolution]
    outcome: ResolutionOutcome
    summary: str
    closed_at: datetime
    agree_count: int
    disagree_count: int
    reopened_at: datetime | None = strawberry.field(
        description=(
            "When the community's verdict reopened the problem: 14 days after closing, more "
            "reviewers disagreed than agreed, and at least 3 disagreed. Null while the closing stands."
        )
    )

    @classmethod
    def of(cls, resolution: models.ProblemResolution) -> Resolution:
        return copied(cls, resolution, model=resolution)

    @strawberry.field
    async def closed_by(self, info: Info) -> LazyUser:
        return await settled(references.user(info, self.model.closed_by_id))

    @strawberry.field(description="Whether the viewer agrees; null when they have not reviewed it.")
    async def viewer_agrees(self, info: Info) -> bool | None:
        return await info.context.loaders.viewer_review.load(self.model.id)


@strawberry.type
class ProblemOutcomes(OnProblem):
    """The fields outcomes add to `Problem`."""

    async def _resolutions(self, info: Info) -> list[models.ProblemResolution]:
        return await info.context.loaders.resolutions_of_problem.load(self.model.id)

    async def _measurer(self, info: Info, rule: Callable[..., bool]) -> bool:
        """Whether the viewer passes one of the rules over measuring: each asks the same."""
        return rule(
            await standing_of(info.context.actor),
            self.model,
            await self._area(info),
            leads_a_group=await info.context.loaders.viewer_leads_group_on.load(self.model.id),
        )

    @strawberry.field(description="Its outcome measures, in the order they were defined.")
    async def measures(self, info: Info) -> list[OutcomeMeasure]:
        return [
            OutcomeMeasure.of(m) for m in await info.context.loaders.measures_of_problem.load(self.model.id)
        ]

    @strawberry.field(description="How it was closed, while it is closed; null while it is open.")
    async def resolution(self, info: Info) -> Resolution | None:
        if self.model.status not in outcomes.CLOSED:
            return None
        standing = [r for r in await self._resolutions(info) if r.reopened_at is None]
        return Resolution.of(standing[-1]) if standing else None

    @strawberry.field(
        description=(
            "Closings the community's verdict reopened, oldest first: the history of why it is open again."
        )
    )
    async def past_resolutions(self, info: Info) -> list[Resolution]:
        return [Resolution.of(r) for r in await self._resolutions(info) if r.reopened_at is not None]

    @strawberry.field(
        description="Whether the viewer may define outcome measures now (defineOutcomeMeasure)."
    )
    async def viewer_can_define_measures(self, info: Info) -> bool:
        return await self._measurer(info, outcomes.may_define_measures)

    @strawberry.field(
        description="Whether the viewer may record readings of its measures (recordOutcomeReading)."
    )
    async def viewer_can_record_readings(self, info: Info) -> bool:
        return await self._measurer(info, outcomes.may_measure)

    viewer_can_close = viewer_may(
        outcomes.may_close, "Whether the viewer may close the problem now (closeProblem)."
    )

    @strawberry.field(description="Whether the viewer may review its resolution now (reviewResolution).")
    async def viewer_can_review(self, info: Info) -> bool:
        user = info.context.actor.user
        if user is None or self.model.status not in outcomes.CLOSED:
            return False
        loaders = info.context.loaders
        key = (user.id, self.model.id)
        took_part = (
            self.model.proposer_id == user.id
            or await loaders.supported_by.load(key)
            or await loaders.followed_by.load(key)
        )
        return outcomes.may_review(await standing_of(info.context.actor), self.model, took_part=took_part)


@strawberry.type
class OutcomeMeasurePayload:
    measure: OutcomeMeasure | None
    errors: list[UserError]


@fetches_node("OutcomeMeasure")
async def fetch_measure(info: Info, pk: int) -> OutcomeMeasure | None:
    """A measure exists for those who may see its problem."""
    from backend.api.problems import fetch_problem

    found = await models.OutcomeMeasure.get_or_none(id=pk)
    measure = await reached_through(info, found, fetch_problem, lambda measure: measure.problem_id)
    return OutcomeMeasure.of(measure) if measure else None


@strawberry.input
class DefineOutcomeMeasureInput(MeasureTerms, ProblemRefInput):
    """The problem, then the measure's terms: a dataclass lays out its last base's fields first."""


@strawberry.input
class RecordOutcomeReadingInput:
    measure_id: strawberry.ID
    value: float
    observed_on: date
    note: str | None = None


@strawberry.input
class CloseProblemInput(ProblemRefInput):
    outcome: ResolutionOutcome
    summary: str


@strawberry.input
class ReviewResolutionInput(ProblemRefInput):
    agrees: bool
    comment: str | None = None


def _problem_answer() -> Answer[models.Problem, ProblemPayload]:
    from backend.api.problems import problem_answer

    return problem_answer


measure_answer = Answer(OutcomeMeasurePayload, OutcomeMeasure.of)


@strawberry.type
class OutcomeMutations:
    define_outcome_measure = measure_answer.mutation(
        outcomes.define_measure,
        DefineOutcomeMeasureInput,
        description=(
            "A measure of the problem's outcome: by the owner's members, the area's coordinators "
            "and the leads of a group working on it, while it is being worked on."
        ),
    )
    record_outcome_reading = measure_answer.mutation(
        outcomes.record_reading,
        RecordOutcomeReadingInput,
        description="A reading of a measure on a day; one per day (CONFLICT for a second).",
    )

    # ProblemPayload is made in backend.api.problems, which builds on this module.
    @strawberry.mutation(
        description="Close the problem as resolved or not: by the owner's members or the area's coordinators."
    )
    async def close_problem(self, info: Info, input: CloseProblemInput) -> LazyProblemPayload:
        return await _problem_answer()(
            info, lambda actor, now: outcomes.close(actor, **given(input), now=now)
        )

    @strawberry.mutation(
        description=(
            "Agree or disagree with how the problem was closed: its proposer, supporters and "
            "followers, once each (a second review replaces the first)."
        )
    )
    async def review_resolution(self, info: Info, input: ReviewResolutionInput) -> LazyProblemPayload:
        return await _problem_answer()(
            info, lambda actor, now: outcomes.review(actor, **given(input), now=now)
        )
