"""200 people sign up at once for one volunteer task with 20 slots, through the HTTP API on
PostgreSQL: how long each sign-up takes (p50, p99), how many places were confirmed, whether
the task was ever overfilled, and how many requests failed.

    .venv/bin/python bench/task_signups.py --database-url postgres://postgres@127.0.0.1:5432/rungs_bench

The database named is emptied (its name must contain "bench" or "test"), migrated and
filled through the services: an area, a working group around an accepted problem, one task
two days ahead with `--slots` slots, and `--volunteers` people, each with an API token.
Then `rungs serve --workers N` starts on a free port, and every person sends
`signUpForTask` at the same moment, each on a connection of their own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Seeding 200 accounts needs no password strength: the bench measures sign-ups, not sign-ins.
os.environ["RUNGS_CHEAP_PASSWORD_HASHING_FOR_TESTS"] = "1"

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from backend import db, ids  # noqa: E402
from backend.migrations import upgrade  # noqa: E402
from backend.models import Problem, TaskAssignment, VolunteerTask  # noqa: E402
from backend.models.enums import (  # noqa: E402
    AssignmentStatus,
    JoinPolicy,
    ProblemCategory,
    ProblemStatus,
    SaraStage,
)
from backend.services import accounts, areas, configuration, problems, volunteer_tasks, working_groups  # noqa: E402
from backend.services.actors import Actor  # noqa: E402
from backend.settings import Settings  # noqa: E402

RUNGS = REPO / ".venv" / "bin" / "rungs"
# Starting the server's processes on a busy machine can take a while.
READY_TIMEOUT = 300
PASSWORD = "correct horse battery staple"
SIGN_UP = (REPO / "graphql" / "operations" / "SignUpForTask.graphql").read_text()
HOLDING = (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN, AssignmentStatus.COMPLETED)


def reset(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[-1].split("?", 1)[0]
    if "bench" not in name and "test" not in name:
        raise SystemExit(f"refusing to empty database {name!r}: its name must contain 'bench' or 'test'")
    with psycopg.connect(db.sqlalchemy_url(database_url).replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    upgrade(database_url)


async def seed(settings: Settings, volunteers: int, slots: int) -> tuple[str, list[str]]:
    """The task's ID and one API token per volunteer."""
    configuration.configure(settings)
    await db.open_database(settings.database_url)
    try:
        now = datetime.now(UTC)
        admin = await accounts.create_admin(
            email="admin@bench.example", password=PASSWORD, display_name="Ada Admin", now=now
        )
        as_admin = Actor(user=admin)
        area = await areas.create_area(as_admin, name="Riverside", now=now)
        problem = await problems.propose(
            as_admin,
            area_id=area.id,
            title="Litter on the river path",
            description="Bags of rubbish left by the benches.",
            category=ProblemCategory.ENVIRONMENT,
            now=now,
        )
        await Problem.filter(id=problem.id).update(status=ProblemStatus.ACCEPTED, stage=SaraStage.ANALYSIS)
        group = await working_groups.form(
            as_admin,
            problem_id=problem.id,
            name="River path clean-up",
            purpose="Keep the path clean.",
            join_policy=JoinPolicy.OPEN,
            now=now,
        )
        starts = now + timedelta(days=2)
        task = await volunteer_tasks.create(
            as_admin,
            group_id=group.id,
            action_id=None,
            details=volunteer_tasks.TaskDetails(
                title="Litter pick",
                description="Gloves and bags provided.",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                location="River path",
                remote=False,
                skills=[],
                slots=slots,
            ),
            now=now,
        )
        tokens = []
        for i in range(volunteers):
            person = await accounts.create_confirmed_account(
                email=f"volunteer{i}@bench.example", password=PASSWORD, display_name=f"Volunteer {i}", now=now
            )
            token = await accounts.create_api_token(Actor(user=person), label="bench", now=now)
            tokens.append(token.secret)
        return ids.encode("VolunteerTask", task.id), tokens
    finally:
        await db.close_database()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(settings: Settings, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **{k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ},
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url or "",
        "SECRET_KEY": settings.secret_key,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATA_DIR": str(settings.data_dir),
        "ENVIRONMENT": "production",
    }
    argv = [str(RUNGS), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"rungs serve exited; its log:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"rungs serve did not answer within {READY_TIMEOUT} s")


async def sign_up_all(port: int, task_id: str, tokens: list[str]) -> list[tuple[float, str]]:
    """Every volunteer's sign-up at once: (seconds taken, CONFIRMED / WAITLISTED / the error)."""
    start = asyncio.Event()

    async def one(client: httpx.AsyncClient, token: str) -> tuple[float, str]:
        await start.wait()
        began = time.perf_counter()
        try:
            response = await client.post(
                f"http://127.0.0.1:{port}/graphql",
                json={"query": SIGN_UP, "variables": {"input": {"taskId": task_id}}},
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as error:
            return time.perf_counter() - began, f"error: {type(error).__name__}"
        took = time.perf_counter() - began
        if response.status_code != 200:
            return took, f"error: HTTP {response.status_code}"
        body = response.json()
        result = (body.get("data") or {}).get("signUpForTask")
        if body.get("errors") or not result or result["errors"]:
            return took, f"error: {body.get('errors') or (result or {}).get('errors')}"
        return took, str(result["assignment"]["status"])

    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        runs = [asyncio.create_task(one(client, token)) for token in tokens]
        await asyncio.sleep(0.1)
        start.set()
        return list(await asyncio.gather(*runs))


async def stored(settings: Settings, task_id: str) -> dict[str, Any]:
    await db.open_database(settings.database_url)
    try:
        pk = ids.decode(task_id, "VolunteerTask", "taskId")
        task = await VolunteerTask.get(id=pk)
        rows = await TaskAssignment.filter(task_id=pk).order_by("place")
        held = sum(1 for r in rows if r.status in HOLDING)
        return {
            "slots": task.slots,
            "confirmed_in_database": held,
            "filled_counter": task.filled,
            "waitlisted_in_database": sum(1 for r in rows if r.status == AssignmentStatus.WAITLISTED),
            # Places are numbered in the order the task's lock served the sign-ups.
            "confirmed_are_the_first_served": [r.status for r in rows[:held]]
            == [AssignmentStatus.CONFIRMED] * held,
        }
    finally:
        await db.close_database()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rungs_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="rungs serve processes")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--scratch", type=Path, help="folder for the server's data and log (default: a new temporary one)"
    )
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="rungs-task-signups-", dir=options.scratch))
    settings = Settings(
        data_dir=scratch,
        database_url=options.database_url,
        redis_url=options.redis_url,
        mail_url=None,
        mail_from="Rungs <no-reply@bench.example>",
        public_url="http://127.0.0.1",
        environment="production",
        secret_key="bench",
    )
    reset(settings.database_url)
    task_id, tokens = asyncio.run(seed(settings, options.volunteers, options.slots))
    port = free_port()
    log = scratch / "rungs.log"
    server = serve(settings, port, options.workers, log)
    try:
        wait_until_ready(port, server, log)
        results = asyncio.run(sign_up_all(port, task_id, tokens))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    times = [took * 1000 for took, _ in results]
    outcomes = Counter(status if not status.startswith("error") else "error" for _, status in results)
    database = asyncio.run(stored(settings, task_id))
    figures = {
        "volunteers": options.volunteers,
        "slots": options.slots,
        "server_workers": options.workers,
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(max(times), 1),
        "confirmed": outcomes["CONFIRMED"],
        "waitlisted": outcomes["WAITLISTED"],
        "errors": outcomes["error"],
        "overfill": max(0, database["confirmed_in_database"] - options.slots),
        **database,
    }
    errors = sorted({status for _, status in results if status.startswith("error")})
    print(json.dumps(figures, indent=2))
    for error in errors[:5]:
        print(error, file=sys.stderr)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
