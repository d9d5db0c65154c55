"""Every mutation answers with a payload: what it made, or the expected failure in `errors`."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from backend.api.errors import UserError
from backend.errors import DomainError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
P = TypeVar("P", bound="DataclassInstance")


def failed(payload: type[P], error: DomainError) -> P:
    """The payload of a failure: nothing made, only the error, or each fault of the input."""
    # Payload types are dataclasses whose fields besides `errors` all hold what was made.
    nothing = {field.name: None for field in dataclasses.fields(payload) if field.name != "errors"}
    make: Callable[..., P] = payload
    return make(**nothing, errors=[UserError.of(fault) for fault in error.each()])


async def outcome(payload: type[P], act: Callable[[], Awaitable[T]], made: Callable[[T], P]) -> P:
    """Runs a mutation's service call and makes its payload: `made` of what the call returns,
    or the expected failure. The call's IDs are decoded inside `act`, so a bad one is an error
    in the payload too."""
    try:
        result = await act()
    except DomainError as error:
        return failed(payload, error)
    return made(result)
