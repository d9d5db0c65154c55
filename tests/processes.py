"""`rungs` as a real process: started in a folder of its own, its output kept in a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import redis as redis_client

RUNGS = str(Path(sys.executable).parent / "rungs")
# Stopping ends within this, whatever has failed.
STOP_WITHIN = 10.0

T = TypeVar("T")


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh install: nothing set but the data folder (and `extra`)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MAIL_URL", "PUBLIC_URL", "SECRET_KEY"}
    }
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


def eventually(condition: Callable[[], T], *, within: float, what: str) -> T:
    """Ask until the answer is truthy; fail, saying what was awaited, once `within` seconds pass."""
    deadline = time.monotonic() + within
    while not (answer := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        time.sleep(0.05)
    return answer


class Running:
    """A `rungs` command in its own process; its output (stdout and the log) goes to a file, so
    however much it writes it never waits on a full pipe."""

    def __init__(self, *args: str, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [RUNGS, *args], env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT
            )

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def says(self, text: str, *, within: float = 60) -> str:
        """Wait until the output contains `text`; fail at once if the process ends first."""

        def said() -> bool:
            assert self.process.poll() is None or text in self.output, self.output
            return text in self.output

        eventually(said, within=within, what=f"{text!r} in the output")
        return self.output

    def stop(self) -> float:
        """SIGTERM, as a service manager sends; returns how long the process took to end."""
        asked = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_WITHIN * 3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"still running {STOP_WITHIN * 3} s after SIGTERM:\n{self.output}") from None
        took = time.monotonic() - asked
        assert code == 0, self.output
        return took

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def redis_server_pid(socket_path: Path) -> int:
    """The process id of the Redis server answering on a socket, as the server itself reports it."""
    client = redis_client.Redis(unix_socket_path=str(socket_path))
    try:
        info = client.info("server")
    finally:
        client.close()
    return int(info["process_id"])
