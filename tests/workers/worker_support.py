"""What the worker tests share besides fixtures: a mail server's side of SMTP, and a type."""

from __future__ import annotations

import email
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.smtp import Envelope, Session
from arq.worker import Worker

# run_worker(settings, *, cron_jobs=()) -> the finished worker
RunWorker = Callable[..., Awaitable[Worker]]


@dataclass
class MailServer:
    """aiosmtpd's handler: keeps every message it accepts."""

    port: int = 0
    received: list[EmailMessage] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls=no"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or b"", policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 2.0.0 Accepted"
