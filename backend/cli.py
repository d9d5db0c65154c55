"""The `rungs` command: run, serve, worker, migrate, create-admin, jobs run, demo-data, check-config."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import uvicorn
from starlette.applications import Starlette

from backend import data_lock, db, migrations
from backend.app import create_app
from backend.clock import SystemClock
from backend.embedded_redis import EmbeddedRedis
from backend.errors import DomainError
from backend.models.enums import ProblemCategory
from backend.requests import configure_logging
from backend.services import configuration
from backend.settings import ConfigurationError, Settings
from workers.runner import keep_working

if TYPE_CHECKING:
    from backend.models import User

T = TypeVar("T")

# Stopping `rungs run` ends within 10 seconds whatever has failed: each step has its share
# (the worker's is workers.runner.STOP_TIMEOUT, the embedded Redis's its STOP_TIMEOUT).
GRACEFUL_SHUTDOWN = 2
DATABASE_CLOSE_TIMEOUT = 1.0


def app_from_environment() -> Starlette:
    """The factory `rungs serve` hands to uvicorn: each web process builds its own app."""
    configure_logging()
    return create_app(Settings.from_environment())


def _fail(message: str) -> int:
    print(f"rungs: {message}", file=sys.stderr)
    return 1


def _require_current_schema(settings: Settings) -> str | None:
    return migrations.pending_migration_message(settings.database_url)


def _production_problem(settings: Settings) -> str | None:
    """What stops `serve` or `worker` from running as one of several processes, if anything."""
    if problem := _require_current_schema(settings):
        return problem
    if settings.redis_url is None:
        return (
            "REDIS_URL is not set; `rungs serve` and `rungs worker` need a Redis server "
            "(`rungs run` embeds one)."
        )
    if not settings.secret_key_configured and not settings.is_development:
        return (
            "SECRET_KEY is not set; every web process and worker must share one key "
            "(set ENVIRONMENT=development to use the one kept in the data directory)."
        )
    return None


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    configuration.configure(settings)
    await db.open_database(settings.database_url)
    try:
        return await work()
    finally:
        await _close_database()


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    migrations.upgrade(settings.database_url)
    print(f"Database migrated to {migrations.head_revision()}.")
    return 0


def _address(host: str, port: int) -> str:
    """Where people reach a server listening on host:port (one on every address: on this machine)."""
    if host in {"", "0.0.0.0", "::"}:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def _run_all(settings: Settings, host: str, port: int, embedded: EmbeddedRedis | None) -> None:
    """Web server and worker in one process and one event loop, sharing one database connection."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, manage_database=False),
            host=host,
            port=port,
            log_config=None,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        )
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # uvicorn hears these itself while it serves. Before, they stop it as soon as it
        # starts; after, they cannot cut the clean-up short. This also makes SIGINT work when a
        # shell started `rungs run` in the background, which ignores SIGINT there.
        loop.add_signal_handler(signum, server.handle_exit, signum, None)
    await db.open_database(settings.database_url)
    stopping = asyncio.Event()
    worker_task = asyncio.create_task(keep_working(settings, stopping))
    keeper = asyncio.create_task(embedded.keep_running()) if embedded is not None else None
    server_task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if server_task.done():
                await server_task
                if server.should_exit:
                    return  # stopped while starting
                raise SystemExit(f"rungs: could not listen on {host}:{port}")
            await asyncio.sleep(0.05)
        redis = settings.redis_url or f"embedded, at {settings.embedded_redis_socket}"
        mail = settings.mail_url or f".eml files in {settings.mail_dir}/"
        print(
            f"Rungs is running at {_address(host, port)} (web and worker in this process)\n"
            f"  database: {settings.database_url}\n"
            f"  redis:    {redis}\n"
            f"  mail:     {mail}\n"
            "Press Ctrl+C to stop.",
            flush=True,
        )
        await server_task
    finally:
        # Every step is bounded, so stopping ends in time whatever has failed.
        if keeper is not None:
            keeper.cancel()
        stopping.set()
        await worker_task
        await _close_database()


