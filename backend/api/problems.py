from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

import strawberry
from strawberry.dataloader import DataLoader

from backend import ids, models
from backend.api import references
from backend.api.areas import Area
from backend.api.context import Info, ValueOrAwaitable, settled
from backend.api.enums import (
    CorrectionKind,
    DeclineReason,
    ProblemCategory,
    ProblemInvolvement,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    Visibility,
)
from backend.api.errors import UserError, refused_as_public
from backend.api.loaders import load_ahead
from backend.api.node import Identified, Node, fetches_node, node_id, reached_through
from backend.api.objects import copied
from backend.api.on_problem import viewer_may
from backend.api.organisations import Organisation
from backend.api.outcomes import ProblemOutcomes, ProblemRefInput
from backend.api.pagination import Connection, paginate, paginate_in_order, paginate_listed
from backend.api.payloads import Answer
from backend.api.problem_groups import ProblemWorkingGroups
from backend.api.selections import asked
from backend.services import problems
from backend.services.actors import Actor
from backend.services.standing import standing_of


@strawberry.type
class GeoPoint:
    latitude: float
    longitude: float


@strawberry.type
class Authored:
    """Words someone wrote on a problem: a comment, an official response, a correction of one,
    an update."""

    model: strawberry.Private[
        models.Comment | models.ProblemResponse | models.ResponseCorrection | models.ProblemUpdate
    ]

    author = references.person_field("author_id")


@strawberry.type(description="A correction of an official response: its text put right, or a note under it.")
class ResponseCorrection(Authored, Identified):
    model: strawberry.Private[models.ResponseCorrection]
    id: strawberry.ID
    kind: CorrectionKind
    body: str = strawberry.field(description="The corrected text (TEXT), or the note (NOTE).")
    created_at: datetime

    organisation = references.organisation_field(
        "organisation_id", "The organisation the author corrected for; null for a coordinator."
    )


@strawberry.type
class ProblemResponse(Authored):
    model: strawberry.Private[models.ProblemResponse]
    id: strawberry.ID
    decision: ResponseDecision
    reason_code: DeclineReason | None
    body: str
    created_at: datetime
    corrected_at: datetime | None = strawberry.field(
        description="When its text was last corrected (within the correction window); null when never."
    )

    # The problem it answers, at hand where the response is listed: the rights need its area.
    problem: strawberry.Private[models.Problem]

    @classmethod
    def of(cls, response: models.ProblemResponse, problem: models.Problem) -> ProblemResponse:
        return copied(
            cls, response, id=node_id("ProblemResponse", response.id), model=response, problem=problem
        )

    @strawberry.field(description="Its corrections, oldest first: text corrections and notes under it.")
    async def corrections(self, info: Info) -> list[ResponseCorrection]:
        found = await info.context.loaders.corrections_of_response.load(self.model.id)
        return [ResponseCorrection.of(correction) for correction in found]

    @strawberry.field(
        description="Until when its text may be corrected in place; a note may be added at any time."
    )
    def text_correctable_until(self) -> datetime:
        return problems.text_correctable_until(self.model)

    async def _viewer_may(self, info: Info, text: bool) -> bool:
        area = await references.row(info.context.loaders.area, self.problem.area_id)
        standing = await standing_of(info.context.actor)
        if text:
            return problems.may_correct_text(standing, self.model, area, info.context.now)
        return problems.may_correct(standing, self.model, area)

    @strawberry.field(
        description="Whether the viewer may add a correction note under it (addResponseCorrectionNote)."
    )
    async def viewer_can_correct(self, info: Info) -> bool:
        return await self._viewer_may(info, text=False)

    @strawberry.field(
        description="Whether the viewer may correct its text now, within the window (correctProblemResponse)."
    )
    async def viewer_can_correct_text(self, info: Info) -> bool:
        return await self._viewer_may(info, text=True)

    organisation = references.organisation_field(
        "organisation_id", "The organisation the author answered for; null for a coordinator."
    )

    @strawberry.field
    async def referred_to(self, info: Info) -> Organisation | None:
        return await settled(references.organisation_or_none(info, self.model.referred_to_id))

    @strawberry.field
    async def duplicate_of(self, info: Info) -> Problem | None:
        if self.model.duplicate_of_id is None:
            return None
        return await fetch_problem(info, self.model.duplicate_of_id)


@strawberry.type
class ProblemUpdate(Authored, Identified):
    model: strawberry.Private[models.ProblemUpdate]
    id: strawberry.ID
    body: str
    created_at: datetime

    organisation = references.organisation_field("organisation_id")


@strawberry.type
class Comment(Authored, Node):
    model: strawberry.Private[models.Comment]
    body: str
    created_at: datetime


