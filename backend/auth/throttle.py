"""Sign-in throttling, counted in the database so every web process sees every attempt.

Throttling must slow down guessing without handing a stranger a way to lock someone out.
So attempts are counted per (account, client) pair and per client, where the client is
the browser's device if it signed in to that account before, else its network address:

- a known device is held up only by its own failures, never by anyone else's;
- anyone else is limited per pair and per network address, and all of them together
  per account, by a ceiling far above what a person types; past it they can still
  sign in with a link sent by email, which password failures never hold up;
- mail to an address (sign-in links, registrations) is counted apart from passwords.

Attempts name the account by a digest of its key, never by the address itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from backend.auth.tokens import digest
from backend.errors import RateLimited
from backend.models import KnownDevice, LoginAttempt

WINDOW = timedelta(minutes=15)
# A device is remembered this long after it last signed in (its cookie lives as long).
DEVICE_MEMORY = timedelta(days=365)

Kind = Literal["password", "mail"]


@dataclass(frozen=True)
class Limits:
    # Attempts one client may make at one account within the window.
    per_pair: int
    # Attempts all clients but the account's known devices may make at it together.
    per_account: int


LIMITS: dict[Kind, Limits] = {
    "password": Limits(per_pair=10, per_account=100),
    # Every mail it answers with is valid for the whole window, so once the ceiling is
    # reached the owner already holds a fresh link: the ceiling bounds mail, not access.
    "mail": Limits(per_pair=5, per_account=10),
}
# Attempts one network address may make at all accounts together, of either kind.
PER_CLIENT = 50

_REFUSALS = {
    "password": "Too many attempts to sign in; wait a few minutes, or sign in with a link sent by email.",
    "mail": (
        "Several mails went to this address in the last 15 minutes: use the newest one, or try again later."
    ),
}


def account_key(email: str) -> str:
    """One key for every alias of an address: case, +tags and Gmail's dots do not make a new one."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def _account(key: str) -> str:
    return digest(f"account:{key}")


@dataclass(frozen=True)
class Client:
    """Who is trying, as the throttle counts them."""

    identity: str
    known_device: bool


async def client_of(key: str, *, address: str, device: str | None) -> Client:
    """The device, if it signed in to this account before; else the network address."""
    if device and await KnownDevice.exists(device_hash=digest(device), account=_account(key)):
        return Client(f"device:{digest(device)}", known_device=True)
    return Client(f"address:{address}"[:80], known_device=False)


async def count_attempt(kind: Kind, key: str, client: Client, *, now: datetime) -> None:
    """Record the attempt first, then count: concurrent attempts all see one another."""
    account = _account(key)
    await LoginAttempt.create(
        kind=kind, account=account, client=client.identity, known_device=client.known_device, attempted_at=now
    )
    recent = LoginAttempt.filter(attempted_at__gt=now - WINDOW)
    at_account = recent.filter(account=account, kind=kind)
    limits = LIMITS[kind]
    over = await at_account.filter(client=client.identity).count() > limits.per_pair
    if not client.known_device:
        over = (
            over
            or await recent.filter(client=client.identity).count() > PER_CLIENT
            or await at_account.filter(known_device=False).count() > limits.per_account
        )
    if over:
        raise RateLimited(_REFUSALS[kind])


async def signed_in(key: str, client: Client, *, device: str, now: datetime) -> None:
    """A success clears this client's failures at the account, and remembers the device."""
    account = _account(key)
    await LoginAttempt.filter(account=account, kind="password", client=client.identity).delete()
    await KnownDevice.bulk_create(
        [KnownDevice(device_hash=digest(device), account=account, last_signed_in_at=now)],
        on_conflict=["device_hash", "account"],
        update_fields=["last_signed_in_at"],
    )


async def forget_attempts(scope: str, key: str) -> None:
    """Forget an account's attempts and devices ("account", "mail"), or a network address's ("client")."""
    if scope == "client":
        await LoginAttempt.filter(client=f"address:{key}"[:80]).delete()
        return
    account = _account(key)
    await LoginAttempt.filter(account=account).delete()
    if scope == "account":
        await KnownDevice.filter(account=account).delete()


async def prune(now: datetime) -> int:
    attempts = await LoginAttempt.filter(attempted_at__lt=now - WINDOW).delete()
    return attempts + await KnownDevice.filter(last_signed_in_at__lt=now - DEVICE_MEMORY).delete()
