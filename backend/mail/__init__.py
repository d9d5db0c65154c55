"""Outgoing mail: `.eml` files by default, SMTP when MAIL_URL names a server."""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
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
    # The same mail as HTML, for the clients that show it; the plain text stays for the rest.
    html: str | None = None
    # Where one request turns this kind of mail off (RFC 8058); None for mail that goes out
    # whatever the recipient's settings, which nothing can turn off.
    unsubscribe: str | None = None


class Mailer(Protocol):
    async def send(self, letter: Letter) -> None: ...


# Line breaks of every kind (CR, LF, NEL, U+2028, U+2029) and other control characters.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def one_line(value: str) -> str:
    """A header value on one line. A subject carries titles and names written before input was
    checked as closely as it is now; a line break in one would end the header early, so every
    break and control character becomes a space. Long values stay legal: the mail is folded
    when it is written out."""
    spaced = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in value)
    return " ".join(spaced.split())


def compose(letter: Letter, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = one_line(sender)
    message["To"] = one_line(letter.to)
    message["Subject"] = one_line(letter.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = letter.message_id
    if letter.unsubscribe:
        # RFC 8058: a mail client may offer its own unsubscribe button, which POSTs
        # "List-Unsubscribe=One-Click" to the address without opening any page.
        message["List-Unsubscribe"] = f"<{letter.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(letter.body)
    if letter.html:
        # multipart/alternative, plain text first: a client shows the last part it can.
        message.add_alternative(letter.html, subtype="html")
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
        content = compose(letter, self.sender).as_bytes()
        # A name of its own for each write: two workers inside the duplicate window must not
        # write into one file.
        descriptor, partial = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
            # A rename is atomic: a reader never sees half a mail.
            os.replace(partial, final)
        except BaseException:
            # A full disk, a cancelled job: the mail is retried later, and nothing half
            # written stays behind in the mail folder meanwhile.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise


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
