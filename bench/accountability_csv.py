"""The accountability CSV of 100,000 proposals: time, and peak memory while it is written.

The script makes its own PostgreSQL database (`rungs_bench_accountability_csv`, dropped at the
start and the end), migrates it, writes two years of proposals in a police force's wards
(bench/seed_problems.py), then reads `/export/areas/<id>/accountability.csv`'s rows the way
the endpoint streams them (`outcomes.accountability_csv`, a page of rows at a time):

1. the wall time of the whole force's file, for a platform admin (every proposal) and for an
   anonymous caller (public proposals only), median of several runs after a warm-up;
2. the peak of Python's allocations while the file is written (tracemalloc), for the whole
   force and for one ward: streamed, the two stay close however many rows there are.

    .venv/bin/python bench/accountability_csv.py
    .venv/bin/python bench/accountability_csv.py --problems 20000 --repeat 3

Needs PostgreSQL on 127.0.0.1:5432 with trust authentication for `postgres`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import seed
import seed_problems

from backend import db
from backend.migrations import upgrade
from backend.models import User
from backend.services import outcomes
from backend.services.actors import Actor

DATABASE = "rungs_bench_accountability_csv"


@dataclass
class Run:
    what: str
    rows: int
    megabytes: float
    seconds: list[float]
    peak_kib: float


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@contextmanager
def database(postgres: str, data: seed_problems.Data) -> Iterator[str]:
    admin_url = _with_database(postgres, "postgres")
    url = _with_database(postgres, DATABASE)
    seed.recreate_database(admin_url, DATABASE)
    try:
        upgrade(url)
        seed_problems.insert_postgres(url, data)
        yield url
    finally:
        seed.drop_database(admin_url, DATABASE)


async def _write(actor: Actor, area_id: int) -> tuple[int, int]:
    """The file's lines and bytes, read as the endpoint streams them."""
    lines = size = 0
    async for chunk in await outcomes.accountability_csv(actor, area_id):
        lines += chunk.count("\r\n")
        size += len(chunk.encode())
    return lines - 1, size


async def _peak(actor: Actor, area_id: int) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        await _write(actor, area_id)
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


async def _run(what: str, actor: Actor, area_id: int, repeat: int) -> Run:
    rows, size = await _write(actor, area_id)  # warm-up: plans, caches, connections
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        await _write(actor, area_id)
        seconds.append(time.perf_counter() - started)
    return Run(what, rows, size / 1e6, seconds, await _peak(actor, area_id))


async def measure(url: str, ward_id: int, repeat: int) -> list[Run]:
    await db.open_database(url)
    try:
        admin = await User.filter(is_admin=True).first()
        if admin is None:
            admin = await User.first()
            assert admin is not None
            admin.is_admin = True
            await admin.save(update_fields=["is_admin"])
        everyone, anonymous = Actor(user=admin), Actor(user=None)
        return [
            await _run("force, platform admin", everyone, 1, repeat),
            await _run("force, anonymous", anonymous, 1, repeat),
            await _run("one ward, platform admin", everyone, ward_id, repeat),
        ]
    finally:
        await db.close_database()


def report(runs: Sequence[Run]) -> None:
    print(f"{'what':<28}{'rows':>9}{'MB':>8}{'median s':>10}{'min s':>8}{'peak KiB':>10}")
    for run in runs:
        print(
            f"{run.what:<28}{run.rows:>9,}{run.megabytes:>8.1f}{statistics.median(run.seconds):>10.2f}"
            f"{min(run.seconds):>8.2f}{run.peak_kib:>10,.0f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    print(f"Building {options.problems:,} problems ...", flush=True)
    data = seed_problems.build(seed_problems.Sizes(problems=options.problems))
    ward_id = data.ward_ids[0]
    with database(options.postgres, data) as url:
        del data  # what the seeding held is not the export's
        gc.collect()
        runs = asyncio.run(measure(url, ward_id, options.repeat))
    report(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
