"""Expected failures of the domain; the API returns them as data, never as 500s."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    INVALID_STATE = "INVALID_STATE"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"


class DomainError(Exception):
    code: ErrorCode = ErrorCode.INVALID
    default_message = "The request could not be carried out."

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def each(self) -> list[DomainError]:
        """The faults this error stands for, each naming its own field."""
        return [self]


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED
    default_message = "You need to sign in to do that."


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN
    default_message = "You are not allowed to do that."


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND
    default_message = "Nothing was found with that ID."


class Invalid(DomainError):
    code = ErrorCode.INVALID


class InvalidInput(Invalid):
    """Every fault found in one input, reported together so it can be put right in one go."""

    def __init__(self, faults: list[DomainError]) -> None:
        self.faults = faults
        super().__init__(" ".join(fault.message for fault in faults), field=faults[0].field)

    def each(self) -> list[DomainError]:
        return list(self.faults)


class InvalidState(DomainError):
    code = ErrorCode.INVALID_STATE


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED
    default_message = "Too many attempts; wait a few minutes and try again."
