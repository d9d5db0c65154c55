"""The `rungs` command, run as a real process in a fresh directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.migrations import head_revision

RUNGS = str(Path(sys.executable).parent / "rungs")


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MAIL_URL"}}
    return {**env, "DATA_DIR": str(data_dir), **extra}


def rungs(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RUNGS, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """`rungs run` in an empty directory; yields its URL, data directory and what it printed."""
    port = free_port()
    process = subprocess.Popen(
        [RUNGS, "run", "--port", str(port)],
        cwd=tmp_path,
        env=embedded_env(tmp_path / "var"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    printed: list[str] = []
    deadline = time.monotonic() + 60
    # Read until it says it is listening; the deadline only bounds a hang.
    for line in process.stdout:
        printed.append(line)
        if line.startswith("Rungs is running at") or time.monotonic() > deadline:
            break
    try:
        assert any(line.startswith("Rungs is running at") for line in printed), "".join(printed)
        for _ in range(4):
            printed.append(process.stdout.readline())
        yield f"http://127.0.0.1:{port}", tmp_path / "var", printed
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=30) == 0
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        # The embedded Redis went with it.
        assert not (tmp_path / "var" / "redis.sock").exists()


def test_run_starts_on_the_embedded_defaults_in_an_empty_directory(
    running: tuple[str, Path, list[str]],
) -> None:
    url, data_dir, printed = running
    response = httpx.get(f"{url}/healthz", timeout=10)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    said = "".join(printed)
    assert f"Rungs is running at {url}" in said
    assert f"mail:     .eml files in {data_dir / 'mail'}/" in said
    assert (data_dir / "rungs.sqlite3").exists()
    page = httpx.get(f"{url}/", timeout=10)
    assert page.status_code == 200 and "<title>" in page.text.lower()


def test_serve_and_worker_refuse_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "var", REDIS_URL="redis://127.0.0.1:6379/15")
    for command in ("serve", "worker"):
        result = rungs(command, env=env)
        assert result.returncode == 1
        assert "Run `rungs migrate` first" in result.stderr
    migrated = rungs("migrate", env=env)
    assert migrated.returncode == 0
    assert f"Database migrated to {head_revision()}." in migrated.stdout


def test_serve_and_worker_refuse_to_run_without_redis_or_a_shared_secret_key(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "var")
    assert rungs("migrate", env=env).returncode == 0
    for command in ("serve", "worker"):
        without_redis = rungs(command, env=env)
        assert without_redis.returncode == 1 and "REDIS_URL is not set" in without_redis.stderr
        without_key = rungs(command, env={**env, "REDIS_URL": "redis://127.0.0.1:6379/15"})
        assert without_key.returncode == 1 and "SECRET_KEY is not set" in without_key.stderr


def test_bad_configuration_is_named(tmp_path: Path) -> None:
    result = rungs("migrate", env=embedded_env(tmp_path / "var", DEFAULT_RESPONSE_DAYS="two weeks"))
    assert result.returncode == 1
    assert "DEFAULT_RESPONSE_DAYS must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr
    mysql = rungs("migrate", env=embedded_env(tmp_path / "var", DATABASE_URL="mysql://root@127.0.0.1/rungs"))
    assert mysql.returncode == 1
    assert "DATABASE_URL must start with one of sqlite://, postgres://, postgresql://" in mysql.stderr


def test_create_admin_reads_the_password_from_stdin_and_checks_it(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "var")
    assert rungs("migrate", env=env).returncode == 0
    short = rungs(
        "create-admin", "chief@force.example", "--name", "Chief", "--password-stdin", env=env, stdin="short\n"
    )
    assert short.returncode == 1 and "password must be at least 10 characters" in short.stderr
    made = rungs(
        "create-admin",
        "Chief@Force.example",
        "--name",
        "Chief",
        "--password-stdin",
        env=env,
        stdin="a long enough secret\n",
    )
    assert made.returncode == 0, made.stderr
    assert "chief@force.example is a platform administrator." in made.stdout


def test_demo_data_seeds_once(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "var")
    assert rungs("migrate", env=env).returncode == 0
    first = rungs("demo-data", env=env)
    assert first.returncode == 0, first.stderr
    assert "8 areas, 5 organisations" in first.stdout
    again = rungs("demo-data", env=env)
    assert again.returncode == 0 and "already" in again.stdout
