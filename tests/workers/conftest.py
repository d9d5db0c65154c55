"""The worker as it runs in production: arq on the real Redis, mail to files or a real SMTP server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from arq.cron import CronJob
from arq.worker import Worker
from worker_support import MailServer, RunWorker

from backend.clock import ManualClock
from backend.settings import Settings
from workers.settings import worker_options

# A burst run ends once the queue is empty; this only bounds a run that hangs.
WORKER_DEADLINE = 30


@pytest.fixture
def worker_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The test settings with a data directory of the test's own, so its mail directory starts empty."""
    return replace(settings, data_dir=tmp_path)


@pytest.fixture
def run_worker(clock: ManualClock) -> RunWorker:
    """Runs a real arq worker in burst mode (until the queue is empty) with `worker_options`.

    No cron jobs unless given: arq schedules them by the wall clock, which would make a test
    depend on the second it runs at. Those given run from a fresh schedule, as in a new process:
    arq keeps the schedule on the job objects themselves.
    """

    async def run(settings: Settings, *, cron_jobs: Sequence[CronJob] = ()) -> Worker:
        options = worker_options(settings, database_open=True)
        worker = Worker(
            **{
                **options,
                "burst": True,
                "poll_delay": 0.01,
                "cron_jobs": [replace(job, next_run=None) for job in cron_jobs],
                "ctx": {**options["ctx"], "clock": clock},
            }
        )
        try:
            await asyncio.wait_for(worker.main(), timeout=WORKER_DEADLINE)
        finally:
            await worker.close()
        return worker

    return run


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = MailServer(port=port)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    yield server
    controller.stop()
