"""The outbox: written with its cause, mailed once, retried with backoff, never lost.

The one way anybody gets a mail twice is the documented window: the mail server
accepted it and the worker died before recording that. These tests pin that window
down, and show there is no other.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.mail import Letter
from backend.models import Notification, User
from backend.models.enums import Delivery, NotificationKind
from backend.services import accounts, notifications
from backend.services.actors import Actor
from backend.services.notifications import CLAIM_LEASE, MAX_ATTEMPTS
from support import GraphQL, People, RecordingMailer, payload

pytestmark = pytest.mark.usefixtures("clean_db")

PUBLIC_URL = "https://rungs.test"


async def resident(clock: ManualClock, name: str, *, email_notifications: bool = True) -> User:
    address = f"{name.lower().replace(' ', '.')}@example.org"
    user = await accounts.create_confirmed_account(
        email=address, password="correct horse battery staple", display_name=name, now=clock.now()
    )
    if not email_notifications:
        await accounts.update_notification_preferences(Actor(user=user), now=clock.now(), email=False)
    return user


async def added_to_organisation(
    recipient: User, clock: ManualClock, *, organisation: int = 1, occurrence: str = ""
) -> Notification:
    """An ordinary notification, as `organisations.add_member` writes it."""
    return await notifications.notify(
        NotificationKind.ORGANISATION_MEMBERSHIP,
        recipient,
        subject=f"organisation:{organisation}",
        occurrence=occurrence,
        now=clock.now(),
        context={"organisation": f"Organisation {organisation}", "added_by": "Alex Admin", "role": "member"},
    )


async def ask_for_sign_in_link(recipient: User, clock: ManualClock, sealer: Sealer) -> Notification:
    await accounts.request_magic_link(
        Actor(client="203.0.113.9"),
        email=recipient.email,
        now=clock.now(),
        sealer=sealer,
    )
    return await Notification.get(recipient_id=recipient.id, kind=NotificationKind.MAGIC_LINK)


def link_in(letter: Letter) -> str:
    (link,) = [line for line in letter.body.splitlines() if line.startswith(PUBLIC_URL)]
    return link


async def reloaded(notification: Notification) -> Notification:
    return await Notification.get(id=notification.id)


# Writing


async def test_notifying_twice_writes_one_notification(clock: ManualClock) -> None:
    ann = await resident(clock, "Ann")
    first = await added_to_organisation(ann, clock)
    clock.advance(minutes=3)
    again = await added_to_organisation(ann, clock)

    assert again.id == first.id
    assert await Notification.filter(recipient_id=ann.id).count() == 1


async def test_another_occurrence_or_subject_is_another_notification(clock: ManualClock) -> None:
    ann = await resident(clock, "Ann")
    await added_to_organisation(ann, clock)
    await added_to_organisation(ann, clock, occurrence="2026-02")
    await added_to_organisation(ann, clock, organisation=2)

    assert await Notification.filter(recipient_id=ann.id).count() == 3


async def test_fresh_notifications_names_each_pending_notification_once(clock: ManualClock) -> None:
    ann = await resident(clock, "Ann")
    already_sent = await added_to_organisation(ann, clock, organisation=9)
    await notifications.deliver_due(RecordingMailer(), Sealer("any"), clock=clock)

    with notifications.fresh_notifications() as fresh:
        first = await added_to_organisation(ann, clock)
        await added_to_organisation(ann, clock)
        await added_to_organisation(ann, clock, organisation=9)

    assert fresh == [first.id]
    assert already_sent.id not in fresh


async def test_a_notification_written_in_a_rolled_back_transaction_does_not_exist(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")

    class CauseFailed(Exception):
        pass

    with pytest.raises(CauseFailed):
        async with in_transaction():
            await added_to_organisation(ann, clock)
            raise CauseFailed

    assert not await Notification.filter(recipient_id=ann.id).exists()
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    assert mailer.letters == []


async def test_the_sign_in_link_is_sealed_in_the_database(clock: ManualClock, sealer: Sealer) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)

    assert notification.sealed_link is not None
    assert PUBLIC_URL not in notification.sealed_link
    # Asked of the database: SQLite may hand a boolean back as 0 or 1.
    assert await Notification.filter(id=notification.id, listed=False).exists()


# Delivering


async def test_a_notification_is_mailed_once_however_often_delivery_runs(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await added_to_organisation(ann, clock)

    assert await notifications.deliver(mailer, sealer, [notification.id], clock=clock) == 1
    sent_at = clock.now()
    assert await notifications.deliver(mailer, sealer, [notification.id], clock=clock) == 0
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    clock.advance(hours=1)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    (letter,) = mailer.letters
    assert letter.to == ann.email
    assert letter.subject == "You were added to Organisation 1"
    assert letter.message_id == f"<notification-{notification.id}@rungs>"
    sent = await reloaded(notification)
    assert sent.delivery == Delivery.SENT
    assert (sent.sent_at, sent.attempts, sent.claimed_until) == (sent_at, 1, None)


async def test_after_sending_the_sealed_link_is_erased(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)
    clock.advance(minutes=1)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1

    (letter,) = mailer.to(ann.email)
    assert link_in(letter).startswith(f"{PUBLIC_URL}/#/sign-in/link?token=")
    sent = await reloaded(notification)
    assert (sent.delivery, sent.sealed_link, sent.sent_at) == (Delivery.SENT, None, clock.now())


async def test_a_link_sealed_whole_before_links_were_paths_is_mailed_as_it_is(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)
    sealed_whole = f"{PUBLIC_URL}/#/sign-in/link?token=from-before"
    await Notification.filter(id=notification.id).update(sealed_link=sealer.seal(sealed_whole))

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1

    (letter,) = mailer.to(ann.email)
    assert link_in(letter) == sealed_whole


async def test_the_link_in_the_mail_signs_in(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    await ask_for_sign_in_link(ann, clock, sealer)
    await notifications.deliver_due(mailer, sealer, clock=clock)

    token = link_in(mailer.letters[0]).split("token=", 1)[1]
    signed_in = await accounts.log_in_with_magic_link(Actor(), token=token, now=clock.now())

    assert signed_in.user.id == ann.id


async def test_a_notification_due_later_waits_for_its_time(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    reminder = await notifications.notify(
        NotificationKind.ORGANISATION_MEMBERSHIP,
        ann,
        subject="organisation:1",
        now=clock.now(),
        context={"organisation": "Riverside Youth Trust", "added_by": "Alex Admin", "role": "member"},
        deliver_after=clock.now() + CLAIM_LEASE,
    )

    assert await notifications.deliver(mailer, sealer, [reminder.id], clock=clock) == 0
    clock.advance(minutes=4)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    untouched = await reloaded(reminder)
    assert (untouched.delivery, untouched.attempts) == (Delivery.PENDING, 0)

    clock.advance(minutes=1)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1


async def test_an_expired_sign_in_link_is_skipped_and_erased(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)
    clock.advance(minutes=20)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    assert mailer.letters == []
    skipped = await reloaded(notification)
    assert skipped.delivery == Delivery.SKIPPED
    assert skipped.sealed_link is None
    assert skipped.last_error is not None and "expired" in skipped.last_error


async def test_a_sign_in_link_is_not_mailed_at_the_moment_it_expires(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)
    clock.advance(minutes=15)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    assert (await reloaded(notification)).delivery == Delivery.SKIPPED
    assert mailer.letters == []


async def test_email_turned_off_skips_ordinary_mail_but_not_account_mail(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    bea = await resident(clock, "Bea", email_notifications=False)
    membership = await added_to_organisation(bea, clock)
    sign_in = await ask_for_sign_in_link(bea, clock, sealer)

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1

    (letter,) = mailer.to(bea.email)
    assert letter.subject == "Your link to sign in to Rungs"
    assert (await reloaded(sign_in)).delivery == Delivery.SENT
    skipped = await reloaded(membership)
    assert skipped.delivery == Delivery.SKIPPED
    assert skipped.last_error == "recipient turned email off"


async def test_a_link_sealed_with_another_secret_key_fails_rather_than_mailing_no_link(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await ask_for_sign_in_link(ann, clock, sealer)

    worker_with_other_key = Sealer("a different secret key")
    assert await notifications.deliver_due(mailer, worker_with_other_key, clock=clock) == 0

    assert mailer.letters == []
    failed = await reloaded(notification)
    assert failed.delivery == Delivery.FAILED
    assert failed.last_error is not None and "secret key" in failed.last_error


# Failures and retries


async def test_a_failed_send_is_retried_after_a_backoff(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await added_to_organisation(ann, clock)
    mailer.failures.append(ConnectionRefusedError("mail server down"))

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    waiting = await reloaded(notification)
    assert waiting.delivery == Delivery.PENDING
    assert waiting.last_error == "mail server down"
    assert waiting.attempts == 1
    assert waiting.claimed_until is None
    backoff = waiting.deliver_after - clock.now()
    assert backoff == timedelta(minutes=2)

    # A sweep before the backoff is over leaves it alone.
    clock.advance(seconds=backoff.total_seconds() - 1)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    assert (await reloaded(notification)).attempts == 1

    clock.advance(seconds=1)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1
    sent = await reloaded(notification)
    assert (sent.delivery, sent.attempts, sent.last_error) == (Delivery.SENT, 2, None)
    assert len(mailer.letters) == 1


async def test_the_backoff_grows_and_after_max_attempts_the_mail_has_failed(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await added_to_organisation(ann, clock)
    mailer.failures.extend(TimeoutError(f"timed out, try {n}") for n in range(1, MAX_ATTEMPTS + 1))

    backoffs = []
    for attempt in range(1, MAX_ATTEMPTS):
        assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
        row = await reloaded(notification)
        assert (row.delivery, row.attempts, row.last_error) == (
            Delivery.PENDING,
            attempt,
            f"timed out, try {attempt}",
        )
        backoffs.append(row.deliver_after - clock.now())
        clock.set(row.deliver_after)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0

    failed = await reloaded(notification)
    assert (failed.delivery, failed.attempts) == (Delivery.FAILED, MAX_ATTEMPTS)
    assert failed.last_error == f"timed out, try {MAX_ATTEMPTS}"
    assert backoffs == [timedelta(minutes=2**attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert mailer.failures == []

    # Failed is final: later sweeps neither send it nor try again.
    clock.advance(days=1)
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 0
    assert mailer.letters == []
    assert (await reloaded(notification)).attempts == MAX_ATTEMPTS


# The duplicate window


class WorkerDiesAfterSending(RecordingMailer):
    """The mail server accepts the mail; then the worker is cancelled before it records that."""

    def __init__(self, deaths: int) -> None:
        super().__init__()
        self.deaths = deaths

    async def send(self, letter: Letter) -> None:
        await super().send(letter)
        if self.deaths:
            self.deaths -= 1
            raise asyncio.CancelledError


async def test_a_worker_dying_between_send_and_commit_resends_once_after_the_lease(
    clock: ManualClock, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    notification = await added_to_organisation(ann, clock)
    mail_server = WorkerDiesAfterSending(deaths=1)

    with pytest.raises(asyncio.CancelledError):
        await notifications.deliver_due(mail_server, sealer, clock=clock)
    stranded = await reloaded(notification)
    assert (stranded.delivery, stranded.attempts) == (Delivery.SENDING, 1)

    # While the lease holds, no other sweep or job touches it.
    clock.advance(seconds=CLAIM_LEASE.total_seconds() - 1)
    assert await notifications.deliver_due(mail_server, sealer, clock=clock) == 0
    assert await notifications.deliver(mail_server, sealer, [notification.id], clock=clock) == 0
    assert len(mail_server.letters) == 1

    clock.advance(seconds=2)
    assert await notifications.deliver_due(mail_server, sealer, clock=clock) == 1

    # The second mail is the whole of the window: the same mail, and no third.
    first, second = mail_server.letters
    assert first == second
    sent = await reloaded(notification)
    assert (sent.delivery, sent.attempts) == (Delivery.SENT, 2)
    clock.advance(hours=1)
    assert await notifications.deliver_due(mail_server, sealer, clock=clock) == 0
    assert len(mail_server.letters) == 2


async def test_a_mail_the_worker_keeps_dying_on_is_given_up(clock: ManualClock, sealer: Sealer) -> None:
    ann = await resident(clock, "Ann")
    notification = await added_to_organisation(ann, clock)
    mail_server = WorkerDiesAfterSending(deaths=100)

    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(asyncio.CancelledError):
            await notifications.deliver_due(mail_server, sealer, clock=clock)
        clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert await notifications.deliver_due(mail_server, sealer, clock=clock) == 0

    failed = await reloaded(notification)
    assert failed.delivery == Delivery.FAILED
    assert len(mail_server.letters) == MAX_ATTEMPTS
    clock.advance(days=1)
    assert await notifications.deliver_due(mail_server, sealer, clock=clock) == 0
    assert len(mail_server.letters) == MAX_ATTEMPTS


async def test_a_worker_whose_lapsed_claim_was_taken_over_does_not_send(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    """A worker stalls after claiming a batch; its lease lapses and another worker takes the batch."""
    ann = await resident(clock, "Ann")
    for organisation in range(1, 4):
        await added_to_organisation(ann, clock, organisation=organisation)
    stalled, _ = await notifications._claim(clock.now(), limit=10)
    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    taken_over, _ = await notifications._claim(clock.now(), limit=10)
    assert [c.notification_id for c in taken_over] == [c.notification_id for c in stalled]

    # The stalled worker wakes up while the new claims are still being worked on.
    for claim in stalled:
        assert await notifications._send_claimed(mailer, sealer, claim, clock) is False
    assert mailer.letters == []
    assert await Notification.filter(delivery=Delivery.SENDING).count() == 3

    for claim in taken_over:
        assert await notifications._send_claimed(mailer, sealer, claim, clock) is True
    assert len(mailer.letters) == 3
    assert await Notification.filter(delivery=Delivery.SENT, attempts=2).count() == 3


async def test_a_slow_send_keeps_its_claim_from_other_workers(clock: ManualClock, sealer: Sealer) -> None:
    """The lease is renewed as each mail goes out, not only when the batch was claimed."""
    ann = await resident(clock, "Ann")
    await added_to_organisation(ann, clock)
    other_worker = RecordingMailer()

    class SlowMailServer(RecordingMailer):
        async def send(self, letter: Letter) -> None:
            # The mail takes two minutes to go out; meanwhile another worker's sweep runs.
            clock.advance(minutes=2)
            await notifications.deliver_due(other_worker, sealer, clock=clock)
            await super().send(letter)

    slow = SlowMailServer()
    claimed, _ = await notifications._claim(clock.now(), limit=10)
    clock.advance(seconds=CLAIM_LEASE.total_seconds() - 60)
    assert await notifications._send_claimed(slow, sealer, claimed[0], clock) is True

    assert len(slow.letters) == 1
    assert other_worker.letters == []


# Concurrency


class BusyMailServer(RecordingMailer):
    """Lets other tasks run while each mail goes out, as a real mail server would."""

    async def send(self, letter: Letter) -> None:
        await asyncio.sleep(0)
        await super().send(letter)


async def test_concurrent_sweeps_mail_each_notification_exactly_once(
    clock: ManualClock, sealer: Sealer
) -> None:
    people = [await resident(clock, name) for name in ("Ann", "Bea", "Cai")]
    for person in people:
        for organisation in range(1, 11):
            await added_to_organisation(person, clock, organisation=organisation)
    mail_server = BusyMailServer()

    mailed = await asyncio.gather(
        notifications.deliver_due(mail_server, sealer, clock=clock, batch=4),
        notifications.deliver_due(mail_server, sealer, clock=clock, batch=4),
    )

    assert sum(mailed) == 30
    message_ids = [letter.message_id for letter in mail_server.letters]
    assert len(message_ids) == 30
    assert len(set(message_ids)) == 30
    assert await Notification.filter(delivery=Delivery.SENT, attempts=1).count() == 30


async def test_concurrent_jobs_and_sweeps_mail_each_notification_exactly_once(
    clock: ManualClock, sealer: Sealer
) -> None:
    ann = await resident(clock, "Ann")
    written = [await added_to_organisation(ann, clock, organisation=n) for n in range(1, 11)]
    ids = [notification.id for notification in written]
    mail_server = BusyMailServer()

    await asyncio.gather(
        notifications.deliver(mail_server, sealer, ids, clock=clock),
        notifications.deliver(mail_server, sealer, ids, clock=clock),
        notifications.deliver_due(mail_server, sealer, clock=clock, batch=3),
    )

    assert sorted(letter.message_id for letter in mail_server.letters) == sorted(
        f"<notification-{i}@rungs>" for i in ids
    )


@contextlib.asynccontextmanager
async def row_locked_elsewhere(notification: Notification) -> AsyncIterator[None]:
    """Holds a row lock in another task's transaction, as a worker mid-claim would."""
    locked, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with in_transaction():
            await Notification.filter(id=notification.id).select_for_update()
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    try:
        await asyncio.wait_for(locked.wait(), timeout=10)
        yield
    finally:
        release.set()
        await holder


