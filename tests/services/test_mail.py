"""Mail leaves through a real SMTP server (aiosmtpd) or as `.eml` files any mail client reads."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from backend import ids
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.mail import FileMailer, Letter, SmtpMailer, compose, mailer_for
from backend.models import Notification, Problem, User
from backend.models.enums import Delivery, NotificationKind
from backend.services import accounts, notifications, problems
from backend.services.actors import Actor
from backend.settings import Settings
from neighbourhood import Neighbourhood
from support import GraphQL

SENDER = "Rungs <no-reply@rungs.test>"
PUBLIC_URL = "https://rungs.test"
LETTER = Letter(
    to="ann@example.org",
    subject="Zoë added you to Café Rota",
    body="Hello Ann,\n\nZoë added you to Café Rota.\n\nhttps://rungs.test/#/organisations/7\n",
    message_id="<notification-7@rungs>",
)


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def files_in(directory: Path) -> list[str]:
    """Everything in the directory, hidden files too: a half-written mail must not be left."""
    return sorted(path.name for path in directory.iterdir())


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    content: str = body.get_content()
    return content


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert isinstance(body, EmailMessage)
    content: str = body.get_content()
    return content


def unsubscribe_address_of(message: EmailMessage) -> str:
    """The address in the RFC 8058 headers, checked to be the same in both parts."""
    header = message["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">"), header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = header[1:-1]
    assert f"with one click: {address}" in text_of(message)
    assert f'href="{address}"' in html_of(message)
    return address


def parts_of(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.iter_parts()]


# A mail server


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    encrypted: bool


@dataclass
class MailServer:
    """aiosmtpd's handler: keeps what it accepts, or answers with `refusal`."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    refusal: str | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.refusal:
            return self.refusal
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        sender = envelope.mail_from or ""
        self.received.append(Received(sender, list(envelope.rcpt_tos), message, session.ssl is not None))
        return "250 2.0.0 Accepted"

    def authenticate(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(mail_server: MailServer, **options: Any) -> Controller:
    mail_server.port = free_port()
    controller = Controller(mail_server, hostname="127.0.0.1", port=mail_server.port, **options)
    controller.start()
    return controller


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    controller = serve(server)
    yield server
    controller.stop()


@dataclass
class Certificate:
    cert_file: Path
    key_file: Path


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate = Certificate(tmp_path / "cert.pem", tmp_path / "key.pem")
    certificate.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    certificate.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certificate


@pytest.fixture
def starttls_server(certificate: Certificate) -> Iterator[MailServer]:
    """A mail server that offers STARTTLS (and does not insist on it)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert_file, certificate.key_file)
    server = MailServer()
    controller = serve(server, tls_context=context)
    yield server
    controller.stop()


# The file backend


async def test_the_file_mailer_writes_a_mail_any_client_can_read(tmp_path: Path) -> None:
    await FileMailer(tmp_path / "mail", SENDER).send(LETTER)

    assert files_in(tmp_path / "mail") == ["notification-7.eml"]
    message = read_eml(tmp_path / "mail" / "notification-7.eml")
    assert message["To"] == "ann@example.org"
    assert message["From"] == SENDER
    assert message["Subject"] == "Zoë added you to Café Rota"
    assert message["Message-ID"] == "<notification-7@rungs>"
    assert message["Date"] is not None
    assert text_of(message) == LETTER.body


async def test_the_file_mailer_writes_a_mail_with_an_html_part_and_its_unsubscribe_headers(
    tmp_path: Path,
) -> None:
    letter = replace(
        LETTER,
        html="<p>Zoë added you to <strong>Café Rota</strong>.</p>",
        unsubscribe="https://rungs.test/unsubscribe/7.email.c2lnbmVk",
    )

    await FileMailer(tmp_path, SENDER).send(letter)

    message = read_eml(tmp_path / "notification-7.eml")
    assert message.get_content_type() == "multipart/alternative"
    assert parts_of(message) == ["text/plain", "text/html"]
    assert text_of(message) == LETTER.body
    assert html_of(message) == "<p>Zoë added you to <strong>Café Rota</strong>.</p>\n"
    assert message["List-Unsubscribe"] == "<https://rungs.test/unsubscribe/7.email.c2lnbmVk>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_the_file_mailer_writes_a_resent_mail_over_the_first(tmp_path: Path) -> None:
    mailer = FileMailer(tmp_path, SENDER)
    await mailer.send(LETTER)
    await mailer.send(LETTER)

    assert files_in(tmp_path) == ["notification-7.eml"]


async def test_a_sign_in_mail_through_the_file_backend_signs_in(
    clean_db: None, clock: ManualClock, sealer: Sealer, tmp_path: Path
) -> None:
    ann = await register(clock, "ann@example.org")
    await ask_for_sign_in_link(ann, clock, sealer)
    notification = await Notification.get(recipient_id=ann.id)
    mailer = mailer_for(None, tmp_path / "mail", SENDER)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1

    (name,) = files_in(tmp_path / "mail")
    message = read_eml(tmp_path / "mail" / name)
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Your link to sign in to Rungs"
    assert message["Message-ID"] == f"<notification-{notification.id}@rungs>"
    signed_in = await accounts.log_in_with_magic_link(
        Actor(), token=token_in(text_of(message)), now=clock.now()
    )
    assert signed_in.user.id == ann.id


async def test_a_failed_write_leaves_no_file_behind(tmp_path: Path) -> None:
    # Where the mail belongs stands a folder, which no file may replace: the write fails.
    (tmp_path / "notification-7.eml" / "in-the-way").mkdir(parents=True)

    with pytest.raises(IsADirectoryError):
        await FileMailer(tmp_path, SENDER).send(LETTER)

    assert files_in(tmp_path) == ["notification-7.eml"]
    assert files_in(tmp_path / "notification-7.eml") == ["in-the-way"]


# Headers on one line

# Every character that breaks a line or controls a terminal, as titles written before input
# was checked may hold them.
BREAKS = "\u2028\u2029\u0085\r\n\x00\x07\x1b\x7f"


def test_a_subject_with_line_breaks_and_control_characters_is_put_on_one_line() -> None:
    letter = replace(LETTER, subject=f"Broken{BREAKS}lights\u2028on Zoë's street")

    message = compose(letter, "Rungs\u2028Mail <no-reply@rungs.test>")

    read = email.message_from_bytes(message.as_bytes(), policy=default_policy)
    assert read["Subject"] == "Broken lights on Zoë's street"
    assert read["From"] == "Rungs Mail <no-reply@rungs.test>"
    assert read["Message-ID"] == "<notification-7@rungs>"


def test_a_long_subject_is_folded_into_legal_lines() -> None:
    subject = "Café\u2028" + "Überfüllte Mülltonnen hinter dem Gemeindezentrum " * 4
    letter = replace(LETTER, subject=subject)

    raw = compose(letter, SENDER).as_bytes()

    head = raw.split(b"\n\n", 1)[0]
    assert max(len(line) for line in head.splitlines()) <= 78
    read = email.message_from_bytes(raw, policy=default_policy)
    assert read["Subject"] == " ".join(subject.replace("\u2028", " ").split())


async def a_problem_update_titled(title: str, n: Neighbourhood, gql: GraphQL, clock: ManualClock) -> int:
    """The resident's problem, its title then changed in the database (as data from before
    titles were checked could read), and an update on it, which its follower is told about."""
    problem_id = ids.decode((await n.propose(gql))["id"], "Problem", "problemId")
    await Problem.filter(id=problem_id).update(title=title)
    await problems.post_update(
        Actor(user=n.district_coordinator.user),
        problem_id=problem_id,
        body="Patrols start on Friday.",
        now=clock.now(),
    )
    return n.resident.user.id


OLD_TITLE = "Broken lights\u2028on the footbridge"


async def test_an_update_on_a_problem_with_a_line_separator_in_its_title_arrives_as_a_file(
    neighbourhood: Neighbourhood, gql: GraphQL, clock: ManualClock, sealer: Sealer, tmp_path: Path
) -> None:
    resident = await a_problem_update_titled(OLD_TITLE, neighbourhood, gql, clock)
    update = await Notification.get(recipient_id=resident, kind=NotificationKind.PROBLEM_UPDATE)

    await notifications.deliver_due(FileMailer(tmp_path, SENDER), sealer, clock=clock)

    assert (await Notification.get(id=update.id)).delivery == Delivery.SENT
    assert not [name for name in files_in(tmp_path) if not name.endswith(".eml")]
    message = read_eml(tmp_path / f"notification-{update.id}.eml")
    assert message["Subject"] == "Update on Broken lights on the footbridge"
    assert message["To"] == neighbourhood.resident.user.email
    assert "Patrols start on Friday." in text_of(message)
    # Stored as a path, mailed as a link to the web interface.
    problem_path = f"/#/problems/{ids.encode('Problem', update.subject_id)}"
    assert update.url == problem_path
    assert f"{PUBLIC_URL}{problem_path}" in text_of(message).splitlines()


async def test_an_update_on_a_problem_with_a_line_separator_in_its_title_arrives_through_smtp(
    neighbourhood: Neighbourhood,
    gql: GraphQL,
    clock: ManualClock,
    sealer: Sealer,
    mail_server: MailServer,
) -> None:
    resident = await a_problem_update_titled(OLD_TITLE, neighbourhood, gql, clock)
    update = await Notification.get(recipient_id=resident, kind=NotificationKind.PROBLEM_UPDATE)

    await notifications.deliver_due(SmtpMailer(mail_server.url, SENDER), sealer, clock=clock)

    assert (await Notification.get(id=update.id)).delivery == Delivery.SENT
    # The resident proposed it: their receipt for the proposal went out too.
    (received,) = [
        r
        for r in mail_server.received
        if r.recipients == [neighbourhood.resident.user.email] and r.message["Subject"].startswith("Update")
    ]
    assert received.message["Subject"] == "Update on Broken lights on the footbridge"
    assert received.message["Message-ID"] == f"<notification-{update.id}@rungs>"
    assert "Patrols start on Friday." in text_of(received.message)


# SMTP


async def test_the_smtp_mailer_delivers_to_a_mail_server(mail_server: MailServer) -> None:
    await SmtpMailer(f"{mail_server.url}?starttls=no", SENDER).send(LETTER)

    (received,) = mail_server.received
    assert received.sender == "no-reply@rungs.test"
    assert received.recipients == ["ann@example.org"]
    assert received.message["Subject"] == "Zoë added you to Café Rota"
    assert received.message["Message-ID"] == "<notification-7@rungs>"
    # SMTP carries lines ended with CRLF.
    assert text_of(received.message).replace("\r\n", "\n") == LETTER.body
    assert received.encrypted is False


async def test_the_smtp_mailer_sends_plainly_to_a_server_that_offers_no_starttls(
    mail_server: MailServer,
) -> None:
    await SmtpMailer(mail_server.url, SENDER).send(LETTER)

    assert [r.recipients for r in mail_server.received] == [["ann@example.org"]]


async def test_the_smtp_mailer_uses_starttls_when_the_server_offers_it(
    starttls_server: MailServer, certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trust the test certificate the way an operator would trust their mail server's.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert_file))

    await SmtpMailer(starttls_server.url, SENDER).send(LETTER)

    (received,) = starttls_server.received
    assert received.encrypted is True


async def test_the_smtp_mailer_does_not_send_over_tls_it_cannot_verify(starttls_server: MailServer) -> None:
    with pytest.raises(Exception, match=r"(?i)certificate"):
        await SmtpMailer(starttls_server.url, SENDER).send(LETTER)

    assert starttls_server.received == []


async def test_the_smtp_mailer_signs_in_with_the_credentials_in_the_url() -> None:
    server = MailServer()
    # Without TLS only because this is a test: production servers insist on it.
    controller = serve(server, authenticator=server.authenticate, auth_require_tls=False)
    try:
        password = "p@ss:w/rd%"
        url = f"smtp://{quote('ops@rungs.test', safe='')}:{quote(password, safe='')}@127.0.0.1:{server.port}"
        await SmtpMailer(url, SENDER).send(LETTER)
    finally:
        controller.stop()

    assert server.logins == [("ops@rungs.test", password)]
    assert len(server.received) == 1


def test_mailer_for_picks_files_by_default_and_smtp_when_a_url_is_given(tmp_path: Path) -> None:
    files = mailer_for(None, tmp_path, SENDER)
    assert isinstance(files, FileMailer) and files.directory == tmp_path

    smtp = mailer_for("smtp://relay.example.org", tmp_path, SENDER)
    assert isinstance(smtp, SmtpMailer)
    assert (smtp.hostname, smtp.port, smtp.use_tls, smtp.start_tls) == ("relay.example.org", 25, False, None)

    smtps = mailer_for("smtps://mail.example.org", tmp_path, SENDER)
    assert isinstance(smtps, SmtpMailer)
    assert (smtps.port, smtps.use_tls) == (465, True)

    plain = mailer_for("smtp://relay.example.org:2525?starttls=no", tmp_path, SENDER)
    assert isinstance(plain, SmtpMailer)
    assert (plain.port, plain.start_tls) == (2525, False)

    with pytest.raises(ValueError, match="smtp://"):
        mailer_for("https://mail.example.org", tmp_path, SENDER)


# The outbox, through SMTP


async def register(clock: ManualClock, address: str) -> User:
    return await accounts.create_confirmed_account(
        email=address,
        password="correct horse battery staple",
        display_name=address.split("@")[0].title(),
        now=clock.now(),
    )


async def ask_for_sign_in_link(user: User, clock: ManualClock, sealer: Sealer) -> None:
    await accounts.request_magic_link(
        Actor(client="203.0.113.9"), email=user.email, now=clock.now(), sealer=sealer
    )


def token_in(text: str) -> str:
    (link,) = [line for line in text.splitlines() if line.startswith(f"{PUBLIC_URL}/#/sign-in/link?token=")]
    return link.split("token=", 1)[1]


async def test_a_sign_in_mail_through_smtp_signs_in(
    clean_db: None, clock: ManualClock, sealer: Sealer, mail_server: MailServer, settings: Settings
) -> None:
    ann = await register(clock, "ann@example.org")
    await ask_for_sign_in_link(ann, clock, sealer)
    mailer = mailer_for(mail_server.url, settings.mail_dir, settings.mail_from)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    (received,) = mail_server.received
    assert received.recipients == ["ann@example.org"]
    signed_in = await accounts.log_in_with_magic_link(
        Actor(), token=token_in(text_of(received.message)), now=clock.now()
    )
    assert signed_in.user.id == ann.id


async def test_a_mail_server_refusing_the_mail_leaves_it_pending_until_it_accepts(
    clean_db: None, clock: ManualClock, sealer: Sealer, mail_server: MailServer
) -> None:
    ann = await register(clock, "ann@example.org")
    membership = await notifications.notify(
        NotificationKind.ORGANISATION_MEMBERSHIP,
        ann,
        subject="organisation:1",
        now=clock.now(),
        context={"organisation": "Riverside Youth Trust", "added_by": "Alex Admin", "role": "member"},
    )
    mailer = SmtpMailer(mail_server.url, SENDER)
    mail_server.refusal = "451 4.3.2 Mailbox busy, try again later"

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    waiting = await Notification.get(id=membership.id)
    assert waiting.delivery == Delivery.PENDING
    assert waiting.last_error is not None and "try again later" in waiting.last_error
    assert waiting.deliver_after > clock.now()

    mail_server.refusal = None
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    clock.set(waiting.deliver_after)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1
    assert [r.message["Subject"] for r in mail_server.received] == ["You were added to Riverside Youth Trust"]
    sent = await Notification.get(id=membership.id)
    assert (sent.delivery, sent.attempts, sent.last_error) == (Delivery.SENT, 2, None)


async def test_an_unreachable_mail_server_leaves_the_mail_pending(
    clean_db: None, clock: ManualClock, sealer: Sealer
) -> None:
    ann = await register(clock, "ann@example.org")
    await ask_for_sign_in_link(ann, clock, sealer)
    nobody_listening = SmtpMailer(f"smtp://127.0.0.1:{free_port()}", SENDER)

    assert await notifications.deliver_due(nobody_listening, sealer, clock=clock) == 0

    waiting = await Notification.get(recipient_id=ann.id)
    assert waiting.delivery == Delivery.PENDING
    assert waiting.last_error
    assert waiting.sealed_link is not None


async def test_mail_through_the_outbox_is_multipart_with_a_way_out_when_a_setting_can_turn_it_off(
    neighbourhood: Neighbourhood, gql: GraphQL, clock: ManualClock, sealer: Sealer, mail_server: MailServer
) -> None:
    title = 'Lights <script>alert("out")</script> & "dark"'
    resident = await a_problem_update_titled(title, neighbourhood, gql, clock)
    update = await Notification.get(recipient_id=resident, kind=NotificationKind.PROBLEM_UPDATE)

    await notifications.deliver(SmtpMailer(mail_server.url, SENDER), sealer, [update.id], clock=clock)

    (received,) = mail_server.received
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert parts_of(message) == ["text/plain", "text/html"]
    html = html_of(message)
    assert "<script>" not in html
    assert (
        "<h1>Update on Lights &lt;script&gt;alert(&#34;out&#34;)&lt;/script&gt; &amp; &#34;dark&#34;</h1>"
        in html
    )
    assert "Patrols start on Friday." in html
    problem_link = f"{PUBLIC_URL}/#/problems/{ids.encode('Problem', update.subject_id)}"
    assert f'href="{problem_link}"' in html
    assert problem_link in text_of(message).splitlines()
    address = unsubscribe_address_of(message)
    assert address.startswith(f"{PUBLIC_URL}/unsubscribe/{resident}.email.")
    assert "Turn off email notifications" in html


async def test_account_mail_through_the_outbox_is_multipart_without_a_way_out(
    clean_db: None, clock: ManualClock, sealer: Sealer, mail_server: MailServer
) -> None:
    ann = await register(clock, "ann@example.org")
    await ask_for_sign_in_link(ann, clock, sealer)

    assert await notifications.deliver_due(SmtpMailer(mail_server.url, SENDER), sealer, clock=clock) == 1

    (received,) = mail_server.received
    message = received.message
    assert parts_of(message) == ["text/plain", "text/html"]
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    html = html_of(message)
    link = f"{PUBLIC_URL}/#/sign-in/link?token={token_in(text_of(message))}"
    assert f'href="{link}"' in html
    assert "unsubscribe" not in html + text_of(message)
    assert "sent whatever your notification preferences say" in html
