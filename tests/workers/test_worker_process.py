"""The worker outlasting Redis being away: `rungs worker` as operators run it, and the loop inside it."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from backend.clock import ManualClock
from backend.embedded_redis import EmbeddedRedis
from backend.models.enums import NotificationKind
from backend.services import accounts, notifications
from backend.settings import Settings
from processes import STOP_WITHIN, Running, embedded_env, eventually, rungs
from support import PASSWORD
from workers.runner import keep_working

SECRET_KEY = "one-key-for-every-worker-and-web-process"


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    """A migrated database with the demo's mail waiting to go out, and a Redis socket nobody
    answers on yet."""
    env = embedded_env(tmp_path / "var", REDIS_URL=f"unix://{tmp_path / 'redis.sock'}", SECRET_KEY=SECRET_KEY)
    assert rungs("migrate", env=env).returncode == 0
    assert rungs("demo-data", env=env).returncode == 0
    return env


def pauses(output: str) -> list[float]:
    return [
        float(pause) for pause in re.findall(r"cannot reach Redis: .*; trying again in ([\d.]+) s", output)
    ]


def test_a_worker_waits_for_redis_with_growing_pauses_and_then_delivers(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    worker = Running("worker", env=seeded, cwd=tmp_path, log=tmp_path / "worker.log")
    try:
        eventually(lambda: len(pauses(worker.output)) >= 3, within=60, what="three tries to reach Redis")

        # Still there, and not hammering the server: each pause at least as long as the last.
        assert worker.process.poll() is None
        first, second, third = pauses(worker.output)[:3]
        assert first <= second <= third and third >= 2
        with EmbeddedRedis(tmp_path / "redis.sock"):
            mail = eventually(
                lambda: list((tmp_path / "var" / "mail").glob("*.eml")),
                within=60,
                what="the waiting mail sent once Redis answers",
            )
            assert mail
            assert worker.stop() < STOP_WITHIN
    finally:
        worker.kill()


def test_a_worker_stops_in_time_while_redis_is_away(seeded: dict[str, str], tmp_path: Path) -> None:
    worker = Running("worker", env=seeded, cwd=tmp_path, log=tmp_path / "worker.log")
    try:
        worker.says("the worker cannot reach Redis")

        assert worker.stop() < STOP_WITHIN
        assert not (tmp_path / "var" / "mail").exists()
    finally:
        worker.kill()


async def until(condition: Callable[[], object], *, within: float, what: str) -> None:
    """Ask until the answer is truthy, giving the event loop its turn; fail after `within` s."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)


async def test_a_worker_that_loses_redis_carries_on_once_it_is_back(
    clean_db: None, clock: ManualClock, worker_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    server = EmbeddedRedis(worker_settings.data_dir / "redis.sock")
    server.start()
    settings = replace(worker_settings, redis_url=server.url)
    stopping = asyncio.Event()
    working = asyncio.create_task(keep_working(settings, stopping))
    try:
        await until(lambda: "Starting worker" in caplog.text, within=30, what="the worker on Redis")

        server.stop()
        await until(lambda: "the worker lost Redis" in caplog.text, within=30, what="the worker noticing")
        server.start()
        ann = await accounts.create_confirmed_account(
            email="ann@example.org", password=PASSWORD, display_name="Ann", now=clock.now()
        )
        await notifications.notify(
            NotificationKind.ORGANISATION_MEMBERSHIP,
            ann,
            subject="organisation:1",
            now=clock.now(),
            context={"organisation": "Riverside Youth Trust", "added_by": "Alex Admin", "role": "member"},
        )

        # Nobody asked for it on the queue: the new worker's sweep at start finds it.
        await until(
            lambda: list(settings.mail_dir.glob("*.eml")), within=30, what="the mail, from the worker back"
        )
    finally:
        stopping.set()
        await asyncio.wait_for(working, STOP_WITHIN)
        server.stop()