@strawberry.type
class Problem(ProblemOutcomes, ProblemWorkingGroups, Node):
    model: strawberry.Private[models.Problem]
    title: str
    description: str
    category: ProblemCategory
    status: ProblemStatus
    stage: SaraStage
    visibility: Visibility
    created_at: datetime
    updated_at: datetime
    response_due_at: datetime
    first_responded_at: datetime | None
    support_count: int
    follower_count: int
    comment_count: int

    def _viewer_among(self, info: Info, people: DataLoader[tuple[int, int], bool]) -> ValueOrAwaitable[bool]:
        """Whether the viewer is among the problem's supporters (or followers): at once for an
        anonymous visitor, the board's usual reader."""
        user = info.context.actor.user
        return False if user is None else people.load((user.id, self.model.id))

    @strawberry.field(graphql_type=Area)
    def area(self, info: Info) -> ValueOrAwaitable[Area]:
        return references.area(info, self.model.area_id)

    @strawberry.field(
        description="Shown to the public rounded to about 100 m; exact to the owner and coordinators.",
        graphql_type=GeoPoint | None,
    )
    def location(self, info: Info) -> ValueOrAwaitable[GeoPoint | None]:
        latitude, longitude = self.model.latitude, self.model.longitude
        if latitude is None or longitude is None:
            return None
        if info.context.actor.user is None:
            # Only the proposer and those who answer for the problem see the exact spot: never
            # an anonymous visitor, whose rounded point needs nothing loaded.
            latitude, longitude = problems.public_location(latitude, longitude)
            return GeoPoint(latitude=latitude, longitude=longitude)
        return self._viewer_location(info, latitude, longitude)

    async def _viewer_location(self, info: Info, latitude: float, longitude: float) -> GeoPoint:
        standing = await standing_of(info.context.actor)
        if not problems.sees_exact_location(standing, self.model, await self._area(info)):
            latitude, longitude = problems.public_location(latitude, longitude)
        return GeoPoint(latitude=latitude, longitude=longitude)

    proposer = references.person_field("proposer_id")

    owner = references.organisation_field(
        "owner_id",
        "The organisation that must respond, from the area's routing rules; "
        "null when the area's coordinators respond.",
    )

    @strawberry.field
    def is_response_overdue(self, info: Info) -> bool:
        return problems.is_response_overdue(self.model, info.context.now)

    @strawberry.field(graphql_type=bool)
    def viewer_supports(self, info: Info) -> ValueOrAwaitable[bool]:
        return self._viewer_among(info, info.context.loaders.supported_by)

    @strawberry.field(graphql_type=bool)
    def viewer_follows(self, info: Info) -> ValueOrAwaitable[bool]:
        return self._viewer_among(info, info.context.loaders.followed_by)

    viewer_can_respond = viewer_may(
        problems.may_respond,
        "Whether the viewer may give the official response now: they answer for the problem "
        "and it awaits one. The same rule respondToProblem applies.",
    )
    viewer_can_set_stage = viewer_may(
        problems.may_set_stage,
        "Whether the viewer may move the problem through the SARA stages now (setProblemStage).",
    )
    viewer_can_post_update = viewer_may(
        problems.may_post_update, "Whether the viewer may post an update on the problem (postProblemUpdate)."
    )

    @strawberry.field(description="Whether the viewer may hide comments on the problem (hideComment).")
    async def viewer_can_moderate(self, info: Info) -> bool:
        return problems.may_hide_comments(await standing_of(info.context.actor), await self._area(info))

    @strawberry.field(
        description=(
            "The organisation the viewer's responses and updates speak for: the owner, when the "
            "viewer is its member; null otherwise (a coordinator answers for the area)."
        )
    )
    async def viewer_speaks_for(self, info: Info) -> Organisation | None:
        standing = await standing_of(info.context.actor)
        return await settled(
            references.organisation_or_none(info, problems.answering_organisation(standing, self.model))
        )

    @strawberry.field(description="The official responses, oldest first: the problem's public history.")
    async def responses(self, info: Info) -> list[ProblemResponse]:
        responses = await info.context.loaders.responses_of_problem.load(self.model.id)
        await _load_authors_ahead(info, responses, asked(info))
        return [ProblemResponse.of(r, self.model) for r in responses]

    @strawberry.field
    async def updates(self, info: Info) -> list[ProblemUpdate]:
        updates = await info.context.loaders.updates_of_problem.load(self.model.id)
        await _load_authors_ahead(info, updates, asked(info))
        return [ProblemUpdate.of(u) for u in updates]

    @strawberry.field(description="Comments, oldest first; hidden comments are left out.")
    async def comments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Comment]:
        page = await paginate_in_order(problems.SHOWN_COMMENTS, [self.model.id], first=first, after=after)
        await _load_authors_ahead(info, page.rows, asked(info, "edges", "node"))
        return Connection.of(page, Comment.of)


