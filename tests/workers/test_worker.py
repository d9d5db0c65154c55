"""A real arq worker on the real Redis: jobs asked for by the web process, the sweep, lost queues."""

from __future__ import annotations

import email
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import cast

import httpx
import pytest
import redis as redis_client
from arq.constants import job_key_prefix
from arq.jobs import deserialize_job
from worker_support import MailServer, RunWorker

from backend.app import create_app
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.models import Notification
from backend.models.enums import Delivery
from backend.queue import JobQueue
from backend.services import accounts
from backend.services.actors import Actor
from backend.settings import Settings
from support import GraphQL, People, operation, payload
from workers.settings import CRON_JOBS

QUEUE = "arq:queue"
PUBLIC_URL = "https://rungs.test"  # the test settings' public_url


def queued_jobs(redis: redis_client.Redis) -> list[tuple[str, tuple[object, ...]]]:
    """(function, args) of each job waiting in arq's queue."""
    jobs = []
    for job_id in cast("list[bytes]", redis.zrange(QUEUE, 0, -1)):
        data = redis.get(job_key_prefix + job_id.decode())
        assert isinstance(data, bytes)
        job = deserialize_job(data)
        jobs.append((job.function, job.args))
    return jobs


def mail_in(directory: Path) -> list[EmailMessage]:
    messages = []
    for path in sorted(directory.glob("*.eml")) if directory.exists() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def token_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    (link,) = [line for line in body.get_content().splitlines() if line.startswith(PUBLIC_URL)]
    assert link.startswith(f"{PUBLIC_URL}/#/sign-in/link?token=")
    return link.split("token=", 1)[1]


async def test_signing_in_by_mail_from_request_to_session(
    gql: GraphQL,
    people: People,
    redis: redis_client.Redis,
    run_worker: RunWorker,
    worker_settings: Settings,
) -> None:
    ann = await people.make("Ann")

    requested = payload(await gql("RequestMagicLink", input={"email": ann.user.email}))

    assert requested["errors"] == []
    notification = await Notification.get(recipient_id=ann.user.id)
    assert queued_jobs(redis) == [("deliver_notifications", ([notification.id],))]

    worker = await run_worker(worker_settings)

    assert worker.jobs_complete == 1
    assert redis.zcard(QUEUE) == 0
    (message,) = mail_in(worker_settings.mail_dir)
    assert message["To"] == ann.user.email
    assert message["Subject"] == "Your link to sign in to Rungs"
    assert message["Message-ID"] == f"<notification-{notification.id}@rungs>"
    sent = await Notification.get(id=notification.id)
    assert (sent.delivery, sent.sealed_link) == (Delivery.SENT, None)

    signed_in = payload(await gql("LogInWithMagicLink", input={"token": token_in(message)}))
    assert signed_in["errors"] == []
    assert signed_in["viewer"]["email"] == ann.user.email


async def test_the_same_job_enqueued_twice_mails_once(
    people: People,
    redis: redis_client.Redis,
    redis_url: str,
    run_worker: RunWorker,
    worker_settings: Settings,
    mail_server: MailServer,
    clock: ManualClock,
    sealer: Sealer,
) -> None:
    ann = await people.make("Ann")
    await accounts.request_magic_link(Actor(), email=ann.user.email, now=clock.now(), sealer=sealer)
    notification = await Notification.get(recipient_id=ann.user.id)
    queue = JobQueue(redis_url)
    try:
        await queue.deliver_notifications([notification.id])
        await queue.deliver_notifications([notification.id])
    finally:
        await queue.close()
    assert redis.zcard(QUEUE) == 2

    worker = await run_worker(replace(worker_settings, mail_url=mail_server.url))

    assert worker.jobs_complete == 2
    assert [message["To"] for message in mail_server.received] == [ann.user.email]


async def test_with_the_queue_emptied_after_commit_the_sweep_still_delivers(
    gql: GraphQL,
    people: People,
    redis: redis_client.Redis,
    run_worker: RunWorker,
    worker_settings: Settings,
) -> None:
    ann = await people.make("Ann")
    assert payload(await gql("RequestMagicLink", input={"email": ann.user.email}))["errors"] == []
    assert redis.zcard(QUEUE) == 1

    redis.flushdb()
    await run_worker(worker_settings)
    assert mail_in(worker_settings.mail_dir) == []
    assert (await Notification.get(recipient_id=ann.user.id)).delivery == Delivery.PENDING

    # A worker starting up runs the sweep, as it then does every minute.
    worker = await run_worker(worker_settings, cron_jobs=CRON_JOBS)

    assert worker.jobs_complete >= 1
    (message,) = mail_in(worker_settings.mail_dir)
    assert message["To"] == ann.user.email
    assert (await Notification.get(recipient_id=ann.user.id)).delivery == Delivery.SENT


@pytest.fixture
async def client_while_redis_is_down(
    settings: Settings, clock: ManualClock, clean_db: None
) -> AsyncIterator[httpx.AsyncClient]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(
        replace(settings, redis_url=f"redis://127.0.0.1:{port}/0"), clock=clock, manage_database=False
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as http,
    ):
        yield http


async def test_with_redis_down_the_request_succeeds_and_the_sweep_delivers(
    client_while_redis_is_down: httpx.AsyncClient,
    people: People,
    run_worker: RunWorker,
    worker_settings: Settings,
) -> None:
    ann = await people.make("Ann")

    response = await client_while_redis_is_down.post(
        "/graphql",
        json={"query": operation("RequestMagicLink"), "variables": {"input": {"email": ann.user.email}}},
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"requestMagicLink": {"errors": []}}}
    assert (await Notification.get(recipient_id=ann.user.id)).delivery == Delivery.PENDING
    await run_worker(worker_settings, cron_jobs=CRON_JOBS)
    assert [message["To"] for message in mail_in(worker_settings.mail_dir)] == [ann.user.email]
