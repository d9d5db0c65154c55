"""Checks on input that name the field at fault."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

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


# zxcvbn's scale runs 0 to 4; 3 stands up to an attacker who stole the hashes and guesses offline.
SAFE_SCORE = 3
# zxcvbn measures at most this much; a longer password is judged by its start.
MEASURED_LENGTH = 72
_WORD = re.compile(r"[^\W\d_]{3,}")
# Letters people swap in for others ("R1ta"), read back as the letters.
_PLAIN = str.maketrans("0134578@$!|", "oieastbasil")


async def password(value: str, *, personal: Iterable[str] = (), field: str = "password") -> str:
    """A password that is long enough and hard to guess, also for someone who knows the person:
    common passwords, and ones built from the person's name, address or area, are refused."""
    if len(value) < 10:
        raise Invalid("must be at least 10 characters", field=field)
    if len(value) > 256:
        raise Invalid("must be at most 256 characters", field=field)
    words = sorted({w.lower() for text in personal for w in _WORD.findall(text)}, key=len, reverse=True)
    weakness = await asyncio.to_thread(_weakness, value[:MEASURED_LENGTH], words)
    if weakness:
        raise Invalid(
            f"is too easy to guess: {weakness} Try three or four words that do not go together.",
            field=field,
        )
    return value


def _weakness(value: str, personal_words: list[str]) -> str | None:
    """Why the password is easy to guess, in plain words; None when it is not."""
    judged = zxcvbn(value, user_inputs=personal_words, max_length=MEASURED_LENGTH)
    # What is left once the person's own words are taken out must stand on its own.
    plain = value.lower().translate(_PLAIN)
    remainder = plain
    for word in personal_words:
        remainder = remainder.replace(word, "")
    personal = "it is built from your name, email address or area."
    if remainder != plain and (
        len(remainder.strip()) < 10 or zxcvbn(remainder, max_length=MEASURED_LENGTH)["score"] < SAFE_SCORE
    ):
        return personal
    if judged["score"] < SAFE_SCORE:
        if any(match.get("dictionary_name") == "user_inputs" for match in judged["sequence"]):
            return personal
        return str(judged["feedback"]["warning"] or "many people use passwords like it.")
    return None


def whole_number(value: int, field: str, *, minimum: int, maximum: int) -> int:
    if not minimum <= value <= maximum:
        raise Invalid(f"must be between {minimum} and {maximum}", field=field)
    return value
