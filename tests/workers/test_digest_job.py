"""The progress digest job: hourly in the worker, by name for operators, and the same
service the digest tests exercise (tests/services/test_digests.py)."""

from __future__ import annotations

from workers.jobs import RUNNABLE, send_digests
from workers.settings import CRON_JOBS, FUNCTIONS


def test_digests_are_sent_hourly_and_by_name() -> None:
    assert RUNNABLE["send-digests"] is send_digests
    assert send_digests in FUNCTIONS
    (scheduled,) = [job for job in CRON_JOBS if job.coroutine is send_digests]
    assert scheduled.minute == 50 and scheduled.hour is None
