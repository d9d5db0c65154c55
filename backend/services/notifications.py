"""The outbox: notifications are written with their cause and delivered later, exactly once.

A service calls `notify` inside its own transaction. After the commit the caller may
ask the worker to deliver at once (`fresh_notifications` collects what to announce);
the worker's minutely sweep (`deliver_due`) delivers whatever is still pending, so a
lost queue or a dead worker loses nothing.

Claiming a send marks the row SENDING with a lease (`claimed_until`); marking it SENT
happens after the mail server has accepted the mail. If the process dies between
those two moments the lease lapses and the mail is sent again: that window, and only
that one, can produce a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from backend.auth.tokens import Sealer
from backend.mail import Letter, Mailer
from backend.mail.templates import render
from backend.models import Notification, User
from backend.models.enums import Delivery, NotificationKind

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
# Kinds that are mail about the account itself: always sent, never listed in the app.
ACCOUNT_MAIL = frozenset({NotificationKind.MAGIC_LINK})
# A sign-in link is worth nothing once expired; such mail is skipped, not sent late.
EXPIRES_AFTER = {NotificationKind.MAGIC_LINK: timedelta(minutes=15)}

_fresh: ContextVar[list[int] | None] = ContextVar("fresh_notifications", default=None)


@contextmanager
def fresh_notifications() -> Iterator[list[int]]:
    """Collects the ids of notifications written within the block, to announce after commit."""
    collected: list[int] = []
    token = _fresh.set(collected)
    try:
        yield collected
    finally:
        _fresh.reset(token)


async def notify(
    kind: NotificationKind,
    recipient: User | int,
    *,
    subject: str,
    now: datetime,
    context: dict[str, Any],
    occurrence: str = "",
    url: str | None = None,
    sealed_link: str | None = None,
    deliver_after: datetime | None = None,
) -> Notification:
    """Write one notification; the same (kind, recipient, subject, occurrence) is written once."""
    recipient_id = recipient if isinstance(recipient, int) else recipient.id
    dedupe_key = f"{kind.value}:{recipient_id}:{subject}:{occurrence}"
    title, body = render(kind, context)
    await Notification.bulk_create(
        [
            Notification(
                kind=kind,
                recipient_id=recipient_id,
                dedupe_key=dedupe_key,
                title=title[:200],
                body=body,
                url=url,
                sealed_link=sealed_link,
                listed=kind not in ACCOUNT_MAIL,
                created_at=now,
                deliver_after=deliver_after or now,
            )
        ],
        ignore_conflicts=True,
    )
    notification = await Notification.get(dedupe_key=dedupe_key)
    collected = _fresh.get()
    if collected is not None and notification.delivery == Delivery.PENDING:
        collected.append(notification.id)
    return notification


def _claimable(now: datetime) -> Q:
    return Q(delivery=Delivery.PENDING, deliver_after__lte=now) | Q(
        delivery=Delivery.SENDING, claimed_until__lt=now
    )


async def _claim(now: datetime, *, limit: int, ids: Sequence[int] | None = None) -> list[int]:
    """Claim up to `limit` due sends; another worker never claims the same row."""
    candidates = Notification.filter(_claimable(now)).order_by("id").limit(limit)
    if ids is not None:
        candidates = candidates.filter(id__in=list(ids))
    lease = {
        "delivery": Delivery.SENDING,
        "claimed_until": now + CLAIM_LEASE,
        "attempts": F("attempts") + 1,
    }
    if Tortoise.get_connection("default").capabilities.support_for_update:
        # PostgreSQL: rows another worker is claiming are skipped, not waited for.
        async with in_transaction():
            locked: list[int] = await candidates.select_for_update(skip_locked=True).values_list(  # type: ignore[assignment]
                "id", flat=True
            )
            await Notification.filter(id__in=list(locked)).update(**lease)
        return list(locked)
    # SQLite has no row locks; a conditional update per row is atomic all the same.
    claimed: list[int] = []
    ids_due: list[int] = await candidates.values_list("id", flat=True)  # type: ignore[assignment]
    for notification_id in ids_due:
        if await Notification.filter(_claimable(now), id=notification_id).update(**lease):
            claimed.append(notification_id)
    return claimed


async def _send_claimed(mailer: Mailer, sealer: Sealer, notification_id: int, now: datetime) -> bool:
    notification = await Notification.get(id=notification_id).select_related("recipient")
    recipient: User = notification.recipient
    expiry = EXPIRES_AFTER.get(notification.kind)
    if expiry is not None and now > notification.created_at + expiry:
        await _finish(notification_id, Delivery.SKIPPED, now, error="expired before it could be sent")
        return False
    if notification.kind not in ACCOUNT_MAIL and not recipient.email_notifications:
        await _finish(notification_id, Delivery.SKIPPED, now, error="recipient turned email off")
        return False
    link = sealer.unseal(notification.sealed_link) if notification.sealed_link else notification.url
    body = f"{notification.body}\n\n{link}\n" if link else f"{notification.body}\n"
    letter = Letter(
        to=recipient.email,
        subject=notification.title,
        body=body,
        message_id=f"<notification-{notification.id}@rungs>",
    )
    try:
        await mailer.send(letter)
    except Exception as error:  # any failure of the mail server: retry later, with backoff
        logger.warning("mail for notification %s failed: %s", notification_id, error)
        if notification.attempts >= MAX_ATTEMPTS:
            await _finish(notification_id, Delivery.FAILED, now, error=str(error))
        else:
            backoff = timedelta(minutes=2**notification.attempts)
            await Notification.filter(id=notification_id, delivery=Delivery.SENDING).update(
                delivery=Delivery.PENDING,
                claimed_until=None,
                deliver_after=now + backoff,
                last_error=str(error)[:2000],
            )
        return False
    await _finish(notification_id, Delivery.SENT, now)
    return True


async def _finish(
    notification_id: int, delivery: Delivery, now: datetime, *, error: str | None = None
) -> None:
    await Notification.filter(id=notification_id, delivery=Delivery.SENDING).update(
        delivery=delivery,
        claimed_until=None,
        sent_at=now if delivery == Delivery.SENT else None,
        sealed_link=None,
        last_error=error,
    )


async def deliver(mailer: Mailer, sealer: Sealer, notification_ids: Sequence[int], *, now: datetime) -> int:
    """Deliver the named notifications if they are still due; returns how many were mailed."""
    claimed = await _claim(now, limit=len(notification_ids), ids=notification_ids)
    return sum([await _send_claimed(mailer, sealer, i, now) for i in claimed])


async def deliver_due(mailer: Mailer, sealer: Sealer, *, now: datetime, batch: int = 50) -> int:
    """Deliver every pending notification that is due; returns how many were mailed."""
    mailed = 0
    while claimed := await _claim(now, limit=batch):
        for notification_id in claimed:
            mailed += await _send_claimed(mailer, sealer, notification_id, now)
        if len(claimed) < batch:
            break
    return mailed


async def mark_read(user: User, notification_ids: Sequence[int] | None, *, now: datetime) -> int:
    unread = Notification.filter(recipient_id=user.id, listed=True, read_at__isnull=True)
    if notification_ids:
        unread = unread.filter(id__in=list(notification_ids))
    return await unread.update(read_at=now)


def listed_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.filter(recipient_id=user.id, listed=True)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications
