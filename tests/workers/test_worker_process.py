"""`rungs worker` as operators run it: a process that outlasts Redis being away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.embedded_redis import EmbeddedRedis
from processes import STOP_WITHIN, Running, embedded_env, eventually, rungs

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