def supports_row_locks() -> bool:
    capabilities: Any = Tortoise.get_connection("default").capabilities
    return bool(capabilities.support_for_update)


async def test_a_sweep_skips_rows_another_worker_has_locked(
    clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    if not supports_row_locks():
        pytest.skip("row locks (SELECT ... FOR UPDATE SKIP LOCKED) are PostgreSQL's")
    ann = await resident(clock, "Ann")
    locked, *others = [await added_to_organisation(ann, clock, organisation=n) for n in range(1, 4)]

    async with row_locked_elsewhere(locked):
        # Waiting on the lock instead of skipping it would run into the deadline.
        mailed = await asyncio.wait_for(notifications.deliver_due(mailer, sealer, clock=clock), timeout=10)
        assert mailed == 2
        assert (await reloaded(locked)).delivery == Delivery.PENDING

    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1
    assert sorted(letter.message_id for letter in mailer.letters) == sorted(
        f"<notification-{n.id}@rungs>" for n in (locked, *others)
    )


# What the app lists


async def test_the_app_lists_ordinary_notifications_but_never_account_mail(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Alex Admin", admin=True)
    ann = await people.make("Ann")
    created = payload(
        await gql(
            "CreateOrganisation", as_=admin.token, input={"name": "Riverside Youth Trust", "kind": "CHARITY"}
        )
    )
    organisation_id = created["organisation"]["id"]
    added = payload(
        await gql(
            "AddOrganisationMember",
            as_=admin.token,
            input={"organisationId": organisation_id, "email": ann.user.email},
        )
    )
    assert added["errors"] == []
    assert payload(await gql("RequestMagicLink", input={"email": ann.user.email}))["errors"] == []
    assert await Notification.filter(recipient_id=ann.user.id).count() == 2

    viewer = (await gql("ViewerNotifications", as_=ann.token))["viewer"]

    assert viewer["unreadNotificationCount"] == 1
    assert viewer["notifications"]["totalCount"] == 1
    (edge,) = viewer["notifications"]["edges"]
    assert edge["node"]["kind"] == "ORGANISATION_MEMBERSHIP"
    assert edge["node"]["title"] == "You were added to Riverside Youth Trust"
    assert edge["node"]["readAt"] is None

    clock.advance(minutes=5)
    marked = payload(await gql("MarkNotificationsRead", as_=ann.token, input={}))
    assert marked == {"viewer": {"unreadNotificationCount": 0}, "errors": []}

    unread = (await gql("ViewerNotifications", as_=ann.token, unreadOnly=True))["viewer"]
    assert unread["notifications"]["totalCount"] == 0
    everything = (await gql("ViewerNotifications", as_=ann.token))["viewer"]["notifications"]
    assert [e["node"]["kind"] for e in everything["edges"]] == ["ORGANISATION_MEMBERSHIP"]
    assert everything["edges"][0]["node"]["readAt"] is not None
    # The sign-in mail is never marked read: it is not the app's to show.
    sign_in = await Notification.get(recipient_id=ann.user.id, kind=NotificationKind.MAGIC_LINK)
    assert sign_in.read_at is None


async def test_marking_chosen_notifications_read_leaves_the_rest_unread(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    ann = await people.make("Ann")
    for organisation in (1, 2):
        await added_to_organisation(ann.user, clock, organisation=organisation)
    edges = (await gql("ViewerNotifications", as_=ann.token))["viewer"]["notifications"]["edges"]
    newest = edges[0]["node"]

    marked = payload(await gql("MarkNotificationsRead", as_=ann.token, input={"ids": [newest["id"]]}))

    assert marked["viewer"] == {"unreadNotificationCount": 1}
    unread = (await gql("ViewerNotifications", as_=ann.token, unreadOnly=True))["viewer"]["notifications"]
    assert [e["node"]["id"] for e in unread["edges"]] == [edges[1]["node"]["id"]]


async def test_a_long_subject_still_makes_one_notification(
    clean_db: None, people: People, clock: ManualClock
) -> None:
    ann = await people.make("Ann")
    subject = "problem:" + "x" * 400
    for _ in range(2):
        await notifications.notify(
            NotificationKind.ORGANISATION_MEMBERSHIP,
            ann.user,
            subject=subject,
            now=clock.now(),
            context={"organisation": "Org", "added_by": "Admin", "role": "member"},
        )
    rows = await Notification.filter(recipient_id=ann.user.id)
    assert len(rows) == 1 and len(rows[0].dedupe_key) <= notifications.DEDUPE_KEY_LENGTH


async def test_a_title_too_long_for_a_notification_is_shortened_visibly_never_cut_silently(
    clock: ManualClock,
) -> None:
    grace = await resident(clock, "Grace Lee")
    name = "Riverside and Old Town Residents' Association for Safer Streets " * 4
    notification = await added_to_organisation(grace, clock)
    long = await notifications.notify(
        NotificationKind.ORGANISATION_MEMBERSHIP,
        grace,
        subject="organisation:2",
        occurrence="",
        now=clock.now(),
        context={"organisation": name.strip(), "added_by": "Alex Admin", "role": "member"},
    )
    assert len(notification.title) < notifications.MAX_TITLE
    assert long.title.endswith("…") and len(long.title) <= notifications.MAX_TITLE
    # The whole name stays in what the person reads.
    assert name.strip() in long.body
