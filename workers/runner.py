"""The worker for the life of the process, whatever Redis does meanwhile.

arq's worker ends at the first error from Redis (a restart, a network cut), and then nothing
runs the sweep any more. `keep_working` starts a fresh worker after each such end, pausing
longer each time while Redis stays away, until told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

import redis.exceptions
from arq.connections import ArqRedis
from arq.worker import Worker

from backend.retrying import Backoff
from backend.settings import Settings
from workers.settings import CRON_JOBS, worker_options

logger = logging.getLogger(__name__)

# Stopping cancels the jobs under way (their claims lapse and the sweep sends their mail
# later); this bounds arq's goodbyes to a Redis that may not answer.
STOP_TIMEOUT = 3.0
# arq never blocks on the server, so a command taking this long means Redis stopped answering.
REDIS_TIMEOUT = 10.0
REDIS_OUTAGES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


async def keep_working(settings: Settings, stopping: asyncio.Event) -> None:
    """Run the worker until `stopping` is set; the caller has opened the database."""
    backoff = Backoff(first=1, most=30)
    while not stopping.is_set():
        pool = ArqRedis.from_url(
            settings.job_queue_url, socket_connect_timeout=2, socket_timeout=REDIS_TIMEOUT
        )
        options = worker_options(settings, database_open=True)
        worker = Worker(
            **{
                **options,
                "redis_pool": pool,
                # A fresh schedule, so each new worker sweeps at once for whatever its
                # predecessor missed, as a worker does when its process starts.
                "cron_jobs": [replace(job, next_run=None) for job in CRON_JOBS],
            }
        )
        running = asyncio.create_task(worker.async_run())
        stop_asked = asyncio.create_task(stopping.wait())
        try:
            await asyncio.wait({running, stop_asked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop_asked.cancel()
            await _retire(worker, running, pool)
        if stopping.is_set():
            return
        # arq keeps the connection in the job context once Redis has answered.
        if "redis" in worker.ctx:
            backoff.reset()
        pause = backoff.pause()
        failure = running.exception() if not running.cancelled() else None
        if isinstance(failure, REDIS_OUTAGES):
            logger.warning("the worker lost Redis (%s); trying again in %.1f s", failure, pause)
        else:
            logger.error("the worker stopped; starting a new one in %.1f s", pause, exc_info=failure)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), pause)


async def _retire(worker: Worker, running: asyncio.Task[None], pool: ArqRedis) -> None:
    """Stop a worker and its jobs within STOP_TIMEOUT, whether Redis still answers or not."""
    try:
        async with asyncio.timeout(STOP_TIMEOUT):
            await worker.close()
    except Exception as error:  # Redis gone: arq's goodbyes cannot reach it
        logger.info("the worker stopped without reaching Redis: %s", error or type(error).__name__)
        with contextlib.suppress(Exception):
            await pool.aclose()
    running.cancel()
    await asyncio.wait({running})
