"""The outbox: notifications are written with their cause and delivered later, exactly once.

A service calls `notify` inside its own transaction. After the commit the caller may
ask the worker to deliver at once (`fresh_notifications` collects what to announce);
the worker's minutely sweep (`deliver_due`) delivers whatever is still pending, so a
lost queue or a dead worker loses nothing.

A notification about something names it (a `Subject`), and only those who may read that
thing receive it (`audiences`): the audience is filtered when the notification is
written, the recipient checked again when it is delivered, and the notification centre
lists only what its reader may still see. Only the kinds about the recipient themself
(their account, their membership, their digest) go without a subject; every other kind
is refused without one. What each kind is, and the rules it follows, is the table in
`notification_kinds`.

Claiming a send marks the row SENDING with a lease (`claimed_until`), renewed just
before the mail goes out, and counts an attempt, which names the claim: only its holder
may send or record the outcome. Marking it SENT happens after the mail server has
accepted the mail. If the process dies between those two moments the lease lapses and
the mail is sent again: that window, and only that one, can produce a duplicate.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from markupsafe import escape
from tortoise import Tortoise
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend.auth.tokens import Sealer
from backend.clock import Clock
from backend.db import int_column
from backend.errors import Invalid
from backend.links import preferences_path
from backend.mail import Letter, Mailer
from backend.mail.templates import render, render_html, render_letter
from backend.models import Notification, User
from backend.models.enums import Delivery, NotificationKind
from backend.services import audiences, configuration, personal_data, unsubscribe
from backend.services.actors import Actor
from backend.services.audiences import Subject
from backend.services.notification_kinds import POLICIES
from backend.services.personal_data import A_FORMER_PARTICIPANT, Sections
from backend.services.standing import Standing, standing_of

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
# Far less than the lease, so a send always ends while its claim still holds.
SEND_TIMEOUT = timedelta(minutes=2)
MAX_ATTEMPTS = 8
DEDUPE_KEY_LENGTH = 255
# One page's worth: more than a person can have looked at, and bounded for the database.
MAX_MARKED = 100
LOST_ACCESS = "the recipient may no longer see what it is about"

_fresh: ContextVar[list[int] | None] = ContextVar("fresh_notifications", default=None)

# Why a kind's mail, claimed for sending, is no longer owed, for reasons its aggregate alone
# knows (a reminder of a place given up); None when it is. Registered in `backend.services`.
StillOwed = Callable[[Notification], Awaitable[str | None]]
_still_owed: dict[NotificationKind, StillOwed] = {}


def check_before_sending(kind: NotificationKind, why_not: StillOwed) -> None:
    """Whatever takes a kind's pending mail away when the reason for it goes (`Delivery.PENDING`
    rows only: one already claimed is on its way) names here why such mail is no longer owed,
    so a claimed one is checked once more just before it goes."""
    if kind in _still_owed:
        raise ValueError(f"{kind.value} mail is checked before sending already")
    _still_owed[kind] = why_not


@contextmanager
def fresh_notifications() -> Iterator[list[int]]:
    """Collects the ids of notifications written within the block, to announce after commit."""
    collected: list[int] = []
    token = _fresh.set(collected)
    try:
        yield collected
    finally:
        _fresh.reset(token)


def _about(kind: NotificationKind, subject: Subject | str) -> Subject | None:
    if isinstance(subject, Subject):
        return subject
    if not POLICIES[kind].about_the_recipient:
        raise ValueError(
            f"{kind.value} notifications are about something: name it as a Subject, "
            "so that its read rule decides who receives them"
        )
    return None


async def notify(
    kind: NotificationKind,
    recipient: User | int,
    *,
    subject: Subject | str,
    now: datetime,
    context: dict[str, Any],
    occurrence: str = "",
    url: str | None = None,
    sealed_link: str | None = None,
    deliver_after: datetime | None = None,
    actor_id: int | None = None,
) -> Notification | None:
    """Write one notification; the same (kind, recipient, subject, occurrence) is written once.

    A plain string subject is only for mail about the recipient's own account. Nothing is
    written (None) when the recipient may not read the subject. `actor_id` names whose
    doing it was, when the notification names them.
    """
    recipient_id = recipient if isinstance(recipient, int) else recipient.id
    about = _about(kind, subject)
    if about is not None and not await audiences.may_read(about, recipient_id):
        return None
    dedupe_key = _dedupe_key(kind, recipient_id, about.key if about else str(subject), occurrence)
    title, body = render(POLICIES[kind].template, context)
    row = _row(
        kind,
        recipient_id,
        dedupe_key,
        title,
        body,
        render_html(POLICIES[kind].html_template, context),
        now=now,
        url=url,
        about=about,
        actor_id=actor_id,
        sealed_link=sealed_link,
        deliver_after=deliver_after,
    )
    await Notification.bulk_create([row], ignore_conflicts=True)
    notification = await Notification.get(dedupe_key=dedupe_key)
    if notification.delivery == Delivery.PENDING:
        _announce([notification.id])
    return notification


async def notify_many(
    kind: NotificationKind,
    recipient_ids: Iterable[int],
    *,
    subject: Subject,
    now: datetime,
    context: dict[str, Any],
    occurrence: str = "",
    actor_id: int | None = None,
) -> None:
    """Write the same notification to many people at once (a problem's followers, say),
    linking to the subject's page: a fixed number of queries, however many they are; each
    is written once, as by `notify`. Those who may not read the subject are left out."""
    _about(kind, subject)
    recipients = sorted(await audiences.readers_among(subject, set(recipient_ids)))
    if not recipients:
        return
    title, body = render(POLICIES[kind].template, context)
    html = render_html(POLICIES[kind].html_template, context)
    keys = [_dedupe_key(kind, recipient, subject.key, occurrence) for recipient in recipients]
    page = subject.page
    await Notification.bulk_create(
        [
            _row(kind, recipient, key, title, body, html, now=now, url=page, about=subject, actor_id=actor_id)
            for recipient, key in zip(recipients, keys, strict=True)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    _announce(await int_column(Notification.filter(dedupe_key__in=keys, delivery=Delivery.PENDING), "id"))


@dataclass(frozen=True)
class OwnNotice:
    """One person's notification about themself, in words of its own (a progress digest)."""

    recipient_id: int
    occurrence: str
    context: dict[str, Any]
    url: str | None = None


async def notify_each(kind: NotificationKind, notices: Sequence[OwnNotice], *, now: datetime) -> None:
    """Write many people a notification of a kind about the recipient, each their own: a fixed
    number of queries, however many they are; each is written once, as by `notify`."""
    if not POLICIES[kind].about_the_recipient:
        raise ValueError(f"{kind.value} notifications are about something: use notify_many")
    if not notices:
        return
    rows = []
    for notice in notices:
        title, body = render(POLICIES[kind].template, notice.context)
        html = render_html(POLICIES[kind].html_template, notice.context)
        key = _dedupe_key(kind, notice.recipient_id, kind.value.lower(), notice.occurrence)
        rows.append(
            _row(
                kind,
                notice.recipient_id,
                key,
                title,
                body,
                html,
                now=now,
                url=notice.url,
                about=None,
                actor_id=None,
            )
        )
    await Notification.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    keys = [row.dedupe_key for row in rows]
    _announce(await int_column(Notification.filter(dedupe_key__in=keys, delivery=Delivery.PENDING), "id"))


# As long as a notification's title may be (its column's width).
MAX_TITLE = 200


def _fitting(title: str) -> str:
    """The title, shortened with an ellipsis when a long problem title makes it too long: cut
    visibly, never silently. The notification's body and its page keep the whole title."""
    return title if len(title) <= MAX_TITLE else f"{title[: MAX_TITLE - 1].rstrip()}…"


def _row(
    kind: NotificationKind,
    recipient_id: int,
    dedupe_key: str,
    title: str,
    body: str,
    html: str,
    *,
    now: datetime,
    url: str | None,
    about: Subject | None,
    actor_id: int | None,
    sealed_link: str | None = None,
    deliver_after: datetime | None = None,
) -> Notification:
    return Notification(
        kind=kind,
        recipient_id=recipient_id,
        dedupe_key=dedupe_key,
        subject_type=about.kind if about else None,
        subject_id=about.id if about else None,
        actor_id=actor_id,
        title=_fitting(title),
        body=body,
        html=html,
        url=url,
        sealed_link=sealed_link,
        listed=POLICIES[kind].listed,
        created_at=now,
        listed_from=deliver_after or now,
        deliver_after=deliver_after or now,
    )


def _announce(notification_ids: Iterable[int]) -> None:
    """Ask for these to be delivered once the operation's transactions have committed."""
    collected = _fresh.get()
    if collected is not None:
        collected.extend(i for i in notification_ids if i not in collected)


def _dedupe_key(kind: NotificationKind, recipient_id: int, subject: str, occurrence: str) -> str:
    key = f"{kind.value}:{recipient_id}:{subject}:{occurrence}"
    if len(key) > DEDUPE_KEY_LENGTH:
        # Still unique per (kind, recipient, subject, occurrence), and still fits the column.
        key = f"{kind.value}:{recipient_id}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _claimable(now: datetime) -> Q:
    return Q(delivery=Delivery.PENDING, deliver_after__lte=now) | Q(
        delivery=Delivery.SENDING, claimed_until__lt=now
    )


@dataclass(frozen=True)
class _Claim:
    notification_id: int
    # The row's `attempts` once claimed. Every claim counts one more attempt, so this
    # names the claim: a worker whose lease lapsed and was taken over can no longer
    # match it, and so can neither send nor record the outcome.
    attempt: int


async def _claim(now: datetime, *, limit: int, ids: Sequence[int] | None = None) -> tuple[list[_Claim], bool]:
    """Claim up to `limit` due sends; another worker never claims the same row.

    Also says whether there may be more to claim (the due rows filled the limit).
    """
    candidates = Notification.filter(_claimable(now)).order_by("id").limit(limit)
    if ids is not None:
        candidates = candidates.filter(id__in=list(ids))
    lease = {
        "delivery": Delivery.SENDING,
        "claimed_until": now + CLAIM_LEASE,
        "attempts": F("attempts") + 1,
    }
    if Tortoise.get_connection("default").capabilities.support_for_update:
        # PostgreSQL: rows another worker is claiming are skipped, not waited for. Model
        # instances, not values_list(): Tortoise drops FOR UPDATE from values queries.
        async with in_transaction():
            locked = await candidates.select_for_update(skip_locked=True).only("id", "attempts")
            await Notification.filter(id__in=[row.id for row in locked]).update(**lease)
        return [_Claim(row.id, row.attempts + 1) for row in locked], len(locked) == limit
    # SQLite has no row locks; a conditional update per row is atomic all the same.
    due: list[tuple[int, int]] = await candidates.values_list("id", "attempts")
    claims = [
        _Claim(notification_id, attempts + 1)
        for notification_id, attempts in due
        if await Notification.filter(_claimable(now), id=notification_id, attempts=attempts).update(**lease)
    ]
    return claims, len(due) == limit


def _held(claim: _Claim) -> QuerySet[Notification]:
    return Notification.filter(id=claim.notification_id, delivery=Delivery.SENDING, attempts=claim.attempt)


async def _send_claimed(mailer: Mailer, sealer: Sealer, claim: _Claim, clock: Clock) -> bool:
    now = clock.now()
    # The lease runs from now, not from the claim: a claim made early in a long batch may
    # have lapsed while earlier mail went out. If someone else claimed it since, leave it.
    if not await _held(claim).update(claimed_until=now + CLAIM_LEASE):
        return False
    if claim.attempt > MAX_ATTEMPTS:
        # Only claims that lapsed get here (a failed send at MAX_ATTEMPTS is final): the
        # worker keeps dying on this mail, which must not be retried, and resent, forever.
        await _finish(claim, Delivery.FAILED, now, error="the worker stopped while sending, every time")
        return False
    notification = await Notification.get(id=claim.notification_id).select_related("recipient")
    recipient: User = notification.recipient
    skipped = await _why_not_send(notification, recipient, now)
    if skipped is not None:
        await _finish(claim, Delivery.SKIPPED, now, error=skipped)
        return False
    link = notification.url
    if notification.sealed_link:
        link = sealer.unseal(notification.sealed_link)
        if link is None:
            # The web process sealed it with another SECRET_KEY: a mail without its link
            # would be useless, and retrying cannot help.
            logger.error(
                "notification %s: its sealed link does not open with this SECRET_KEY", notification.id
            )
            await _finish(
                claim, Delivery.FAILED, now, error="the sealed link does not open with this secret key"
            )
            return False
    return await _post(mailer, _letter(notification, recipient, configuration.address(link)), claim, now)


def _letter(notification: Notification, recipient: User, link: str | None) -> Letter:
    """The mail: plain text and HTML, each with the link, and a way to turn this kind of mail
    off when a setting can (account mail goes out whatever the settings: it has none)."""
    preference = POLICIES[notification.kind].preference
    turns_off = unsubscribe.TURNS_OFF[preference] if preference else None
    way_out = unsubscribe.address(recipient.id, preference) if preference else None
    text = notification.body
    if link:
        text += f"\n\n{link}"
    if way_out:
        text += f"\n\n-- \nTurn off {turns_off} with one click: {way_out}"
    html = None
    # Written before mail had an HTML part: it goes out as plain text alone.
    if notification.html is not None:
        html = render_letter(
            notification.html,
            title=notification.title,
            link=link,
            unsubscribe=way_out,
            turns_off=turns_off,
            preferences=f"{configuration.current().public_url}{preferences_path()}",
        )
    return Letter(
        to=recipient.email,
        subject=notification.title,
        body=f"{text}\n",
        message_id=f"<notification-{notification.id}@rungs>",
        html=html,
        unsubscribe=way_out,
    )


async def _why_not_send(notification: Notification, recipient: User, now: datetime) -> str | None:
    """Why a claimed mail is no longer to go out at all, if it is not."""
    policy = POLICIES[notification.kind]
    # At the moment it expires the link is already refused (tokens are valid strictly before).
    if policy.expires_after is not None and now >= notification.created_at + policy.expires_after:
        return "expired before it could be sent"
    about = _subject_of(notification)
    if about is not None and not await audiences.may_read(about, recipient.id):
        # Access lost since it was written: left out of a referral, out of the organisation.
        return LOST_ACCESS
    if (still_owed := _still_owed.get(notification.kind)) and (why := await still_owed(notification)):
        return why
    return policy.unwanted_by(recipient)


async def _post(mailer: Mailer, letter: Letter, claim: _Claim, now: datetime) -> bool:
    """Hand the letter to the mail server: sent, or back in the queue with backoff until
    the attempts run out."""
    try:
        # Bounded well within the lease, so no other worker can claim the mail while it is
        # still on its way; the mail server may yet accept it late (the documented window).
        async with asyncio.timeout(SEND_TIMEOUT.total_seconds()):
            await mailer.send(letter)
    except Exception as error:  # any failure of the mail server: retry later, with backoff
        reason = str(error) or type(error).__name__
        logger.warning("mail for notification %s failed: %s", claim.notification_id, reason)
        if claim.attempt >= MAX_ATTEMPTS:
            await _finish(claim, Delivery.FAILED, now, error=reason)
        else:
            await _held(claim).update(
                delivery=Delivery.PENDING,
                claimed_until=None,
                deliver_after=now + timedelta(minutes=2**claim.attempt),
                last_error=reason[:2000],
            )
        return False
    await _finish(claim, Delivery.SENT, now)
    return True


def _subject_of(notification: Notification) -> Subject | None:
    if notification.subject_type is None or notification.subject_id is None:
        return None
    return Subject(notification.subject_type, notification.subject_id)


async def _finish(claim: _Claim, delivery: Delivery, now: datetime, *, error: str | None = None) -> None:
    await _held(claim).update(
        delivery=delivery,
        claimed_until=None,
        sent_at=now if delivery == Delivery.SENT else None,
        sealed_link=None,
        last_error=error,
    )


async def deliver(mailer: Mailer, sealer: Sealer, notification_ids: Sequence[int], *, clock: Clock) -> int:
    """Deliver the named notifications if they are still due; returns how many were mailed."""
    if not notification_ids:
        return 0
    claims, _ = await _claim(clock.now(), limit=len(set(notification_ids)), ids=notification_ids)
    return sum([await _send_claimed(mailer, sealer, claim, clock) for claim in claims])


async def deliver_due(mailer: Mailer, sealer: Sealer, *, clock: Clock, batch: int = 50) -> int:
    """Deliver every pending notification that is due; returns how many were mailed.

    Takes the clock, not a moment: a sweep through a backlog can take longer than a lease.
    """
    mailed = 0
    more = True
    while more:
        claims, more = await _claim(clock.now(), limit=batch)
        for claim in claims:
            mailed += await _send_claimed(mailer, sealer, claim, clock)
    return mailed


async def mark_read(actor: Actor, notification_ids: Sequence[int] | None, *, now: datetime) -> User:
    """Mark the named notifications of the signed-in person read; none named: all of them."""
    user = actor.require_user()
    if notification_ids and len(notification_ids) > MAX_MARKED:
        raise Invalid(f"You can mark at most {MAX_MARKED} notifications at once", field="ids")
    # What the centre does not list yet (a reminder still to come) is not read before it comes.
    unread = Notification.filter(
        recipient_id=user.id, listed=True, listed_from__lte=now, read_at__isnull=True
    )
    if notification_ids:
        unread = unread.filter(id__in=list(notification_ids))
    await unread.update(read_at=now)
    return user


async def settle(kinds: Collection[NotificationKind], subject: Subject, *, now: datetime, why: str) -> int:
    """Requests about something that has since been done no longer ask anything: they leave
    the unread (they stay listed, as history), and mail not yet on its way is not sent.
    Returns how many were still unread."""
    about = Notification.filter(kind__in=list(kinds), subject_type=subject.kind, subject_id=subject.id)
    # A mail being sent (SENDING) is left to its sender: it was on its way before the change.
    await about.filter(delivery=Delivery.PENDING).update(delivery=Delivery.SKIPPED, last_error=why)
    return await about.filter(read_at__isnull=True).update(read_at=now)


def _listed(user: User, standing: Standing) -> QuerySet[Notification]:
    """What the person's notification centre lists, or will: only what they may still read."""
    return Notification.filter(audiences.readable_notifications(standing), recipient_id=user.id, listed=True)


async def listed_for(user: User, *, now: datetime, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's notification centre now: each notification from its moment on (a reminder
    appears when it is due, not when it was scheduled)."""
    shown = _listed(user, await standing_of(Actor(user=user))).filter(listed_from__lte=now)
    return shown.filter(read_at__isnull=True) if unread_only else shown


async def _export_notifications(user: User, standing: Standing) -> Sections:
    # Reminders still to come are theirs too.
    listed = await _listed(user, standing).order_by("created_at")
    return {
        "notifications": [
            {
                "kind": notification.kind.value,
                "title": notification.title,
                "body": notification.body,
                "url": configuration.address(notification.url),
                "created_at": personal_data.moment(notification.created_at),
                "read_at": personal_data.moment(notification.read_at),
            }
            for notification in listed
        ]
    }


async def _erase_notifications(user: User, now: datetime) -> None:
    await Notification.filter(recipient_id=user.id).delete()
    await _unname(user)


async def _unname(user: User) -> None:
    """Others were told of this person's doing by name ("Alice Smith proposed ..."): those
    notifications now speak of a former participant."""
    caused = await Notification.filter(actor_id=user.id).only("id", "title", "body", "html")
    for notification in caused:
        notification.title = _fitting(_without_name(notification.title, user.display_name))
        notification.body = _without_name(notification.body, user.display_name)
        if notification.html is not None:
            notification.html = _without_name_in_html(notification.html, user.display_name)
    await Notification.bulk_update(caused, fields=["title", "body", "html"], batch_size=500)


def _without_name(text: str, name: str) -> str:
    # The name opens most bodies ("Alice Smith responded ..."), where the words need a capital.
    if text.startswith(name):
        text = A_FORMER_PARTICIPANT.capitalize() + text[len(name) :]
    return text.replace(name, A_FORMER_PARTICIPANT)


def _without_name_in_html(html: str, name: str) -> str:
    # The HTML part holds the name escaped, and a paragraph opens with it where a sentence does.
    escaped = str(escape(name))
    return html.replace(f">{escaped}", f">{A_FORMER_PARTICIPANT.capitalize()}").replace(
        escaped, A_FORMER_PARTICIPANT
    )


PERSONAL_DATA = personal_data.Contribution(
    name="notifications",
    export=_export_notifications,
    erase=_erase_notifications,
    # What reached the person goes; what told others of them keeps its row, unnamed.
    erases=("Notification.recipient", "Notification.actor"),
)
