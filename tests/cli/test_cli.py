"""The `rungs` command, run as a real process in a fresh directory."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis as redis_client

from backend import cli
from backend.migrations import head_revision
from backend.settings import Settings
from processes import (
    STOP_WITHIN,
    Running,
    embedded_env,
    eventually,
    free_port,
    redis_server_pid,
    rungs,
)
from support import operation


@dataclass
class Run:
    """A `rungs run` on the embedded defaults, in a directory of its own."""

    port: int
    data_dir: Path
    env: dict[str, str]
    process: Running

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def redis_socket(self) -> Path:
        return self.data_dir / "redis.sock"

    def health(self) -> httpx.Response:
        return httpx.get(f"{self.url}/healthz", timeout=10)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Run]:
    """`rungs run` in an empty directory, on a port other than the default."""
    port = free_port()
    env = embedded_env(tmp_path / "var")
    process = Running("run", "--port", str(port), env=env, cwd=tmp_path, log=tmp_path / "run.log")
    try:
        process.says("Press Ctrl+C to stop.")
        yield Run(port, tmp_path / "var", env, process)
        if process.process.poll() is None:
            assert process.stop() < STOP_WITHIN
        # The embedded Redis went with it.
        assert not (tmp_path / "var" / "redis.sock").exists()
    finally:
        process.kill()


def test_run_starts_on_the_embedded_defaults_in_an_empty_directory(running: Run) -> None:
    response = running.health()
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    said = running.process.output
    assert f"Rungs is running at {running.url}" in said
    assert f"mail:     .eml files in {running.data_dir / 'mail'}/" in said
    assert (running.data_dir / "rungs.sqlite3").exists()
    page = httpx.get(f"{running.url}/", timeout=10)
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


def test_check_config_lists_the_areas_where_a_proposal_would_reach_nobody(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "var")
    assert rungs("migrate", env=env).returncode == 0
    empty = rungs("check-config", env=env)
    assert (empty.returncode, empty.stdout) == (0, "Every area has someone to answer its proposals.\n")

    # The demo routes most categories, and Kingsbridge has a coordinator; the rest of the
    # force has no owner for three categories.
    assert rungs("demo-data", env=env).returncode == 0
    checked = rungs("check-config", env=env)
    assert checked.returncode == 1, checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[0] == "4 areas where a proposal would reach nobody:"
    assert "  Millfield [millfield]: environment, vulnerability, other" in lines
    assert not any("Kingsbridge" in line for line in lines)


# Keeping `rungs run` running


CHIEF = "chief@force.example"


def make_chief(run: Run) -> None:
    made = rungs(
        "create-admin",
        CHIEF,
        "--name",
        "Chief",
        "--password-stdin",
        env=run.env,
        stdin="a long enough secret\n",
    )
    assert made.returncode == 0, made.stderr


def ask_for_a_sign_in_link(run: Run, *, origin: str) -> httpx.Response:
    return httpx.post(
        f"{run.url}/graphql",
        json={"query": operation("RequestMagicLink"), "variables": {"input": {"email": CHIEF}}},
        headers={"Origin": origin},
        timeout=10,
    )


def sign_in_mail(run: Run) -> str:
    """The text of the sign-in mail in the mail folder, once there is one."""

    def mail() -> str | None:
        for path in (run.data_dir / "mail").glob("*.eml"):
            text = path.read_text()
            if "sign-in/link?token=" in text:
                return text
        return None

    return eventually(mail, within=30, what="a sign-in mail")


def answering_redis(socket_path: Path) -> int | None:
    try:
        return redis_server_pid(socket_path)
    except (redis_client.ConnectionError, FileNotFoundError):
        return None


def test_run_serves_its_own_pages_on_the_port_it_was_given_and_links_to_it(running: Run) -> None:
    make_chief(running)

    asked = ask_for_a_sign_in_link(running, origin=running.url)

    assert asked.status_code == 200, asked.text
    assert asked.json() == {"data": {"requestMagicLink": {"errors": []}}}
    assert f"{running.url}/#/sign-in/link?token=" in sign_in_mail(running)
    # The default address is no longer this server's own.
    assert ask_for_a_sign_in_link(running, origin="http://127.0.0.1:8000").status_code == 403


def test_the_address_of_rungs_run_is_the_public_url_unless_one_is_set() -> None:
    assert cli._address("127.0.0.1", 8471) == "http://127.0.0.1:8471"
    assert cli._address("0.0.0.0", 8471) == "http://127.0.0.1:8471"
    assert cli._address("::1", 8471) == "http://[::1]:8471"
    environ = {"SECRET_KEY": "a key shared by every process"}
    given = Settings.from_environment(environ, default_public_url="http://127.0.0.1:8471")
    assert given.public_url == "http://127.0.0.1:8471"
    assert given.origins == frozenset({"http://127.0.0.1:8471"})
    chosen = Settings.from_environment(
        {**environ, "PUBLIC_URL": "https://rungs.example/"}, default_public_url="http://127.0.0.1:8471"
    )
    assert chosen.public_url == "https://rungs.example"


def test_run_starts_its_redis_again_when_it_dies_and_the_worker_reconnects(running: Run) -> None:
    make_chief(running)
    first = redis_server_pid(running.redis_socket)

    os.kill(first, signal.SIGKILL)

    second = eventually(
        lambda: (pid := answering_redis(running.redis_socket)) != first and pid,
        within=30,
        what="a new embedded Redis server",
    )
    assert second != first
    # The link is mailed once the worker is back on the new server (whether it saw the old
    # one go, or found its connection gone and quietly opened another, is down to timing).
    assert ask_for_a_sign_in_link(running, origin=running.url).status_code == 200
    assert f"{running.url}/#/sign-in/link?token=" in sign_in_mail(running)
    assert running.health().json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert running.process.stop() < STOP_WITHIN


def test_run_stops_in_time_while_its_redis_is_unreachable(tmp_path: Path) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    port = free_port()
    run = Running(
        "run",
        "--port",
        str(port),
        env=embedded_env(tmp_path / "var", REDIS_URL=nowhere),
        cwd=tmp_path,
        log=tmp_path / "run.log",
    )
    try:
        run.says("Press Ctrl+C to stop.")
        run.says("the worker cannot reach Redis")

        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)

        # Which part fails, and nothing of where it lives; the detail is in the log.
        assert (health.status_code, health.json()) == (503, {"status": "unavailable", "redis": "unreachable"})
        assert f"[{health.headers['x-request-id']}] backend.app: health: redis unreachable" in run.output
        assert run.stop() < STOP_WITHIN
    finally:
        run.kill()


def test_a_second_run_on_the_same_data_folder_is_refused_and_the_first_keeps_working(running: Run) -> None:
    socket_before = running.redis_socket.stat().st_ino
    redis_before = redis_server_pid(running.redis_socket)

    second = rungs("run", "--port", str(free_port()), env=running.env)

    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        f"rungs: {running.data_dir} is in use by `rungs run` (process {running.process.process.pid}); "
        "stop that one first, or give this one a DATA_DIR of its own"
    ]
    assert second.stdout == ""
    assert running.redis_socket.stat().st_ino == socket_before
    assert redis_server_pid(running.redis_socket) == redis_before
    assert running.health().json() == {"status": "ok", "database": "ok", "redis": "ok"}


# Refusals in one line


def unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        # Permissions do not stop root; the kernel's own /proc takes no files from anyone.
        return Path("/proc")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


@pytest.mark.parametrize(
    ("args", "settings", "says"),
    [
        pytest.param(
            ["create-admin", CHIEF, "--name", "Chief"],
            {},
            "no terminal to ask the password on; send it on standard input with --password-stdin",
            id="create-admin without a terminal",
        ),
        pytest.param(
            ["migrate"],
            {"DATABASE_URL": "postgres://rungs:secret@127.0.0.1:{port}/rungs"},
            "cannot connect to the database DATABASE_URL names: connection failed: "
            'connection to server at "127.0.0.1", port {port} failed: Connection refused',
            id="an unreachable PostgreSQL",
        ),
        pytest.param(
            ["demo-data"],
            {"DATABASE_URL": "postgres://rungs:secret@127.0.0.1:{port}/rungs"},
            "cannot connect to the database DATABASE_URL names",
            id="an unreachable PostgreSQL, for a command that needs the latest migration",
        ),
        pytest.param(
            ["check-config"],
            {"DATABASE_URL": "postgres://rungs:secret@127.0.0.1:{port}/rungs"},
            "cannot connect to the database DATABASE_URL names",
            id="an unreachable PostgreSQL, for the configuration check",
        ),
        pytest.param(
            ["migrate"],
            {"DATA_DIR": "{file}"},
            "DATA_DIR {file} is a file (or inside one), not a folder",
            id="a data folder that is a file",
        ),
        pytest.param(
            ["migrate"],
            {"DATA_DIR": "{unwritable}"},
            "DATA_DIR {unwritable} is not a folder Rungs can write to",
            id="a data folder that cannot be written",
        ),
        pytest.param(
            ["run", "--port", "99999"],
            {},
            "argument --port: must be a port number from 1 to 65535, not '99999' (see `rungs run --help`)",
            id="a port that does not exist",
        ),
        pytest.param(
            ["migrate"],
            {"DATABASE_URL": "sqlite://"},
            "DATABASE_URL names an in-memory SQLite database, which is lost when the command ends",
            id="an in-memory database",
        ),
    ],
)
def test_a_command_that_cannot_do_its_work_says_why_in_one_line(
    tmp_path: Path, args: list[str], settings: dict[str, str], says: str
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    names = {"port": str(free_port()), "file": str(a_file), "unwritable": str(unwritable_folder(tmp_path))}
    env = embedded_env(tmp_path / "var", **{name: value.format(**names) for name, value in settings.items()})

    result = rungs(*args, env=env)

    assert result.returncode != 0
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rungs: {says.format(**names)}"), result.stderr
    assert not (tmp_path / "var" / "rungs.sqlite3").exists()
