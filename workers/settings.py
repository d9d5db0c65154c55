"""The arq worker: `rungs worker` (or `rungs run`) starts it with these settings."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from arq.connections import RedisSettings
from arq.cron import cron

from backend import db
from backend.auth.tokens import Sealer
from backend.clock import SystemClock
from backend.mail import mailer_for
from backend.services import configuration
from backend.settings import Settings
from workers.jobs import (
    deliver_due_notifications,
    deliver_notifications,
    escalate_overdue_responses,
    prune_login_attempts,
    reopen_disputed_resolutions,
    send_digests,
    send_task_reminders,
    snapshot_ladder,
)

FUNCTIONS = [
    deliver_notifications,
    deliver_due_notifications,
    prune_login_attempts,
    escalate_overdue_responses,
    reopen_disputed_resolutions,
    # Task reminders are outbox rows due at their moment: the minutely sweep sends them; this
    # runs the same step on demand.
    send_task_reminders,
    send_digests,
    snapshot_ladder,
]
CRON_JOBS = [
    # Every minute: whatever was not delivered at once (Redis down, worker dead) goes now.
    # A sweep through a backlog may outlast the default job timeout; cutting it short would
    # only leave its claimed rows waiting for their lease to lapse.
    cron(deliver_due_notifications, second=0, run_at_startup=True, timeout=timedelta(minutes=30)),
    cron(prune_login_attempts, minute=17, second=30),
    # Hourly: each escalation step is recorded once, so running late or twice changes nothing.
    cron(escalate_overdue_responses, minute=5, second=0, run_at_startup=True, timeout=timedelta(minutes=30)),
    # Hourly: each closing is judged once, whoever runs the sweep and however often.
    cron(
        reopen_disputed_resolutions, minute=35, second=0, run_at_startup=True, timeout=timedelta(minutes=30)
    ),
    # Daily, past midnight; again at startup: each area's snapshot is taken once a day, so
    # a run that finds today's taken writes nothing, and one cut short is finished.
    cron(snapshot_ladder, hour=0, minute=20, second=0, run_at_startup=True, timeout=timedelta(hours=2)),
    # Hourly: each person's digest for a period is written once, however often this runs.
    cron(send_digests, minute=50, second=0, timeout=timedelta(minutes=30)),
]


async def prepare(ctx: dict[str, Any], settings: Settings) -> None:
    """Fill a job context; also used by `rungs jobs run` to run one job outside the worker."""
    ctx["settings"] = settings
    configuration.configure(settings)
    ctx.setdefault("clock", SystemClock())
    ctx["mailer"] = mailer_for(settings.mail_url, settings.mail_dir, settings.mail_from)
    ctx["sealer"] = Sealer(settings.secret_key)


async def startup(ctx: dict[str, Any]) -> None:
    settings = ctx.get("settings") or Settings.from_environment()
    if not ctx.get("database_open"):
        await db.open_database(settings.database_url)
    await prepare(ctx, settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    if not ctx.get("database_open"):
        await db.close_database()


def redis_settings(redis_url: str | None, data_dir: Path) -> RedisSettings:
    return RedisSettings.from_dsn(redis_url or f"unix://{data_dir / 'redis.sock'}")


def worker_options(settings: Settings, *, database_open: bool = False) -> dict[str, Any]:
    """Keyword arguments for `arq.Worker`. `database_open`: the caller already opened Tortoise."""
    return {
        "functions": FUNCTIONS,
        "cron_jobs": CRON_JOBS,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "redis_settings": redis_settings(settings.redis_url, settings.data_dir),
        "ctx": {"settings": settings, "database_open": database_open},
        "max_jobs": 10,
        "job_timeout": 300,
        "handle_signals": False,
    }


class WorkerSettings:
    """For `arq workers.settings.WorkerSettings`; `rungs worker` is the usual way in."""

    functions = FUNCTIONS
    cron_jobs = CRON_JOBS
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings(
        os.environ.get("REDIS_URL"), Path(os.environ.get("DATA_DIR", "var")).resolve()
    )
