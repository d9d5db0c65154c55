"""The web interface in real Chromium, against the real `rungs run` on the embedded defaults.

Each module gets its own server in a fresh data directory holding the demo data: `rungs migrate`
and `rungs demo-data` run once per run (per server settings), into a folder each module's server
gets a copy of. One Chromium serves the whole run; each test's pages get their own contexts.
The server always uses its embedded SQLite, Redis and .eml mail, whatever DATABASE_URL or
REDIS_URL say: these tests are about the interface, not the engines.
"""

from __future__ import annotations

import base64
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import Server
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORTS = range(8801, 8900)
RUNGS = Path(sys.executable).parent / "rungs"
READY_LINE = "Rungs is running at"
STARTUP_SECONDS = 60
# Variables that would point the server away from its own embedded engines and mail.
FOREIGN_SETTINGS = ("DATABASE_URL", "REDIS_URL", "MAIL_URL", "SECRET_KEY", "ALLOWED_ORIGINS", "PUBLIC_URL")

expect.set_options(timeout=10_000)


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {PORTS.start} and {PORTS.stop - 1}")


def _environment(data_dir: Path, url: str, settings: dict[str, str]) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in FOREIGN_SETTINGS}
    env.update(DATA_DIR=str(data_dir), ENVIRONMENT="development", PUBLIC_URL=url, PYTHONUNBUFFERED="1")
    env.update(settings)
    return env


def _prepare(data_dir: Path, env: dict[str, str]) -> None:
    for command in (["migrate"], ["demo-data"]):
        done = subprocess.run(
            [str(RUNGS), *command], env=env, cwd=data_dir, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"rungs {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"


def _start(data_dir: Path, settings: dict[str, str]) -> Server:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _environment(data_dir, url, settings)
    process = subprocess.Popen(
        [str(RUNGS), "run", "--port", str(port)],
        env=env,
        cwd=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(url=url, data_dir=data_dir, process=process)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        # Keeps draining the pipe for the server's whole life, so it never blocks on a full pipe.
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True, name=f"rungs-{port}-output").start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            _stop(server)
            raise RuntimeError(
                f"rungs run did not start within {STARTUP_SECONDS} s:\n{server.log()}"
            ) from None
        if line is None:
            _stop(server)
            raise RuntimeError(f"rungs run exited with {process.returncode}:\n{server.log()}")
        if READY_LINE in line:
            return server


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# Another process on the machine may take the free port found while the data is seeded.
PORT_ATTEMPTS = 5


def _start_on_a_free_port(data_dir: Path, settings: dict[str, str]) -> Server:
    attempt = 1
    while True:
        try:
            return _start(data_dir, settings)
        except RuntimeError as failure:
            if "address already in use" not in str(failure) or attempt == PORT_ATTEMPTS:
                raise
            attempt += 1


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Settings a test module gives its server (a module overrides this fixture to set some)."""
    return {}


@pytest.fixture(scope="session")
def demo_data_dirs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, str]], Path]:
    """A data directory migrated and seeded with the demo data, made once per run for each
    server settings asked for: the modules' servers start from copies, so what one module's
    tests change never reaches another's."""
    seeded: dict[tuple[tuple[str, str], ...], Path] = {}

    def seeded_for(settings: dict[str, str]) -> Path:
        key = tuple(sorted(settings.items()))
        if key not in seeded:
            data_dir = tmp_path_factory.mktemp("rungs-demo-data")
            # The seed runs with the settings the servers will have, as if each prepared its own.
            _prepare(data_dir, _environment(data_dir, "http://127.0.0.1", settings))
            seeded[key] = data_dir
        return seeded[key]

    return seeded_for


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    server_settings: dict[str, str],
    demo_data_dirs: Callable[[dict[str, str]], Path],
) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("rungs-browser")
    shutil.copytree(demo_data_dirs(server_settings), data_dir, dirs_exist_ok=True)
    running = _start_on_a_free_port(data_dir, server_settings)
    yield running
    _stop(running)


# One Chromium per module, not per run: Playwright's synchronous API keeps an event loop
# running in this thread while it is open, and the asyncio tests collected after the browser
# tests could not start theirs.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        # CI installs it (.ci/run): there a missing browser is a failure, not a reason to skip.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# The map tiles' host by default. The tests run offline: a blank tile from here stands in for
# every tile, unless a test wants to see the tiles fail.
TILES = "https://tile.openstreetmap.org/**"
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48eYTAAWGAsf5//l1AAAAAElFTkSuQmCC"
)


@pytest.fixture
def new_page(browser: Browser, server: Server) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (own cookies), 1280 px wide unless asked otherwise; any
    script error in them fails the test. Map tiles come from a local stand-in, or, with
    `tiles="failing"`, fail to load (then only their failures may be reported)."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(width: int = 1280, *, tiles: str = "served", **options: Any) -> Page:
        context = browser.new_context(
            base_url=server.url, viewport={"width": width, "height": 900}, **options
        )
        contexts.append(context)
        if tiles == "served":
            context.route(TILES, lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"))
        else:
            context.route(TILES, lambda route: route.abort())

        def on_console(message: ConsoleMessage) -> None:
            failed_tile = tiles == "failing" and message.text.startswith("Failed to load resource")
            if message.type == "error" and not failed_tile:
                problems.append(f"console error: {message.text}")

        def on_page_error(error: Error) -> None:
            problems.append(f"uncaught: {error.message}")

        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
