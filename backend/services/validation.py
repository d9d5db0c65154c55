"""Checks on input that name the field at fault, in words a resident understands.

A check is told what the field holds in plain words (`what`: "title", "your name"), and says
what is wrong with it the way a person would: "Enter a title", "The title can be at most 120
characters". `Faults` runs every check of one input and reports all their faults at once.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable
from types import TracebackType

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

from backend.errors import DomainError, Invalid, InvalidInput, NotFound

# Control characters (CR, LF, NEL, tab among them), line and paragraph separators.
SINGLE_LINE_BREAKERS = frozenset({"Cc", "Zl", "Zp"})


class Faults:
    """Collects the faults of one input, so that all of them are reported together.

    Each check runs in its own `with faults:` block; a fault that names a field is kept and
    the next check runs. `raise_any()` then raises them all as one `InvalidInput` (a lone
    fault as it is), before anything is written. A failure that names no field (a right, a
    state) is not about the input and goes on at once.
    """

    def __init__(self) -> None:
        self.found: list[DomainError] = []

    def __enter__(self) -> Faults:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        if isinstance(error, Invalid | NotFound) and error.field is not None:
            self.found.extend(error.each())
            return True
        return False

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise InvalidInput(self.found)


def _article(what: str) -> str:
    """What to enter: a title, an address; your name stays as it is."""
    if what.startswith(("your ", "the ")):
        return what
    return f"{'an' if what[0] in 'aeiou' else 'a'} {what}"


def _the(what: str) -> str:
    """The field as the subject of a sentence: The title, Your name."""
    named = what if what.startswith(("your ", "the ")) else f"the {what}"
    return named[0].upper() + named[1:]


def text(
    value: str,
    field: str,
    *,
    what: str,
    max_length: int,
    min_length: int = 1,
    multiline: bool = False,
) -> str:
    cleaned = value.strip()
    if len(cleaned) < min_length:
        if not cleaned:
            raise Invalid(f"Enter {_article(what)}", field=field)
        raise Invalid(f"{_the(what)} must be at least {min_length} characters", field=field)
    if len(cleaned) > max_length:
        raise Invalid(f"{_the(what)} can be at most {max_length} characters", field=field)
    if multiline:
        if any(unicodedata.category(c) == "Cc" and c not in {"\n", "\t"} for c in cleaned):
            raise Invalid(
                f"{_the(what)} has characters in it that cannot be shown; take them out", field=field
            )
    # A single line lands in mail subjects and page titles, where a line break of any kind
    # (U+2028 and U+2029 too, which are not control characters) would end the line early.
    elif any(unicodedata.category(c) in SINGLE_LINE_BREAKERS for c in cleaned):
        raise Invalid(
            f"{_the(what)} must be one line, without line breaks or characters that cannot be shown",
            field=field,
        )
    return cleaned


def wording(
    faults: Faults, title: str, description: str, *, max_title: int, max_description: int
) -> tuple[str, str]:
    """A title of one line and a description of several, as they are kept; what is wrong with
    either goes to `faults`, to be reported with the rest of the input's faults."""
    with faults:
        title = text(title, "title", what="title", max_length=max_title)
    with faults:
        description = text(
            description, "description", what="description", max_length=max_description, multiline=True
        )
    return title, description


def remark(value: str | None, field: str, *, what: str, max_length: int) -> str | None:
    """An optional remark of several lines (a note, a comment, a message): left out or blank,
    there is none."""
    if value is None:
        return None
    return text(value, field, what=what, max_length=max_length, min_length=0, multiline=True) or None


def email(value: str, field: str = "email", *, what: str = "your email address") -> str:
    if not value.strip():
        raise Invalid(f"Enter {_article(what)}", field=field)
    if len(value) > 254:
        raise Invalid(f"{_the(what)} can be at most 254 characters", field=field)
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(
            "Enter an email address in the right form, like name@example.com", field=field
        ) from None
    return checked.normalized.lower()


# zxcvbn's scale runs 0 to 4; 3 stands up to an attacker who stole the hashes and guesses offline.
SAFE_SCORE = 3
# zxcvbn measures at most this much; a longer password is judged by its start.
MEASURED_LENGTH = 72
_WORD = re.compile(r"[^\W\d_]{3,}")
# Letters people swap in for others ("R1ta"), read back as the letters.
_PLAIN = str.maketrans("0134578@$!|", "oieastbasil")


async def password(
    value: str, *, personal: Iterable[str] = (), field: str = "password", what: str = "your password"
) -> str:
    """A password that is long enough and hard to guess, also for someone who knows the person:
    common passwords, and ones built from the person's name, address or area, are refused."""
    if not value:
        raise Invalid(f"Enter {_article(what)}", field=field)
    if len(value) < 10:
        raise Invalid(f"{_the(what)} must be at least 10 characters", field=field)
    if len(value) > 256:
        raise Invalid(f"{_the(what)} can be at most 256 characters", field=field)
    words = sorted({w.lower() for text in personal for w in _WORD.findall(text)}, key=len, reverse=True)
    weakness = await asyncio.to_thread(_weakness, value[:MEASURED_LENGTH], words)
    if weakness:
        raise Invalid(
            f"{_the(what)} is too easy to guess: {weakness} Try three or four words that do not go together.",
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


def whole_number(value: int, field: str, *, what: str, minimum: int, maximum: int) -> int:
    if not minimum <= value <= maximum:
        raise Invalid(f"{_the(what)} must be between {minimum} and {maximum}", field=field)
    return value
