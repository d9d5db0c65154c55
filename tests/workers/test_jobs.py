"""The job functions, called as arq calls them: arq may run any job twice, and nobody gets two mails."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from backend.auth.tokens import Sealer
from backend.clock import ManualClock, SystemClock
from backend.mail import FileMailer, SmtpMailer
from backend.models import Notification, User
from backend.models.enums import Delivery
from backend.services import accounts
from backend.services.actors import Actor
from backend.settings import Settings
from support import People, RecordingMailer
from workers.jobs import RUNNABLE, deliver_due_notifications, deliver_notifications
from workers.settings import CRON_JOBS, FUNCTIONS, prepare


async def ask_for_sign_in_link(user: User, clock: ManualClock, sealer: Sealer) -> Notification:
    await accounts.request_magic_link(
        Actor(client="203.0.113.9"),
        email=user.email,
        now=clock.now(),
        sealer=sealer,
    )
    return await Notification.get(recipient_id=user.id)


@pytest.fixture
def ctx(mailer: RecordingMailer, sealer: Sealer, clock: ManualClock) -> dict[str, Any]:
    return {"mailer": mailer, "sealer": sealer, "clock": clock, "job_try": 1}


async def test_the_delivery_job_run_twice_mails_once(
    people: People, ctx: dict[str, Any], mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    ann = await people.make("Ann")
    notification = await ask_for_sign_in_link(ann.user, clock, sealer)

    assert await deliver_notifications(ctx, [notification.id]) == 1
    assert await deliver_notifications({**ctx, "job_try": 2}, [notification.id]) == 0

    assert [letter.to for letter in mailer.letters] == [ann.user.email]
    assert (await Notification.get(id=notification.id)).delivery == Delivery.SENT


async def test_the_sweep_job_run_twice_mails_once(
    people: People, ctx: dict[str, Any], mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    ann, bea = await people.make("Ann"), await people.make("Bea")
    await ask_for_sign_in_link(ann.user, clock, sealer)
    await ask_for_sign_in_link(bea.user, clock, sealer)

    assert await deliver_due_notifications(ctx) == 2
    assert await deliver_due_notifications(ctx) == 0

    assert sorted(letter.to for letter in mailer.letters) == [ann.user.email, bea.user.email]


async def test_the_delivery_job_leaves_what_is_not_due_to_the_sweep(
    people: People, ctx: dict[str, Any], mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    ann = await people.make("Ann")
    notification = await ask_for_sign_in_link(ann.user, clock, sealer)
    mailer.failures.append(ConnectionResetError("connection reset by the mail server"))

    assert await deliver_notifications(ctx, [notification.id]) == 0
    # A retry of the same job straight away does not jump the backoff.
    assert await deliver_notifications(ctx, [notification.id]) == 0
    clock.set((await Notification.get(id=notification.id)).deliver_after)
    assert await deliver_due_notifications(ctx) == 1

    assert len(mailer.letters) == 1


async def test_prepare_fills_the_job_context_from_the_settings(
    settings: Settings, sealer: Sealer, clock: ManualClock
) -> None:
    ctx: dict[str, Any] = {}
    await prepare(ctx, settings)

    assert ctx["settings"] is settings
    assert isinstance(ctx["clock"], SystemClock)
    assert isinstance(ctx["mailer"], FileMailer)
    assert ctx["mailer"].directory == settings.mail_dir
    # The worker opens what the web process sealed: both take the key from the settings.
    assert ctx["sealer"].unseal(sealer.seal("https://rungs.test/#/sign-in/link?token=t")) is not None

    with_smtp: dict[str, Any] = {"clock": clock}
    await prepare(with_smtp, replace(settings, mail_url="smtp://relay.example.org:2525"))
    assert with_smtp["clock"] is clock
    assert isinstance(with_smtp["mailer"], SmtpMailer)
    assert (with_smtp["mailer"].hostname, with_smtp["mailer"].port) == ("relay.example.org", 2525)


def test_the_worker_runs_every_job_the_web_process_enqueues() -> None:
    # JobQueue enqueues by name: the worker must know the function by that name.
    assert "deliver_notifications" in {function.__name__ for function in FUNCTIONS}
    assert set(RUNNABLE.values()) <= set(FUNCTIONS)


def test_the_sweep_runs_at_startup_and_every_minute() -> None:
    (scheduled,) = [job for job in CRON_JOBS if job.coroutine is deliver_due_notifications]
    assert scheduled.run_at_startup is True
    sweep = replace(scheduled, next_run=None)

    runs = []
    moment = datetime(2026, 1, 5, 9, 0, 10, tzinfo=UTC)
    for _ in range(3):
        sweep.calculate_next(moment)
        assert sweep.next_run is not None
        runs.append(sweep.next_run)
        moment = sweep.next_run
    assert [run.strftime("%H:%M:%S") for run in runs] == ["09:01:00", "09:02:00", "09:03:00"]
