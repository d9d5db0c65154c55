"""Checks on input that name the field at fault."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from backend.errors import Invalid

# Control characters (CR, LF, NEL, tab among them), line and paragraph separators.
SINGLE_LINE_BREAKERS = frozenset({"Cc", "Zl", "Zp"})


def text(value: str, field: str, *, max_length: int, min_length: int = 1, multiline: bool = False) -> str:
    cleaned = value.strip()
    if len(cleaned) < min_length:
        raise Invalid(
            "must not be empty" if min_length == 1 else f"must be at least {min_length} characters",
            field=field,
        )
    if len(cleaned) > max_length:
        raise Invalid(f"must be at most {max_length} characters", field=field)
    if multiline:
        if any(unicodedata.category(c) == "Cc" and c not in {"\n", "\t"} for c in cleaned):
            raise Invalid("must not contain control characters", field=field)
    # A single line lands in mail subjects and page titles, where a line break of any kind
    # (U+2028 and U+2029 too, which are not control characters) would end the line early.
    elif any(unicodedata.category(c) in SINGLE_LINE_BREAKERS for c in cleaned):
        raise Invalid("must be one line, without line breaks or control characters", field=field)
    return cleaned


def email(value: str, field: str = "email") -> str:
    if len(value) > 254:
        raise Invalid("is not a valid email address", field=field)
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise Invalid(f"is not a valid email address: {error}", field=field) from None
    return checked.normalized.lower()


def password(value: str, field: str = "password") -> str:
    if len(value) < 10:
        raise Invalid("must be at least 10 characters", field=field)
    if len(value) > 256:
        raise Invalid("must be at most 256 characters", field=field)
    return value


def whole_number(value: int, field: str, *, minimum: int, maximum: int) -> int:
    if not minimum <= value <= maximum:
        raise Invalid(f"must be between {minimum} and {maximum}", field=field)
    return value
