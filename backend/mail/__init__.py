"""Outgoing mail: `.eml` files by default, SMTP when MAIL_URL names a server."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    body: str
    # Stable per notification, so a mail client can spot the rare resend as the same mail.
    message_id: str


class Mailer(Protocol):
    async def send(self, letter: Letter) -> None: ...


def compose(letter: Letter, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = letter.message_id
    message.set_content(letter.body)
    return message


class FileMailer:
    """Writes each mail as an `.eml` file: the embedded default, readable by any mail client."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    async def send(self, letter: Letter) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = letter.message_id.strip("<>").split("@", 1)[0]
        final = self.directory / f"{name}.eml"
        # A name of its own for each write: two workers inside the duplicate window must not
        # write into one file.
        with tempfile.NamedTemporaryFile(dir=self.directory, prefix=f".{name}.", delete=False) as partial:
            partial.write(compose(letter, self.sender).as_bytes())
        # A rename is atomic: a reader never sees half a mail.
        os.replace(partial.name, final)


class SmtpMailer:
    """smtp://user:password@host:port (STARTTLS when offered) or smtps:// (TLS from the start)."""

    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"}:
            raise ValueError(f"MAIL_URL must start with smtp:// or smtps://, not {parts.scheme}://")
        options = parse_qs(parts.query)
        self.hostname = parts.hostname or "localhost"
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.use_tls = parts.scheme == "smtps"
        self.start_tls = False if options.get("starttls") == ["no"] else None
        self.sender = sender

    async def send(self, letter: Letter) -> None:
        await aiosmtplib.send(
            compose(letter, self.sender),
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=None if self.use_tls else self.start_tls,
            timeout=30,
        )


def mailer_for(mail_url: str | None, mail_dir: Path, sender: str) -> Mailer:
    if mail_url:
        return SmtpMailer(mail_url, sender)
    return FileMailer(mail_dir, sender)
