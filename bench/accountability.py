"""Accountability figures on 100,000 proposals: time, query plans and SQL statements.

The script makes its own database (`rungs_bench_accountability` on PostgreSQL, dropped at the
start and the end; or a SQLite file in a temporary folder), migrates it, writes two years of
proposals in a police force's wards (bench/seed_problems.py), then measures in this process:

1. the wall time of `accountability.for_area` (the force, a district, a ward; all time and
   the last 90 days) and `for_organisation` (the busiest and the quietest owner), and of the
   whole AreaAccountability GraphQL query through the app, each after a warm-up, median and
   p95 of several runs; every answer is checked against the same figures computed in Python;
2. the query plans PostgreSQL (EXPLAIN ANALYZE, with the values written in and as the
   prepared statement the warm application runs) or SQLite (EXPLAIN QUERY PLAN) chooses for
   the force's figures and the organisations';
3. the SQL statements a 20-problem board page (graphql/operations/Problems.graphql) costs,
   anonymous and signed in as a member of an organisation.

    .venv/bin/python bench/accountability.py
    .venv/bin/python bench/accountability.py --database sqlite --repeat 10

Needs PostgreSQL on 127.0.0.1:5432 with trust authentication for `postgres` (not for
`--database sqlite`). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import graphql_throughput
import httpx
import psycopg
import seed
import seed_problems
from psycopg import sql

from backend import db, ids
from backend.app import create_app
from backend.clock import ManualClock
from backend.migrations import upgrade
from backend.models import Area, User
from backend.models.enums import DeclineReason
from backend.services import accountability, accounts
from backend.services.accountability import AccountabilityStats
from backend.services.actors import Actor
from backend.settings import Settings

REPO = Path(__file__).resolve().parent.parent
OPERATIONS = REPO / "graphql" / "operations"
DATABASE = "rungs_bench_accountability"
NOW = seed_problems.NOW

Json = dict[str, Any]


class BenchError(Exception):
    """Something that stops the benchmark; the message says what and where to look."""


@dataclass
class Options:
    database: str
    postgres: str
    problems: int
    repeat: int
    warmup: int
    since_days: int
    quiet_wait: float
    keep: bool
    show_sql: bool

    @property
    def since(self) -> date:
        return NOW.date() - timedelta(days=self.since_days)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


# --- Counting statements ------------------------------------------------------------------------


class Statements(logging.Handler):
    """The SQL statements Tortoise sends, with their parameters (it logs each one at DEBUG on
    `tortoise.db_client`, as tests/support.py's QueryCounter counts them)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[tuple[str, list[Any]]] = []
        self._logger = logging.getLogger("tortoise.db_client")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        # The pool logs its opening and closing on the same logger: no statement is sent.
        if str(record.msg).endswith("connection pool %s with params: %s"):
            return
        # Statements with parameters are logged as ("%s: %s", query, values), others bare.
        if isinstance(record.args, tuple) and len(record.args) == 2:
            query, values = record.args
            self.sent.append((str(query), list(values) if isinstance(values, Sequence) else []))
        else:
            self.sent.append((record.getMessage(), []))

    def __enter__(self) -> Statements:
        self._logger.addHandler(self)
        self._logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)

    @property
    def count(self) -> int:
        return len(self.sent)


# --- The figures, computed here from the rows written -------------------------------------------


def _stats(
    received: int,
    answered: int,
    hours: list[float],
    on_time: int,
    awaiting: int,
    referred: int,
    overdue: int,
    reasons: Counter[str],
    resolved: int,
) -> AccountabilityStats:
    by_reason = sorted(((DeclineReason(r), n) for r, n in sorted(reasons.items())), key=lambda pair: -pair[1])
    return AccountabilityStats(
        proposals_received=received,
        responded=answered,
        responded_within_target=on_time,
        awaiting_response=awaiting,
        referred=referred,
        overdue=overdue,
        answer_due=answered + overdue,
        median_hours_to_first_response=statistics.median(hours) if hours else None,
        declined=sum(reasons.values()),
        declined_by_reason=by_reason,
        resolved=resolved,
        # The seeded data closes no problem through the services, so none is disputed.
        disputed_resolutions=0,
    )


def expected_for_area(data: seed_problems.Data, area_id: int, since: date | None) -> AccountabilityStats:
    """What `for_area` should say, from the rows as written."""
    path_of = seed.COLUMNS["areas"].index("path")
    paths = {row[0]: row[path_of] for row in data.base.areas}
    inside = {a for a, path in paths.items() if path.startswith(paths[area_id])}
    column = {name: i for i, name in enumerate(seed_problems.COLUMNS["problems"])}
    rows = [
        r
        for r in data.problems
        if r[column["area_id"]] in inside and (since is None or r[column["created_at"]].date() >= since)
    ]
    awaiting = [r for r in rows if r[column["status"]] in ("PROPOSED", "REFERRED")]
    # For an area a referral is not an answer: the answer is the routing that did not refer.
    routing = {name: i for i, name in enumerate(seed_problems.COLUMNS["problem_routings"])}
    referred = {r[routing["problem_id"]] for r in data.problem_routings if r[routing["decision"]] == "REFER"}
    in_time = {
        r[routing["problem_id"]]
        for r in data.problem_routings
        if r[routing["answered_on_time"]] and r[routing["decision"]] != "REFER"
    }
    answered = [r for r in rows if r[column["answered"]]]
    return _stats(
        received=len(rows),
        answered=len(answered),
        hours=[r[column["first_response_hours"]] for r in rows if r[column["first_responded_at"]]],
        on_time=sum(1 for r in answered if r[column["id"]] in in_time),
        awaiting=len(awaiting),
        referred=sum(1 for r in rows if r[column["id"]] in referred),
        overdue=sum(1 for r in awaiting if r[column["response_due_at"]] < NOW),
        reasons=Counter(r[column["decline_reason"]] for r in rows if r[column["status"]] == "DECLINED"),
        resolved=sum(1 for r in rows if r[column["status"]] == "RESOLVED"),
    )


def expected_for_organisation(
    data: seed_problems.Data, organisation_id: int, since: date | None
) -> AccountabilityStats:
    column = {name: i for i, name in enumerate(seed_problems.COLUMNS["problem_routings"])}
    status = seed_problems.COLUMNS["problems"].index("status")
    resolved = {r[0] for r in data.problems if r[status] == "RESOLVED"}
    rows = [
        r
        for r in data.problem_routings
        if r[column["organisation_id"]] == organisation_id
        and (since is None or r[column["received_at"]].date() >= since)
    ]
    awaiting = [r for r in rows if r[column["answered_at"]] is None]
    hours = [r[column["answer_hours"]] for r in rows if r[column["answered_at"]] is not None]
    return _stats(
        received=len(rows),
        answered=len(hours),
        hours=hours,
        on_time=sum(1 for r in rows if r[column["answered_on_time"]]),
        awaiting=len(awaiting),
        referred=sum(1 for r in rows if r[column["decision"]] == "REFER"),
        overdue=sum(1 for r in awaiting if r[column["due_at"]] < NOW),
        reasons=Counter(r[column["reason_code"]] for r in rows if r[column["decision"]] == "DECLINE"),
        resolved=sum(
            1 for r in rows if r[column["decision"]] == "ACCEPT" and r[column["problem_id"]] in resolved
        ),
    )


def as_graphql(stats: AccountabilityStats) -> Json:
    """The figures as the AccountabilityStats GraphQL type spells them."""
    return {
        "proposalsReceived": stats.proposals_received,
        "responded": stats.responded,
        "respondedWithinTarget": stats.responded_within_target,
        "answerDue": stats.answer_due,
        "awaitingResponse": stats.awaiting_response,
        "referred": stats.referred,
        "overdue": stats.overdue,
        "medianHoursToFirstResponse": stats.median_hours_to_first_response,
        "declined": stats.declined,
        "declinedByReason": [{"reasonCode": r.value, "count": n} for r, n in stats.declined_by_reason],
        "resolved": stats.resolved,
        "disputedResolutions": stats.disputed_resolutions,
    }


# --- Timing -------------------------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    rows: int | None
    statements: int
    samples: list[float] = field(default_factory=list)
    # CPU time of this process per run: Python, Tortoise, asyncpg, GraphQL; not the database's.
    cpu_samples: list[float] = field(default_factory=list)
    # Cores other work on the machine used just before and just after the runs.
    other_load: float | None = None

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.samples)

    @property
    def p95_ms(self) -> float:
        ranked = sorted(self.samples)
        return 1000 * ranked[math.ceil(0.95 * len(ranked)) - 1]

    @property
    def cpu_ms(self) -> float:
        return 1000 * statistics.median(self.cpu_samples)

    @property
    def disturbed(self) -> bool:
        return self.other_load is not None and self.other_load >= graphql_throughput.DISTURBED


def machine_load(seconds: float = 1.0) -> float | None:
    """Cores the machine kept busy over the next `seconds`, while this benchmark waits: the
    work of others, which shares the 2 CPUs with the database and this process."""
    before, started = graphql_throughput.machine_busy_seconds(), time.monotonic()
    time.sleep(seconds)
    after = graphql_throughput.machine_busy_seconds()
    if before is None or after is None:
        return None
    return (after - before) / (time.monotonic() - started)


def wait_for_quiet(timeout: float) -> float | None:
    """Wait (up to `timeout` seconds) until other work falls below the disturbance mark;
    returns the load last seen."""
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        load = machine_load()
        if load is None or load < graphql_throughput.DISTURBED or time.monotonic() >= deadline:
            return load
        if not announced:
            print(f"  (waiting for other work on the machine, {load:.1f} cores, to end)", flush=True)
            announced = True


async def timed(
    label: str, call: Callable[[], Awaitable[Any]], *, rows: int | None, options: Options
) -> tuple[Timing, Any, Statements]:
    """Warm up, count one call's statements, then time `repeat` calls one after another."""
    for _ in range(options.warmup):
        await call()
    with Statements() as statements:
        answer = await call()
    timing = Timing(label=label, rows=rows, statements=statements.count)
    # Sleeping here blocks the event loop, which is idle between runs anyway.
    before = wait_for_quiet(options.quiet_wait) if options.quiet_wait > 0 else None
    for _ in range(options.repeat):
        started, cpu = time.perf_counter(), time.process_time()
        await call()
        timing.samples.append(time.perf_counter() - started)
        timing.cpu_samples.append(time.process_time() - cpu)
    after = machine_load() if options.quiet_wait > 0 else None
    loads = [load for load in (before, after) if load is not None]
    timing.other_load = max(loads) if loads else None
    flag = f" (other work on the machine: {timing.other_load:.2f} cores)" if timing.disturbed else ""
    print(
        f"  {label}: median {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, "
        f"CPU here {timing.cpu_ms:.1f} ms{flag}",
        flush=True,
    )
    return timing, answer, statements


def graphql_data(response: httpx.Response, what: str) -> Json:
    if response.status_code != 200:
        raise BenchError(f"{what}: HTTP {response.status_code}: {response.text[:500]}")
    body = response.json()
    if body.get("errors") or not body.get("data"):
        raise BenchError(f"{what}: {str(body)[:800]}")
    data: Json = body["data"]
    return data


# --- Query plans --------------------------------------------------------------------------------

SCAN = re.compile(
    r"(Parallel )?(Seq Scan on \w+|Index Only Scan (?:Backward )?using \w+ on \w+"
    r"|Index Scan (?:Backward )?using \w+ on \w+"
    r"|Bitmap Index Scan on \w+|Bitmap Heap Scan on \w+)"
)


def _literal(value: Any, connection: psycopg.Connection[Any]) -> str:
    plain = str(value) if isinstance(value, str) else value  # enum members as their text
    return sql.Literal(plain).as_string(connection)


@dataclass
class Explained:
    text: str
    scans: list[str]
    execution_ms: float | None


def _explained(lines: list[str]) -> Explained:
    scans = ["".join(match.groups("")) for line in lines if (match := SCAN.search(line))]
    total = next(
        (float(m.group(1)) for line in lines if (m := re.match(r"Execution Time: ([\d.]+) ms", line))), None
    )
    return Explained("\n".join(lines), scans, total)


# PostgreSQL plans a prepared statement afresh for its first five executions, then may keep
# one generic plan, made without looking at the parameters' values.
CUSTOM_PLANS = 5


def explain_postgres(database_url: str, query: str, values: Sequence[Any]) -> list[Explained]:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement as Tortoise sent it: with its parameters
    written in (the plan psql would show), and as a prepared statement after five executions
    (the plan the application runs once warm: asyncpg prepares and caches every statement)."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        literals = [_literal(value, connection) for value in values]
        inline = re.sub(r"\$(\d+)\b", lambda m: literals[int(m.group(1)) - 1], query)
        custom = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {inline}").fetchall()
        connection.execute(f"PREPARE bench_statement AS {query}")
        execute = f"EXECUTE bench_statement({', '.join(literals)})" if literals else "EXECUTE bench_statement"
        for _ in range(CUSTOM_PLANS):
            connection.execute(execute)
        cached = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {execute}").fetchall()
    return [_explained([row[0] for row in custom]), _explained([row[0] for row in cached])]


def explain_sqlite(path: Path, query: str, values: Sequence[Any]) -> list[Explained]:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            f"EXPLAIN QUERY PLAN {query}", [seed_problems.sqlite_value(v) for v in values]
        ).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    scans = [line.strip() for line in lines if re.match(r"\s*(SCAN|SEARCH)", line)]
    return [Explained("\n".join(lines), scans, None)]


def statement_kind(sql: str) -> str:
    """What one of a call's statements is for, told from its SQL (an area's figures send one
    more than an organisation's: the ids of the areas inside it)."""
    if 'FROM "areas"' in sql:
        return "areas inside" if "LIKE" in sql else "look-up"
    if 'FROM "organisations"' in sql:
        return "look-up"
    if "GROUP BY" in sql:
        return "decline reasons"
    if "OFFSET" in sql:
        return "median"
    return "totals"


@dataclass
class Plan:
    call: str
    statement: str
    sql: str
    # The plan with the values written in; on PostgreSQL also the prepared statement's.
    plans: list[Explained]


def plans_of(database_url: str, sqlite_path: Path | None, call: str, statements: Statements) -> list[Plan]:
    plans = []
    for query, values in statements.sent:
        if not re.match(r"\s*(SELECT|WITH)\b", query, re.IGNORECASE):
            continue  # a setting of the transaction (`db.planned_for_the_values`): nothing to plan
        what = statement_kind(query)
        if sqlite_path is not None:
            explained = explain_sqlite(sqlite_path, query, values)
        else:
            explained = explain_postgres(database_url, query, values)
        plans.append(Plan(call=call, statement=what, sql=query, plans=explained))
    return plans


# --- The run ------------------------------------------------------------------------------------


@dataclass
class Report:
    timings: list[Timing] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    board: dict[str, Statements] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)


def _nearest(counts: dict[int, int], wanted: float) -> int:
    return min(counts, key=lambda key: (abs(counts[key] - wanted), key))


def _member(data: seed_problems.Data, organisation_id: int) -> int:
    """A plain member of the organisation who has no area role, so only membership counts."""
    with_roles = {row[4] for row in data.base.area_roles}
    for _, role, _, org, user in data.base.organisation_memberships:
        if org == organisation_id and role == "MEMBER" and user not in with_roles:
            return int(user)
    raise BenchError(f"organisation {organisation_id} has no plain member")


async def measure(options: Options, database_url: str, data: seed_problems.Data) -> Report:
    problems = await seed.check(database_url, data.base)
    # Connected as a web process is, which serves the figures.
    await db.open_database(database_url, generic_plans=True)
    report = Report()
    try:
        problems += await seed_problems.check(data)
        if problems:
            raise BenchError("the seeded data does not hold together:\n  " + "\n  ".join(problems[:20]))

        area_column = seed_problems.COLUMNS["problems"].index("area_id")
        per_ward = Counter(row[area_column] for row in data.problems)
        parent_of = seed.COLUMNS["areas"].index("parent_id")
        parent = {row[0]: row[parent_of] for row in data.base.areas}
        per_district = Counter({d: 0 for d in data.district_ids})
        for ward, count in per_ward.items():
            per_district[parent[ward]] += count
        district = _nearest(per_district, len(data.problems) / len(data.district_ids))
        ward = _nearest(per_ward, len(data.problems) / len(data.ward_ids))
        per_organisation = Counter(row[2] for row in data.problem_routings if row[2] is not None)
        ranked = per_organisation.most_common()
        busiest, quietest = ranked[0][0], ranked[-1][0]
        names = {row[0]: row[1] for row in data.base.areas}
        organisation_names = {row[0]: row[1] for row in data.base.organisations}
        report.targets = {
            "force": f"{names[1]} (area 1)",
            "district": f"{names[district]} (area {district})",
            "ward": f"{names[ward]} (area {ward})",
            "busiest": f"{organisation_names[busiest]} (organisation {busiest})",
            "quietest": f"{organisation_names[quietest]} (organisation {quietest})",
        }
        member = await User.get(id=_member(data, busiest))
        token = (await accounts.create_api_token(Actor(user=member), label="bench", now=NOW)).secret

        # The seed rows are a million long-lived objects: out of the collector's way, as the
        # app's lifespan does with its own, so full collections do not walk them mid-timing.
        gc.collect()
        gc.freeze()

        print("Timing the figures ...", flush=True)
        sqlite_path = None if db.is_postgres(database_url) else Path(database_url[len("sqlite://") :])

        async def figures(
            label: str, call: Callable[[], Awaitable[AccountabilityStats]], wanted: AccountabilityStats
        ) -> Statements:
            timing, answer, statements = await timed(
                label, call, rows=wanted.proposals_received, options=options
            )
            report.timings.append(timing)
            if answer != wanted:
                report.mismatches.append(f"{label}: the service says {answer}, the rows say {wanted}")
            return statements

        explained = {("force", None), ("force", options.since), ("busiest", None), ("quietest", None)}
        areas = (("force", 1), ("district", district), ("ward", ward))
        organisations = (("busiest", busiest), ("quietest", quietest))
        for scope, area_id in areas:
            for window in (None, options.since):
                label = f"for_area {scope}, " + (f"since {window}" if window else "all time")

                async def for_area(
                    area_id: int = area_id, window: date | None = window
                ) -> AccountabilityStats:
                    area = await Area.get(id=area_id)
                    return await accountability.for_area(area, since=window, now=NOW)

                statements = await figures(label, for_area, expected_for_area(data, area_id, window))
                if (scope, window) in explained:
                    report.plans += plans_of(database_url, sqlite_path, label, statements)
        for scope, organisation_id in organisations:
            for window in (None, options.since) if scope == "busiest" else (None,):
                label = f"for_organisation {scope}, " + (f"since {window}" if window else "all time")

                def for_organisation(
                    organisation_id: int = organisation_id, window: date | None = window
                ) -> Awaitable[AccountabilityStats]:
                    return accountability.for_organisation(organisation_id, since=window, now=NOW)

                wanted = expected_for_organisation(data, organisation_id, window)
                statements = await figures(label, for_organisation, wanted)
                if (scope, window) in explained:
                    report.plans += plans_of(database_url, sqlite_path, label, statements)

        settings = Settings(
            data_dir=Path(tempfile.gettempdir()) / "rungs-bench-accountability-data",
            database_url=database_url,
            redis_url="redis://127.0.0.1:6379/14",
            mail_url=None,
            mail_from="Rungs <no-reply@rungs.localhost>",
            public_url="http://bench",
            environment="production",
            secret_key="bench",
        )
        # Nothing is written to the data folder or Redis: the requests below only read.
        app = create_app(settings, clock=ManualClock(NOW), manage_database=False)
        transport = httpx.ASGITransport(app=app)
        area_document = (OPERATIONS / "AreaAccountability.graphql").read_text()
        board_document = (OPERATIONS / "Problems.graphql").read_text()
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for window in (None, options.since):
                label = "GraphQL AreaAccountability force, " + (f"since {window}" if window else "all time")
                variables = {"id": ids.encode("Area", 1), "since": window.isoformat() if window else None}
                body = {"query": area_document, "variables": variables}
                shown = as_graphql(expected_for_area(data, 1, window))

                async def post_area(body: Json = body, label: str = label) -> Json:
                    return graphql_data(await client.post("/graphql", json=body), label)

                rows = shown["proposalsReceived"]
                timing, answer, _ = await timed(label, post_area, rows=rows, options=options)
                report.timings.append(timing)
                if answer["area"]["accountability"] != shown:
                    report.mismatches.append(f"{label}: the API says {answer}, the rows say {shown}")

            board = {"query": board_document, "variables": {"first": 20}}
            for who, headers in (("anonymous", {}), ("member", {"Authorization": f"Bearer {token}"})):
                label = f"GraphQL Problems first: 20, {who}"

                async def post_board(headers: dict[str, str] = headers, label: str = label) -> Json:
                    return graphql_data(await client.post("/graphql", json=board, headers=headers), label)

                timing, answer, statements = await timed(label, post_board, rows=None, options=options)
                report.timings.append(timing)
                report.board[who] = statements
                edges = answer["problems"]["edges"]
                if len(edges) != 20:
                    report.mismatches.append(f"{label}: {len(edges)} problems on the page, not 20")
    finally:
        await db.close_database()
        gc.unfreeze()
    return report


@contextmanager
def database(options: Options, data: seed_problems.Data) -> Iterator[str]:
    """A fresh database, migrated and filled; gone afterwards unless --keep."""
    if options.database == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="rungs-bench-accountability-"))
        path = folder / "rungs.sqlite3"
        url = f"sqlite://{path}"
        try:
            upgrade(url)
            counts = seed_problems.insert_sqlite(path, data)
            _print_counts(counts)
            yield url
        finally:
            if options.keep:
                print(f"Kept the database: {path}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
        return
    admin_url = _with_database(options.postgres, "postgres")
    url = _with_database(options.postgres, DATABASE)
    seed.recreate_database(admin_url, DATABASE)
    try:
        upgrade(url)
        _print_counts(seed_problems.insert_postgres(url, data))
        yield url
    finally:
        if options.keep:
            print(f"Kept the database: {url}")
        else:
            seed.drop_database(admin_url, DATABASE)


def _print_counts(counts: dict[str, int]) -> None:
    print("  wrote " + ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in counts.items()))


def environment(options: Options, database_url: str) -> str:
    cpu = "?"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    if options.database == "sqlite":
        engine = f"SQLite {sqlite3.sqlite_version}"
    else:
        with psycopg.connect(database_url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        engine = f"PostgreSQL {row[0] if row else '?'}"
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {engine}, Python {platform.python_version()}, "
        f"Tortoise {metadata.version('tortoise-orm')}, "
        f"strawberry-graphql {metadata.version('strawberry-graphql')}"
    )


