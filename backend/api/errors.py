from __future__ import annotations

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
