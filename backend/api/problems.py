from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Protocol

import strawberry
from strawberry.dataloader import DataLoader

from backend import errors, ids, models
from backend.api import references
from backend.api.areas import Area
from backend.api.context import Info
from backend.api.enums import (
    DeclineReason,
    ProblemCategory,
    ProblemInvolvement,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    Visibility,
)
from backend.api.errors import PublicError, UserError
from backend.api.node import Node, fetches_node, node_id
from backend.api.objects import copied
from backend.api.organisations import Organisation
from backend.api.outcomes import ProblemOutcomes
from backend.api.pagination import Connection, paginate
from backend.api.payloads import Act, outcome
from backend.api.problem_groups import ProblemWorkingGroups
from backend.services import problems
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of

if TYPE_CHECKING:
    from backend.api.accounts import User


@strawberry.type
class GeoPoint:
    latitude: float
    longitude: float


@strawberry.type
class ProblemResponse:
    model: strawberry.Private[models.ProblemResponse]
    id: strawberry.ID
    decision: ResponseDecision
    reason_code: DeclineReason | None
    body: str
    created_at: datetime

    @classmethod
    def of(cls, response: models.ProblemResponse) -> ProblemResponse:
        return copied(cls, response, id=node_id("ProblemResponse", response.id), model=response)

    @strawberry.field
    async def author(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await references.user(info, self.model.author_id)

    @strawberry.field(description="The organisation the author answered for; null for a coordinator.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await references.organisation_or_none(info, self.model.organisation_id)

    @strawberry.field
    async def referred_to(self, info: Info) -> Organisation | None:
        return await references.organisation_or_none(info, self.model.referred_to_id)

    @strawberry.field
    async def duplicate_of(self, info: Info) -> Problem | None:
        if self.model.duplicate_of_id is None:
            return None
        return await fetch_problem(info, self.model.duplicate_of_id)


@strawberry.type
class ProblemUpdate:
    model: strawberry.Private[models.ProblemUpdate]
    id: strawberry.ID
    body: str
    created_at: datetime

    @classmethod
    def of(cls, update: models.ProblemUpdate) -> ProblemUpdate:
        return copied(cls, update, id=node_id("ProblemUpdate", update.id), model=update)

    @strawberry.field
    async def author(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await references.user(info, self.model.author_id)

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        return await references.organisation_or_none(info, self.model.organisation_id)


@strawberry.type
class Comment(Node):
    model: strawberry.Private[models.Comment]
    body: str
    created_at: datetime

    @classmethod
    def of(cls, comment: models.Comment) -> Comment:
        return copied(cls, comment, id=node_id("Comment", comment.id), model=comment)

    @strawberry.field
    async def author(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await references.user(info, self.model.author_id)


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

    @classmethod
    def of(cls, problem: models.Problem) -> Problem:
        return copied(cls, problem, id=node_id("Problem", problem.id), model=problem)

    async def _area(self, info: Info) -> models.Area:
        area = await info.context.loaders.area.load(self.model.area_id)
        assert area is not None
        return area

    async def _viewer_may(
        self, info: Info, rule: Callable[[Standing, models.Problem, models.Area], bool]
    ) -> bool:
        """Whether the viewer passes `rule` on this problem, as the mutation it guards checks it."""
        return rule(await standing_of(info.context.actor), self.model, await self._area(info))

    async def _viewer_among(self, info: Info, people: DataLoader[tuple[int, int], bool]) -> bool:
        """Whether the viewer is among the problem's supporters (or followers)."""
        user = info.context.actor.user
        return user is not None and await people.load((user.id, self.model.id))

    @strawberry.field
    async def area(self, info: Info) -> Area:
        return await references.area(info, self.model.area_id)

    @strawberry.field(
        description="Shown to the public rounded to about 100 m; exact to the owner and coordinators."
    )
    async def location(self, info: Info) -> GeoPoint | None:
        latitude, longitude = self.model.latitude, self.model.longitude
        if latitude is None or longitude is None:
            return None
        standing = await standing_of(info.context.actor)
        if not problems.sees_exact_location(standing, self.model, await self._area(info)):
            latitude, longitude = problems.public_location(latitude, longitude)
        return GeoPoint(latitude=latitude, longitude=longitude)

    @strawberry.field
    async def proposer(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await references.user(info, self.model.proposer_id)

    @strawberry.field(
        description=(
            "The organisation that must respond, from the area's routing rules; "
            "null when the area's coordinators respond."
        )
    )
    async def owner(self, info: Info) -> Organisation | None:
        return await references.organisation_or_none(info, self.model.owner_id)

    @strawberry.field
    def is_response_overdue(self, info: Info) -> bool:
        return problems.is_response_overdue(self.model, info.context.now)

    @strawberry.field
    async def viewer_supports(self, info: Info) -> bool:
        return await self._viewer_among(info, info.context.loaders.supported_by)

    @strawberry.field
    async def viewer_follows(self, info: Info) -> bool:
        return await self._viewer_among(info, info.context.loaders.followed_by)

    @strawberry.field(
        description=(
            "Whether the viewer may give the official response now: they answer for the problem "
            "and it awaits one. The same rule respondToProblem applies."
        )
    )
    async def viewer_can_respond(self, info: Info) -> bool:
        return await self._viewer_may(info, problems.may_respond)

    @strawberry.field(
        description="Whether the viewer may move the problem through the SARA stages now (setProblemStage)."
    )
    async def viewer_can_set_stage(self, info: Info) -> bool:
        return await self._viewer_may(info, problems.may_set_stage)

    @strawberry.field(description="Whether the viewer may post an update on the problem (postProblemUpdate).")
    async def viewer_can_post_update(self, info: Info) -> bool:
        return await self._viewer_may(info, problems.may_post_update)

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
        return await references.organisation_or_none(
            info, problems.answering_organisation(standing, self.model)
        )

    @strawberry.field(description="The official responses, oldest first: the problem's public history.")
    async def responses(self, info: Info) -> list[ProblemResponse]:
        return [
            ProblemResponse.of(r) for r in await info.context.loaders.responses_of_problem.load(self.model.id)
        ]

    @strawberry.field
    async def updates(self, info: Info) -> list[ProblemUpdate]:
        return [
            ProblemUpdate.of(u) for u in await info.context.loaders.updates_of_problem.load(self.model.id)
        ]

    @strawberry.field(description="Comments, oldest first; hidden comments are left out.")
    async def comments(self, first: int | None = None, after: str | None = None) -> Connection[Comment]:
        page = await paginate(problems.shown_comments(self.model.id), keys=("id",), first=first, after=after)
        return Connection.of(page, Comment.of)


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
    problem = await info.context.loaders.problem.load(pk)
    if problem is None:
        return None
    area = await info.context.loaders.area.load(problem.area_id)
    assert area is not None
    if not problems.may_see(await standing_of(info.context.actor), problem, area):
        return None
    return Problem.of(problem)


@fetches_node("Comment")
async def fetch_comment(info: Info, pk: int) -> Comment | None:
    """A comment exists for those who may see its problem, while it is not hidden."""
    comment = await models.Comment.get_or_none(id=pk, hidden_at__isnull=True)
    if comment is None or await fetch_problem(info, comment.problem_id) is None:
        return None
    return Comment.of(comment)


@strawberry.input
class ProblemFilter:
    area_id: strawberry.ID | None = None
    statuses: list[ProblemStatus] | None = None
    categories: list[ProblemCategory] | None = None
    search: str | None = None
    response_overdue: bool | None = None


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
class ProblemRefInput:
    """Any input that names a problem."""

    problem_id: strawberry.ID

    def problem(self) -> int:
        return ids.decode(self.problem_id, "Problem", "problemId")


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
        try:
            criteria = problems.ProblemFilter(
                area_id=ids.decode_optional(given.area_id, "Area", "areaId"),
                statuses=given.statuses,
                categories=given.categories,
                search=given.search,
                response_overdue=given.response_overdue,
            )
            listed = await problems.listing(info.context.actor, criteria, now=info.context.now)
        except errors.DomainError as error:
            raise PublicError(f"filter.{error.field}: {error.message}") from None
        keys, descending = ORDERS[order_by or ProblemOrder.NEWEST]
        page = await paginate(listed, keys=keys, first=first, after=after, descending=descending)
        return Connection.of(page, Problem.of)

    @strawberry.field
    async def problem(self, info: Info, id: strawberry.ID) -> Problem | None:
        pk = ids.pk_of(id, "Problem")
        return None if pk is None else await fetch_problem(info, pk)


async def _problem_outcome(info: Info, act: Act[models.Problem]) -> ProblemPayload:
    return await outcome(
        info, ProblemPayload, act, lambda problem: ProblemPayload(problem=Problem.of(problem), errors=[])
    )


class _ViewerStep(Protocol):
    def __call__(self, actor: Actor, *, problem_id: int, now: datetime) -> Awaitable[models.Problem]: ...


async def _viewer_step(info: Info, input: ProblemRefInput, step: _ViewerStep) -> ProblemPayload:
    """Supporting or following a problem, or undoing either: the viewer's own step on it."""
    return await _problem_outcome(info, lambda actor, now: step(actor, problem_id=input.problem(), now=now))


@strawberry.type
class ProblemMutations:
    @strawberry.mutation
    async def propose_problem(self, info: Info, input: ProposeProblemInput) -> ProblemPayload:
        return await _problem_outcome(
            info,
            lambda actor, now: problems.propose(
                actor,
                area_id=ids.decode(input.area_id, "Area", "areaId"),
                title=input.title,
                description=input.description,
                category=input.category,
                visibility=input.visibility or Visibility.PUBLIC,
                latitude=input.latitude,
                longitude=input.longitude,
                now=now,
            ),
        )

    @strawberry.mutation(description="Support a problem: one support per person, counted.")
    async def support_problem(self, info: Info, input: ProblemRefInput) -> ProblemPayload:
        return await _viewer_step(info, input, problems.support)

    @strawberry.mutation
    async def withdraw_support(self, info: Info, input: ProblemRefInput) -> ProblemPayload:
        return await _viewer_step(info, input, problems.withdraw_support)

    @strawberry.mutation
    async def follow_problem(self, info: Info, input: ProblemRefInput) -> ProblemPayload:
        return await _viewer_step(info, input, problems.follow)

    @strawberry.mutation
    async def unfollow_problem(self, info: Info, input: ProblemRefInput) -> ProblemPayload:
        return await _viewer_step(info, input, problems.unfollow)

    @strawberry.mutation
    async def comment_on_problem(self, info: Info, input: CommentOnProblemInput) -> CommentPayload:
        return await outcome(
            info,
            CommentPayload,
            lambda actor, now: problems.comment(actor, problem_id=input.problem(), body=input.body, now=now),
            lambda comment: CommentPayload(comment=Comment.of(comment), errors=[]),
        )

    @strawberry.mutation(
        description=(
            "The official answer owed to every proposal: by the owner organisation's members "
            "or the area's coordinators."
        )
    )
    async def respond_to_problem(self, info: Info, input: RespondToProblemInput) -> ProblemPayload:
        return await _problem_outcome(
            info,
            lambda actor, now: problems.respond(
                actor,
                problem_id=input.problem(),
                decision=input.decision,
                body=input.body,
                reason_code=input.reason_code,
                refer_to_id=ids.decode_optional(
                    input.refer_to_organisation_id, "Organisation", "referToOrganisationId"
                ),
                duplicate_of_id=ids.decode_optional(input.duplicate_of_id, "Problem", "duplicateOfId"),
                now=now,
            ),
        )

    @strawberry.mutation
    async def post_problem_update(self, info: Info, input: PostProblemUpdateInput) -> ProblemPayload:
        return await _problem_outcome(
            info,
            lambda actor, now: problems.post_update(
                actor, problem_id=input.problem(), body=input.body, now=now
            ),
        )

    @strawberry.mutation
    async def set_problem_stage(self, info: Info, input: SetProblemStageInput) -> ProblemPayload:
        return await _problem_outcome(
            info,
            lambda actor, now: problems.set_stage(
                actor, problem_id=input.problem(), stage=input.stage, now=now
            ),
        )

    @strawberry.mutation
    async def hide_comment(self, info: Info, input: HideCommentInput) -> ProblemPayload:
        return await _problem_outcome(
            info,
            lambda actor, now: problems.hide_comment(
                actor,
                comment_id=ids.decode(input.comment_id, "Comment", "commentId"),
                reason=input.reason,
                now=now,
            ),
        )
