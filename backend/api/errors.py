from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import strawberry

from backend import errors
from backend.api.enums import ErrorCode
from graphql import GraphQLError


@strawberry.type(
    description="An expected failure of a mutation, returned as data; `field` names the input field at fault."
)
class UserError:
    field: str | None
    code: ErrorCode
    message: str

    @classmethod
    def of(cls, error: errors.DomainError) -> UserError:
        return cls(field=error.field, code=error.code, message=error.message)


class PublicError(GraphQLError):
    """A top-level error of a query the client should see as it is (never masked)."""


@contextmanager
def refused_as_public(*, under: str = "", field: str | None = None) -> Iterator[None]:
    """A read's expected failure as a top-level error: reads have no payload to carry it. The
    message names the field at fault (`field` when the failure names none), after `under`,
    the argument the field sits in."""
    try:
        yield
    except errors.DomainError as error:
        named = error.field or field
        raise PublicError(f"{under}{named}: {error.message}" if named else error.message) from None
