"""Every mutation answers with a payload: what it made, or the expected failure in `errors`."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

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
