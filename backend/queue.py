"""The job queue (arq on Redis), as the web process sees it: a way to ask for work now."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from arq.connections import ArqRedis

logger = logging.getLogger(__name__)


class JobQueue:
    def __init__(self, redis_url: str) -> None:
        # Connects on first use, so the web process starts even while Redis is down.
        self.redis = ArqRedis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)

    async def deliver_notifications(self, notification_ids: Sequence[int]) -> None:
        """Ask a worker to deliver now. Best effort: the sweep delivers anything this misses."""
        if not notification_ids:
            return
        try:
            await self.redis.enqueue_job("deliver_notifications", list(notification_ids))
        except Exception as error:  # Redis down or slow: the outbox row is safe in the database
            logger.warning("could not enqueue delivery of %s: %s", list(notification_ids), error)

    async def ping(self) -> None:
        await self.redis.ping()

    async def close(self) -> None:
        await self.redis.aclose()
