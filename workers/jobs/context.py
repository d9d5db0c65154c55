"""What every job receives in arq's `ctx`: set up once per worker by `startup`."""

from __future__ import annotations

from typing import TypedDict

from backend.auth.tokens import Sealer
from backend.clock import Clock
from backend.mail import Mailer
from backend.settings import Settings


class JobContext(TypedDict, total=False):
    settings: Settings
    clock: Clock
    mailer: Mailer
    sealer: Sealer
    job_id: str
    job_try: int
