"""The worker for the life of the process, whatever Redis does meanwhile.

arq's worker ends at the first error from Redis (a restart, a network cut), and then nothing
runs the sweep any more. `keep_working` starts a fresh worker whenever one ends, once Redis
answers again, pausing longer after each failure in a row, until told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
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
PING_TIMEOUT = 2.0
REDIS_OUTAGES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# A worker that ran this long was not failing over and over: the next pause starts short again.
STEADY = 60.0


async def keep_working(settings: Settings, stopping: asyncio.Event) -> None:
    """Run the worker until `stopping` is set; the caller has opened the database."""
    backoff = Backoff(first=1, most=30)
    while not stopping.is_set():
        pool = ArqRedis.from_url(
            settings.job_queue_url, socket_connect_timeout=2, socket_timeout=REDIS_TIMEOUT
        )
        try:
            # Bounded, so a server that accepts but never answers cannot hold up stopping.
            async with asyncio.timeout(PING_TIMEOUT):
                await pool.ping()
        except REDIS_OUTAGES as error:  # TimeoutError among them
            await pool.aclose()
            pause = backoff.pause()
            logger.warning("the worker cannot reach Redis: %s; trying again in %.1f s", error, pause)
        else:
            started = time.monotonic()
            failure = await _work(settings, pool, stopping)
            if stopping.is_set():
                return
            if time.monotonic() - started >= STEADY:
                backoff.reset()
            pause = backoff.pause()
            if isinstance(failure, REDIS_OUTAGES):
                logger.warning("the worker lost Redis: %s; trying again in %.1f s", failure, pause)
            else:
                logger.error("the worker stopped; starting a new one in %.1f s", pause, exc_info=failure)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), pause)


async def _work(settings: Settings, pool: ArqRedis, stopping: asyncio.Event) -> BaseException | None:
    """One arq worker on `pool`, until it fails (returning why) or `stopping` is set."""
    worker = Worker(
        **{
            **worker_options(settings, database_open=True),
            "redis_pool": pool,
            # A fresh schedule, so each new worker sweeps at once for whatever went undelivered
            # while Redis was away, as a worker does when its process starts.
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
    return None if running.cancelled() else running.exception()


async def _retire(worker: Worker, running: asyncio.Task[None], pool: ArqRedis) -> None:
    """Stop a worker and its jobs within STOP_TIMEOUT, whether Redis still answers or not."""
    try:
        async with asyncio.timeout(STOP_TIMEOUT):
            await worker.close()
    except asyncio.CancelledError:
        # arq's close() awaits the jobs it has just cancelled and passes their cancellation
        # on; only a cancellation of this task itself goes further.
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        # close() stopped there, before closing its connections.
        with contextlib.suppress(Exception):
            await pool.aclose()
    except Exception as error:  # Redis gone: arq's goodbyes cannot reach it, which costs nothing
        logger.debug("the worker stopped without reaching Redis: %s", error or type(error).__name__)
        with contextlib.suppress(Exception):
            await pool.aclose()
    running.cancel()
    await asyncio.wait({running})