async def _close_database() -> None:
    try:
        async with asyncio.timeout(DATABASE_CLOSE_TIMEOUT):
            await db.close_database()
    except TimeoutError:
        logging.getLogger(__name__).warning("the database connections did not close in time")


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.from_environment(
        default_environment="development", default_public_url=_address(args.host, args.port)
    )
    with data_lock.holding(settings.data_dir):
        configure_logging()
        migrations.upgrade(settings.database_url)
        embedded = None if settings.redis_url else EmbeddedRedis(settings.embedded_redis_socket)
        if embedded is not None:
            embedded.start()
        try:
            asyncio.run(_run_all(settings, args.host, args.port, embedded))
        finally:
            if embedded is not None:
                embedded.stop()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    if problem := _production_problem(settings):
        return _fail(problem)
    uvicorn.run(
        "backend.cli:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_config=None,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    if problem := _production_problem(settings):
        return _fail(problem)
    configure_logging()

    async def work() -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        await keep_working(settings, stopping)

    asyncio.run(_with_database(settings, work))
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    if not args.password_stdin and not sys.stdin.isatty():
        # getpass would read the password from the pipe in plain sight, or find nothing there.
        return _fail("no terminal to ask the password on; send it on standard input with --password-stdin")
    settings = Settings.from_environment()
    if problem := _require_current_schema(settings):
        return _fail(problem)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password again: ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return _fail("no password given; nothing was changed")
        if again != password:
            return _fail("the passwords differ")
    from backend.services import accounts

    async def work() -> User:
        return await accounts.create_admin(
            email=args.email, password=password, display_name=args.name, now=SystemClock().now()
        )

    try:
        user = asyncio.run(_with_database(settings, work))
    except DomainError as error:
        return _fail("; ".join(fault.message for fault in error.each()))
    print(f"{user.email} is a platform administrator.")
    return 0


def cmd_jobs_run(args: argparse.Namespace) -> int:
    from workers.jobs import RUNNABLE
    from workers.settings import prepare

    if args.name not in RUNNABLE:
        return _fail(f"no job named {args.name!r}; jobs: {', '.join(sorted(RUNNABLE))}")
    settings = Settings.from_environment()
    if problem := _require_current_schema(settings):
        return _fail(problem)

    async def work() -> int:
        ctx: dict[str, Any] = {}
        await prepare(ctx, settings)
        return await RUNNABLE[args.name](ctx)

    result = asyncio.run(_with_database(settings, work))
    print(f"{args.name}: {result}")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    settings = Settings.from_environment()
    if problem := _require_current_schema(settings):
        return _fail(problem)
    from backend import demo

    summary = asyncio.run(
        _with_database(settings, lambda: demo.seed(now=SystemClock().now(), settings=settings))
    )
    print(summary)
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    """Lists the areas where a proposal would reach nobody; exits 1 when there are any."""
    settings = Settings.from_environment()
    if problem := _require_current_schema(settings):
        return _fail(problem)
    from backend.services import routing_gaps

    gaps = asyncio.run(_with_database(settings, routing_gaps.gaps))
    if not gaps:
        print("Every area has someone to answer its proposals.")
        return 0
    print(f"{len(gaps)} area{'s' if len(gaps) != 1 else ''} where a proposal would reach nobody:")
    for gap in gaps:
        every = len(gap.categories) == len(ProblemCategory)
        named = ", ".join(c.value.replace("_", " ").lower() for c in gap.categories)
        print(f"  {gap.area.name} [{gap.area.slug}]: {'every category' if every else named}")
    print("Add a routing rule or a coordinator for each (Administration, or setRoutingRule).")
    return 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, as every other refusal of `rungs`; the usage is a `--help` away.
        self.exit(2, f"rungs: {message} (see `{self.prog} --help`)\n")


def _port(value: str) -> int:
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 65535):
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {value!r}")
    return int(value)


def _count(value: str) -> int:
    if not (value.isascii() and value.isdigit() and int(value) >= 1):
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="rungs", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="web and worker in one process, on the embedded defaults")
    serve = commands.add_parser("serve", help="the web service only (production)")
    for command in (run, serve):
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--workers", type=_count, default=1, help="web processes to start")
    run.set_defaults(handler=cmd_run)
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("worker", help="the background worker only (production)").set_defaults(
        handler=cmd_worker
    )
    commands.add_parser("migrate", help="bring the database to the latest migration").set_defaults(
        handler=cmd_migrate
    )

    admin = commands.add_parser("create-admin", help="create (or promote) a platform administrator")
    admin.add_argument("email")
    admin.add_argument("--name", required=True)
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    admin.set_defaults(handler=cmd_create_admin)

    jobs = commands.add_parser("jobs", help="worker jobs").add_subparsers(dest="jobs_command", required=True)
    job_run = jobs.add_parser("run", help="run one named job once, now")
    job_run.add_argument("name")
    job_run.set_defaults(handler=cmd_jobs_run)

    commands.add_parser(
        "demo-data", help="seed a demo force: areas, organisations, people, problems"
    ).set_defaults(handler=cmd_demo_data)
    commands.add_parser(
        "check-config", help="list areas where a proposal would reach nobody (exit code 1 if any)"
    ).set_defaults(handler=cmd_check_config)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigurationError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        # Ctrl+C before `rungs run` listens for it (or during any other command): just stop.
        return 130


if __name__ == "__main__":
    sys.exit(main())
