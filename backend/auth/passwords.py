"""Password hashing with Argon2id, kept off the event loop."""

from __future__ import annotations

import asyncio
import os
import sys

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's recommended minimum for Argon2id: 19 MiB of memory, two passes, one lane.
STRONG = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# The test suite makes hundreds of accounts, and at full strength hashing them is most of its
# time; tests/conftest.py sets this variable before the app is imported. It counts only inside
# a pytest process, so a variable left set on a server, or inherited by the commands the
# tests start, never weakens a stored password.
CHEAP_HASHING_FOR_TESTS = "RUNGS_CHEAP_PASSWORD_HASHING_FOR_TESTS"
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if os.environ.get(CHEAP_HASHING_FOR_TESTS) == "1" and "pytest" in sys.modules
    else STRONG
)

# Verified against when no account matches, so a wrong address takes as long as a wrong password.
_DECOY_HASH = _hasher.hash("rungs decoy password")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DECOY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)