async def _load_authors_ahead(
    info: Info,
    rows: Sequence[models.Comment | models.ProblemResponse | models.ProblemUpdate],
    fields: frozenset[str],
) -> None:
    """The authors (and the organisations they spoke for) of a list of posts, loaded for the
    whole list."""
    loaders = info.context.loaders
    await load_ahead(
        rows,
        fields,
        ("author", loaders.user, "author_id"),
        ("organisation", loaders.organisation, "organisation_id"),
    )


@strawberry.type
class ProblemPayload:
    problem: Problem | None
    errors: list[UserError]


@strawberry.type
class CommentPayload:
    comment: Comment | None
    errors: list[UserError]


@fetches_node("Problem")
async def fetch_problem(info: Info, pk: int) -> Problem | None:
    found = await info.context.loaders.problem_in_place.load(pk)
    if found is None:
        return None
    problem, area = found
    if not problems.may_see(await standing_of(info.context.actor), problem, area):
        return None
    return Problem.of(problem)


@fetches_node("Comment")
async def fetch_comment(info: Info, pk: int) -> Comment | None:
    """A comment exists for those who may see its problem, while it is not hidden."""
    found = await models.Comment.get_or_none(id=pk, hidden_at__isnull=True)
    comment = await reached_through(info, found, fetch_problem, lambda comment: comment.problem_id)
    return Comment.of(comment) if comment else None


@strawberry.input
class ProblemFilter:
    area_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Owned by this organisation: it must answer them now, or answered them."
    )
    statuses: list[ProblemStatus] | None = None
    categories: list[ProblemCategory] | None = None
    search: str | None = None
    response_overdue: bool | None = None
    proposed_since: date | None = strawberry.field(
        default=None, description="Proposed on this day or later (the period of the accountability figures)."
    )
    referred: bool | None = strawberry.field(
        default=None,
        description="Passed on to another organisation at least once (AccountabilityStats.referred).",
    )
    answer_due: bool | None = strawberry.field(
        default=None,
        description="Answered, or overdue: what AccountabilityStats.respondedWithinTarget is out of.",
    )
    answered_on_time: bool | None = strawberry.field(
        default=None,
        description="Answered by the day it was due then (AccountabilityStats.respondedWithinTarget).",
    )
    decline_reasons: list[DeclineReason] | None = strawberry.field(
        default=None, description="Declined for one of these reasons."
    )


@strawberry.enum
class ProblemOrder(StrEnum):
    NEWEST = "NEWEST"
    MOST_SUPPORTED = "MOST_SUPPORTED"
    RESPONSE_DUE = "RESPONSE_DUE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"


async def involvement_connection(
    info: Info,
    involvement: ProblemInvolvement,
    first: int | None,
    after: str | None,
) -> Connection[Problem]:
    """The viewer's own problems (`Viewer.problems`), under the read rule, paged in SQL."""
    listed = await problems.involving(info.context.actor, involvement)
    page = await paginate(listed, keys=("id",), first=first, after=after, descending=True)
    return Connection.of(page, Problem.of)


# Each order's sort keys (the id last, to break ties) and direction.
ORDERS: dict[ProblemOrder, tuple[tuple[str, ...], bool]] = {
    ProblemOrder.NEWEST: (("id",), True),
    ProblemOrder.MOST_SUPPORTED: (("support_count", "id"), True),
    # Those still owed an answer first, soonest due first; then the answered ones.
    ProblemOrder.RESPONSE_DUE: (("answered", "response_due_at", "id"), False),
    ProblemOrder.RECENTLY_UPDATED: (("updated_at", "id"), True),
}


@strawberry.input
class ProposeProblemInput:
    area_id: strawberry.ID
    title: str
    description: str
    category: ProblemCategory
    visibility: Visibility | None = None
    latitude: float | None = None
    longitude: float | None = None


@strawberry.input
class CommentOnProblemInput(ProblemRefInput):
    body: str


@strawberry.input
class RespondToProblemInput(ProblemRefInput):
    decision: ResponseDecision
    body: str
    reason_code: DeclineReason | None = strawberry.field(default=None, description="Required when declining.")
    refer_to_organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required when referring."
    )
    duplicate_of_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required when marking a duplicate."
    )


@strawberry.input
class CorrectResponseInput:
    response_id: strawberry.ID
    body: str = strawberry.field(description="The corrected text, or the correction note.")