def table(timings: Sequence[Timing]) -> str:
    header = ("what", "rows", "SQL", "median ms", "p95 ms", "CPU here ms")
    rows = [
        (
            t.label,
            "-" if t.rows is None else f"{t.rows:,}",
            str(t.statements),
            f"{t.median_ms:.1f}" + ("*" if t.disturbed else ""),
            f"{t.p95_ms:.1f}",
            f"{t.cpu_ms:.1f}",
        )
        for t in timings
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _short(statement: str, width: int = 150) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _plan_line(explained: Explained) -> str:
    ms = "" if explained.execution_ms is None else f"{explained.execution_ms:.1f} ms, "
    return ms + (", ".join(explained.scans) or "no table read")


def print_report(options: Options, report: Report, env: str, elapsed: float) -> None:
    print()
    print(
        f"Accountability figures, {options.problems:,} problems, {env}; "
        f"{options.repeat} timed runs after {options.warmup} warm-up; figures at {NOW:%Y-%m-%d %H:%M} UTC"
    )
    print(table(report.timings))
    print("rows: proposals (for_area) or routings (for_organisation) the figures cover.")
    print("SQL: statements for one call or request.")
    print(
        "CPU here: this process's CPU time per run (Python, Tortoise, asyncpg, GraphQL), not the database's."
    )
    if any(t.disturbed for t in report.timings):
        print(
            f"*: other work on the machine used more than {graphql_throughput.DISTURBED} cores "
            "around these runs."
        )
    for what, target in report.targets.items():
        print(f"  {what}: {target}")

    postgres = options.database == "postgres"
    print(
        "\nQuery plans"
        + (" (prepared: as the warm application runs them, asyncpg preparing each):" if postgres else ":")
    )
    kinds = ("values written in", "prepared") if postgres else ("plan",)
    for plan in report.plans:
        print(f"  {plan.call} / {plan.statement}:")
        for kind, explained in zip(kinds, plan.plans, strict=False):
            print(f"    {kind + ':':<19}{_plan_line(explained)}")
    main = next((p for p in report.plans if p.statement == "totals"), None)
    if main is not None:
        print(f"\nThe main aggregate ({main.call}):\n{main.sql}")
        titles = ("With the values written in", "Prepared, sixth execution") if postgres else ("Plan",)
        for title, explained in zip(titles, main.plans, strict=False):
            print(f"\n{title}:\n{explained.text}")

    print("\nSQL statements of a 20-problem board page (Problems.graphql, first: 20):")
    for who, statements in report.board.items():
        print(f"  {who}: {statements.count}")
        if options.show_sql:
            for query, _ in statements.sent:
                print(f"    {_short(query)}")
    if report.mismatches:
        print("\nFIGURES DIFFER from those computed from the rows written:")
        for mismatch in report.mismatches:
            print(f"  {mismatch}")
    print(f"\n(whole run {elapsed:.0f} s)")


def benchmark(options: Options) -> int:
    started = time.monotonic()
    print(f"Building {options.problems:,} problems ...", flush=True)
    data = seed_problems.build(seed_problems.Sizes(problems=options.problems))
    where = "a temporary SQLite file" if options.database == "sqlite" else f"database {DATABASE}"
    print(f"Preparing {where} ...", flush=True)
    with database(options, data) as url:
        env = environment(options, url)
        report = asyncio.run(measure(options, url, data))
    print_report(options, report, env, time.monotonic() - started)
    return 1 if report.mismatches else 0


def parse_options(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        description=(
            "Time the accountability figures on a fresh database of generated proposals, show the "
            f"query plans, and count the SQL statements of a board page. PostgreSQL's {DATABASE} "
            "is dropped and re-created."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server (trust auth)"
    )
    parser.add_argument("--problems", type=int, default=100_000, help="proposals to generate")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per measurement")
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="untimed runs before each measurement (PostgreSQL settles on a prepared statement's plan "
        "after five)",
    )
    parser.add_argument(
        "--since-days", type=int, default=90, help="the recent window measured besides all time"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=10.0,
        help="before each measurement, wait up to this many seconds for other work on the machine to "
        "end (0: do not wait or watch)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--show-sql", action="store_true", help="print the board page's statements")
    args = parser.parse_args(argv)
    if (
        args.problems < 1000
        or args.repeat < 1
        or args.warmup < 0
        or args.since_days < 1
        or args.quiet_wait < 0
    ):
        parser.error(
            "--problems must be at least 1000, --repeat and --since-days at least 1, the rest not negative"
        )
    return Options(**vars(args))


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # As an exception, so the database or the temporary folder is still removed on the way out.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return benchmark(options)
    except BenchError as error:
        print(f"\nbench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
