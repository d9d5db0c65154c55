"""One-click unsubscribe: every mail that a setting can turn off carries an address that turns
that setting off, for the link in the mail and for a mail client's own button (RFC 8058).

The address holds a token naming the person and the setting (a `Preference`), signed with
HMAC-SHA256 under a key derived from SECRET_KEY: nobody can make one for someone else, and
no sign-in is needed, since a mail client's one-click request comes without cookies. A token
never expires: an unsubscribe link must work however old the mail that carries it, and all it
can do is turn mail off, which its owner turns back on in their notification preferences.
Nothing is stored; changing SECRET_KEY makes every link already sent stop working (it is then
answered as not valid).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from tortoise.queryset import QuerySet

from backend.models import User
from backend.models.enums import DigestFrequency
from backend.services import configuration
from backend.services.notification_kinds import Preference

# What following the link turns off, in the words the page and the mail use.
TURNS_OFF: Mapping[Preference, str] = MappingProxyType(
    {
        Preference.EMAIL: "email notifications",
        Preference.TASK_REMINDERS: "task reminders",
        Preference.DIGEST: "progress digests",
    }
)
# The setting's name in the token, and what it is set to.
_CODES: Mapping[str, Preference] = MappingProxyType(
    {"email": Preference.EMAIL, "reminders": Preference.TASK_REMINDERS, "digest": Preference.DIGEST}
)
# The columns of the setting (as accounts.update_notification_preferences writes them).
_TURNED_OFF: Mapping[Preference, dict[str, Any]] = MappingProxyType(
    {
        Preference.EMAIL: {"email_notifications": False},
        Preference.TASK_REMINDERS: {"task_reminders": False},
        Preference.DIGEST: {"digest": DigestFrequency.NEVER},
    }
)
# A user id longer than this is no id of ours: not worth a query.
_MAX_ID_DIGITS = 18


@dataclass(frozen=True)
class Unsubscription:
    user_id: int
    preference: Preference

    @property
    def turns_off(self) -> str:
        return TURNS_OFF[self.preference]


def _code(preference: Preference) -> str:
    return next(code for code, named in _CODES.items() if named is preference)


def _signature(secret_key: str, user_id: int, code: str) -> str:
    # A key of its own, so that no other signed value can stand in for an unsubscribe token.
    key = hashlib.sha256(b"rungs-unsubscribe:" + secret_key.encode()).digest()
    digest = hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token(user_id: int, preference: Preference, *, secret_key: str | None = None) -> str:
    """The token for the person and setting, signed with the service's SECRET_KEY unless another
    key is named (a tool, or a test, making a link for a server of its own)."""
    code = _code(preference)
    key = configuration.current().secret_key if secret_key is None else secret_key
    return f"{user_id}.{code}.{_signature(key, user_id, code)}"


def address(user_id: int, preference: Preference) -> str:
    return f"{configuration.current().public_url}/unsubscribe/{token(user_id, preference)}"


def read(token: str) -> Unsubscription | None:
    """What a token turns off, for whom; None unless this service signed it."""
    user_id, _, rest = token.partition(".")
    code, _, signature = rest.partition(".")
    if not (user_id.isdecimal() and len(user_id) <= _MAX_ID_DIGITS and code in _CODES):
        return None
    expected = _signature(configuration.current().secret_key, int(user_id), code)
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    return Unsubscription(int(user_id), _CODES[code])


def _of_someone(user_id: int) -> QuerySet[User]:
    # An erased account is no one's to unsubscribe: its link is not valid any more.
    return User.filter(id=user_id, erased_at__isnull=True)


async def check(token: str) -> Unsubscription | None:
    """What following the token would turn off, without turning it off (for the page)."""
    unsubscription = read(token)
    if unsubscription is None or not await _of_someone(unsubscription.user_id).exists():
        return None
    return unsubscription


async def unsubscribe(token: str, *, now: datetime) -> Unsubscription | None:
    """Turn off what the token names; doing it again changes nothing. None for a token that is
    not valid."""
    unsubscription = read(token)
    if unsubscription is None:
        return None
    # One statement: an account erased meanwhile is not written to.
    changed = await _of_someone(unsubscription.user_id).update(
        updated_at=now, **_TURNED_OFF[unsubscription.preference]
    )
    return unsubscription if changed else None
