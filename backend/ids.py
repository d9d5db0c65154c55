"""Opaque global IDs: "Type:pk", base64url-encoded. Clients never parse them."""

from __future__ import annotations

import base64
import binascii

from backend.errors import Invalid

# Every table's primary key is a 32-bit integer; a larger number names nothing, and
# PostgreSQL refuses to compare a 32-bit column with it.
MAX_PK = 2**31 - 1


# What each kind of ID names, in the words people use.
DESCRIPTIONS = {
    "Action": "an action",
    "AnswerTemplate": "an answer template",
    "Area": "an area",
    "Comment": "a comment",
    "GroupMembership": "a membership of a working group",
    "Notification": "a notification",
    "Organisation": "an organisation",
    "OutcomeMeasure": "an outcome measure",
    "OutcomeReading": "a reading of an outcome measure",
    "Problem": "a problem",
    "ProblemResponse": "an official response",
    "Session": "a session or API token",
    "TaskAssignment": "a place on a volunteer task",
    "User": "a person",
    "VolunteerTask": "a volunteer task",
    "WorkingGroup": "a working group",
}


def encode(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def parse(global_id: str) -> tuple[str, int] | None:
    if len(global_id) > 100:
        return None
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, _, pk = raw.partition(":")
    # ASCII digits only ("²".isdigit() is true), in the one spelling `encode` produces.
    if not type_name or not (pk.isascii() and pk.isdigit()) or pk != str(int(pk)) or int(pk) > MAX_PK:
        return None
    return type_name, int(pk)


def pk_of(global_id: str, type_name: str) -> int | None:
    """The primary key behind an ID of the expected type; None for anything else."""
    parsed = parse(global_id)
    return parsed[1] if parsed is not None and parsed[0] == type_name else None


def decode(global_id: str, type_name: str, field: str) -> int:
    """The primary key behind an ID of the expected type, or INVALID naming the field."""
    pk = pk_of(global_id, type_name)
    if pk is None:
        described = DESCRIPTIONS.get(type_name, type_name)
        if not global_id.strip():
            raise Invalid(f"Choose {described}", field=field)
        raise Invalid(f"No {described.removeprefix('a ').removeprefix('an ')} has that ID", field=field)
    return pk


def decode_optional(global_id: str | None, type_name: str, field: str) -> int | None:
    return None if global_id is None else decode(global_id, type_name, field)
