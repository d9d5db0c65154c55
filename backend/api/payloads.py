"""Every mutation answers with a payload: what it made, or the expected failure in `errors`."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import strawberry

from backend import ids
from backend.api.context import Info
from backend.api.errors import UserError
from backend.errors import DomainError
from backend.services.actors import Actor

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
P = TypeVar("P", bound="DataclassInstance")

Act = Callable[[Actor, datetime], Awaitable[T]]
"""A mutation's service call, given the person acting and the request's clock."""


def failed(payload: type[P], error: DomainError) -> P:
    """The payload of a failure: nothing made, only the error, or each fault of the input."""
    # Payload types are dataclasses whose fields besides `errors` all hold what was made.
    nothing = {field.name: None for field in dataclasses.fields(payload) if field.name != "errors"}
    make: Callable[..., P] = payload
    return make(**nothing, errors=[UserError.of(fault) for fault in error.each()])


async def outcome(info: Info, payload: type[P], act: Act[T], made: Callable[[T], P]) -> P:
    """Runs a mutation's service call as the request's actor at the request's `now`, and makes
    its payload: `made` of what the call returns, or the expected failure. The call's IDs are
    decoded inside `act`, so a bad one is an error in the payload too."""
    context = info.context
    try:
        result = await act(context.actor, context.now)
    except DomainError as error:
        return failed(payload, error)
    return made(result)


def succeeded(payload: type[P], shown: object) -> P:
    """The payload of a success: `shown` in its one field besides `errors`."""
    (field,) = (field.name for field in dataclasses.fields(payload) if field.name != "errors")
    make: Callable[..., P] = payload
    return make(**{field: shown}, errors=[])


@dataclasses.dataclass(frozen=True)
class Answer(Generic[T, P]):
    """How the mutations that make or change one kind of thing answer: with `payload`, whose
    one field besides `errors` shows what the act returned as `shown` makes it.

        group_answer = Answer(WorkingGroupPayload, WorkingGroup.of)
        ...
        return await group_answer(info, lambda actor, now: working_groups.close(actor, ...))
    """

    payload: type[P]
    shown: Callable[[T], object]

    async def __call__(self, info: Info, act: Act[T]) -> P:
        return await outcome(info, self.payload, act, self.made)

    def made(self, result: T) -> P:
        return succeeded(self.payload, self.shown(result))

    def mutation(
        self,
        service: Callable[..., Awaitable[T]],
        input: type[DataclassInstance],
        /,
        *,
        description: str | None = None,
        defaults: Mapping[str, object] | None = None,
        renamed: Mapping[str, str] | None = None,
    ) -> Any:
        """A mutation taking `input` that answers with what `service` returns, called as the
        actor with the input's fields as `given` passes them, and at the request's `now` when
        the service keeps time."""
        _known_ids(input)
        # Acts that record no time take no `now`; the rest are all given the request's clock.
        timed = "now" in inspect.signature(service).parameters

        async def resolve(info: Info, input: DataclassInstance) -> P:
            def act(actor: Actor, now: datetime) -> Awaitable[T]:
                clock = {"now": now} if timed else {}
                return service(actor, **given(input, defaults, renamed=renamed), **clock)

            return await self(info, act)

        # Strawberry reads the argument and result types from the resolver's annotations.
        resolve.__annotations__ = {"info": Info, "input": input, "return": self.payload}
        return strawberry.mutation(resolver=resolve, description=description)


# What each ID field of a mutation's input names: the same in every input, so that `given`
# decodes them all. A new kind of ID field is added here.
ID_KINDS = {
    "action_id": "Action",
    "answer_template_id": "AnswerTemplate",
    "area_id": "Area",
    "assignment_id": "TaskAssignment",
    "comment_id": "Comment",
    "duplicate_of_id": "Problem",
    "group_id": "WorkingGroup",
    "home_area_id": "Area",
    "measure_id": "OutcomeMeasure",
    "membership_id": "GroupMembership",
    "organisation_id": "Organisation",
    "parent_id": "Area",
    "problem_id": "Problem",
    "refer_to_organisation_id": "Organisation",
    "response_id": "ProblemResponse",
    "session_id": "Session",
    "task_id": "VolunteerTask",
    "user_id": "User",
}


def given(
    input: DataclassInstance,
    /,
    defaults: Mapping[str, object] | None = None,
    *,
    renamed: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A mutation input's fields as its service's keywords, each under its own name or the
    service's name for it in `renamed`: the ID fields decoded as `ID_KINDS` says (a bad one is
    INVALID naming the field as the client spells it), and a field left null given its value
    in `defaults`. Call it inside the act, so that a bad ID is an error in the payload."""
    _known_ids(input)
    fallback = defaults or {}
    names = renamed or {}
    keywords: dict[str, Any] = {}
    for field in dataclasses.fields(input):
        value = getattr(input, field.name)
        if field.name in ID_KINDS:
            value = ids.decode_optional(value, ID_KINDS[field.name], _camel(field.name))
        keywords[names.get(field.name, field.name)] = fallback.get(field.name) if value is None else value
    return keywords


def _known_ids(input: DataclassInstance | type[DataclassInstance]) -> None:
    # An ID field passed on undecoded would reach the service as the client's string.
    unknown = [f.name for f in dataclasses.fields(input) if f.name.endswith("_id") and f.name not in ID_KINDS]
    if unknown:
        raise LookupError(f"{type(input).__name__}: add {', '.join(unknown)} to ID_KINDS")


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)