@strawberry.input
class PostProblemUpdateInput(ProblemRefInput):
    body: str


@strawberry.input
class SetProblemStageInput(ProblemRefInput):
    stage: SaraStage


@strawberry.input
class HideCommentInput:
    comment_id: strawberry.ID
    reason: str


@strawberry.type
class ProblemQueries:
    @strawberry.field(
        description=(
            "Problems the caller may see. `first` is capped (at most 100); a larger value is an error, "
            "never a larger page."
        )
    )
    async def problems(
        self,
        info: Info,
        filter: ProblemFilter | None = None,
        order_by: ProblemOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Problem]:
        given = filter or ProblemFilter()
        with refused_as_public(under="filter."):
            criteria = problems.ProblemFilter(
                area_id=ids.decode_optional(given.area_id, "Area", "areaId"),
                statuses=given.statuses,
                categories=given.categories,
                search=given.search,
                response_overdue=given.response_overdue,
                owner_id=ids.decode_optional(given.owner_id, "Organisation", "ownerId"),
                proposed_since=given.proposed_since,
                referred=given.referred,
                answer_due=given.answer_due,
                answered_on_time=given.answered_on_time,
                decline_reasons=given.decline_reasons,
            )
            listed = await problems.listing(info.context.actor, criteria, now=info.context.now)
        keys, descending = ORDERS[order_by or ProblemOrder.NEWEST]
        page = await paginate_listed(listed.ordered(keys, descending=descending), first=first, after=after)
        loaders = info.context.loaders
        # What the board shows of each problem, loaded for the whole page.
        references = (
            ("area", loaders.area, "area_id"),
            ("owner", loaders.organisation, "owner_id"),
            ("proposer", loaders.user, "proposer_id"),
        )
        await load_ahead(page.rows, asked(info, "edges", "node"), *references)
        return Connection.of(page, Problem.of)

    @strawberry.field
    async def problem(self, info: Info, id: strawberry.ID) -> Problem | None:
        pk = ids.pk_of(id, "Problem")
        return None if pk is None else await fetch_problem(info, pk)


problem_answer = Answer(ProblemPayload, Problem.of)
comment_answer = Answer(CommentPayload, Comment.of)


@strawberry.type
class ProblemMutations:
    propose_problem = problem_answer.mutation(
        problems.propose, ProposeProblemInput, defaults={"visibility": Visibility.PUBLIC}
    )
    support_problem = problem_answer.mutation(
        problems.support,
        ProblemRefInput,
        description="Support a problem: one support per person, counted.",
    )
    withdraw_support = problem_answer.mutation(problems.withdraw_support, ProblemRefInput)
    follow_problem = problem_answer.mutation(problems.follow, ProblemRefInput)
    unfollow_problem = problem_answer.mutation(problems.unfollow, ProblemRefInput)
    comment_on_problem = comment_answer.mutation(problems.comment, CommentOnProblemInput)
    respond_to_problem = problem_answer.mutation(
        problems.respond,
        RespondToProblemInput,
        description=(
            "The official answer owed to every proposal: by the owner organisation's members "
            "or the area's coordinators."
        ),
        renamed={"refer_to_organisation_id": "refer_to_id"},
    )
    post_problem_update = problem_answer.mutation(problems.post_update, PostProblemUpdateInput)
    set_problem_stage = problem_answer.mutation(problems.set_stage, SetProblemStageInput)
    hide_comment = problem_answer.mutation(problems.hide_comment, HideCommentInput)
    correct_problem_response = problem_answer.mutation(
        problems.correct_text,
        CorrectResponseInput,
        description=(
            "Correct the text of an official response, within the correction window after it was "
            "published; it is marked as corrected. The decision stays as it was."
        ),
    )
    add_response_correction_note = problem_answer.mutation(
        problems.add_note,
        CorrectResponseInput,
        description=(
            "Add a correction note under an official response; the response and its decision "
            "stay as they were."
        ),
    )


async def response_queue(actor: Actor, first: int | None, after: str | None) -> Connection[Problem]:
    """The viewer's work queue, most pressing first (see `problems.queue`)."""
    queue = await problems.response_queue(actor)
    page = await paginate(queue, keys=problems.QUEUE_ORDER, first=first, after=after)
    return Connection.of(page, Problem.of)


@strawberry.type(
    description="How many proposals await the viewer's answer, and how many of those are overdue."
)
class ResponseQueueCounts:
    awaiting: int
    overdue: int

    @classmethod
    def of(cls, counts: problems.QueueCounts) -> ResponseQueueCounts:
        return cls(awaiting=counts.awaiting, overdue=counts.overdue)
