"""Progress digests for 10,000 people with demo-like activity, built and queued on PostgreSQL:
the wall time of one run of the hourly job, the SQL statements each batch of people costs, and
the peak memory while it runs.

    .venv/bin/python bench/digests.py --database-url postgres://postgres@127.0.0.1:5432/rungs_bench

The database named is emptied (its name must contain "bench" or "test"), migrated and filled
in bulk through the models (calling the services for every act would take far longer than
the job): a force of 4 districts of 5 wards; `--people` people living in them; 20 problems
per ward with a week of updates and stage moves; each person following up to three problems
in their ward; 3 working groups per ward, a quarter of the people active in one, with
actions done and blocked, new members, outcome readings, and 5 volunteer tasks each in the
next fortnight with places taken. Frequencies: a tenth chose DAILY, a tenth WEEKLY, a
twentieth NEVER; the rest never chose, so members (co-designers) and those with a finished
task (volunteers) get the weekly digest and followers alone get none.

Then `digests.send_due` runs once, as the job does, timed and with every SQL statement
counted; once more at the same moment (it must write nothing); and, unless `--no-memory`,
again from nothing written under tracemalloc, for the peak of Python's allocations.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from task_signups import reset  # noqa: E402
from tortoise import Tortoise  # noqa: E402
from tortoise.models import Model  # noqa: E402

from backend import db  # noqa: E402
from backend.models import (  # noqa: E402
    Action,
    ActionOwner,
    Activity,
    GroupMembership,
    Notification,
    Organisation,
    OutcomeMeasure,
    OutcomeReading,
    Problem,
    ProblemFollow,
    ProblemUpdate,
    ProgressDigest,
    StageChange,
    TaskAssignment,
    User,
    VolunteerTask,
    WorkingGroup,
)
from backend.models.enums import (  # noqa: E402
    ActionStatus,
    ActivityKind,
    AssignmentStatus,
    DigestFrequency,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    OrganisationKind,
    OutcomeDirection,
    OwnerStatus,
    ParticipationRung,
    ProblemCategory,
    ProblemStatus,
    SaraStage,
    Visibility,
    WorkingGroupStatus,
)
from backend.services import areas, configuration, digests  # noqa: E402
from backend.services.actors import Actor  # noqa: E402
from backend.settings import Settings  # noqa: E402

# The job runs at this moment; the activity is spread over the week before it.
NOW = datetime(2026, 11, 23, 9, 50, tzinfo=UTC)
WEEK = timedelta(days=7)
DISTRICTS, WARDS = 4, 5
PROBLEMS_PER_WARD, GROUPS_PER_WARD, TASKS_PER_GROUP = 20, 3, 5
CHUNK = 2_000


@dataclass
class Seeded:
    people: int
    problems: int
    follows: int
    groups: int
    members: int
    tasks: int
    rows: int


class Statements(logging.Handler):
    """Every SQL statement Tortoise sends (it logs each at DEBUG), in order."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sent.append(record.getMessage())


async def _bulk(rows: Sequence[Model]) -> int:
    if rows:
        await type(rows[0]).bulk_create(rows, batch_size=CHUNK)
    return len(rows)


async def _ids(model: type[Model]) -> list[int]:
    return [int(i) for (i,) in await model.all().order_by("id").values_list("id")]


def _during_the_week(rng: random.Random) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(int(WEEK.total_seconds())))


async def seed(people: int, rng: random.Random) -> Seeded:
    opened = NOW - timedelta(days=400)
    admin = await User.create(
        email="admin@bench.invalid",
        display_name="Bench Admin",
        password_hash="-",
        is_admin=True,
        confirmed_at=opened,
        created_at=opened,
        updated_at=opened,
    )
    actor = Actor(user=admin)
    force = await areas.create_area(actor, name="Benchshire", response_days=14, now=opened)
    wards: list[int] = []
    for d in range(DISTRICTS):
        district = await areas.create_area(actor, name=f"District {d + 1}", parent_id=force.id, now=opened)
        for w in range(WARDS):
            ward = await areas.create_area(
                actor, name=f"Ward {d + 1}.{w + 1}", parent_id=district.id, now=opened
            )
            wards.append(ward.id)
    police = await Organisation.create(
        name="Benchshire Police",
        name_key="benchshire police",
        kind=OrganisationKind.POLICE,
        created_at=opened,
    )
    chosen = [DigestFrequency.DAILY] * 10 + [DigestFrequency.WEEKLY] * 10 + [DigestFrequency.NEVER] * 5
    rows = await _bulk(
        [
            User(
                email=f"person{i}@bench.invalid",
                display_name=f"Person {i}",
                password_hash="-",
                home_area_id=wards[i % len(wards)],
                digest=chosen[i % 100] if i % 100 < len(chosen) else None,
                public_initials=i % 7 == 0,
                confirmed_at=opened,
                created_at=opened,
                updated_at=opened,
            )
            for i in range(people)
        ]
    )
    person_ids = [i for i in await _ids(User) if i != admin.id]
    residents: dict[int, list[int]] = {ward: [] for ward in wards}
    home_of: dict[int, int] = {}
    for index, person in enumerate(person_ids):
        home_of[person] = wards[index % len(wards)]
        residents[home_of[person]].append(person)

    rows += await _bulk(
        [
            Problem(
                title=f"Problem {ward}.{p}",
                description="Something in the ward that needs answering.",
                category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
                status=ProblemStatus.IN_PROGRESS,
                stage=SaraStage.RESPONSE,
                visibility=Visibility.RESTRICTED if p % 10 == 9 else Visibility.PUBLIC,
                area_id=ward,
                proposer_id=rng.choice(residents[ward]),
                owner_id=police.id,
                created_at=opened,
                updated_at=opened,
                response_due_at=opened + timedelta(days=14),
                answered=True,
            )
            for ward in wards
            for p in range(PROBLEMS_PER_WARD)
        ]
    )
    problem_rows = await Problem.all().order_by("id").values_list("id", "area_id")
    problems_in: dict[int, list[int]] = {ward: [] for ward in wards}
    for problem_id, area_id in problem_rows:
        problems_in[area_id].append(problem_id)
    problem_ids = [p for p, _ in problem_rows]
    rows += await _bulk(
        [
            ProblemUpdate(
                problem_id=p,
                body="Progress this week.",
                author_id=admin.id,
                organisation_id=police.id,
                created_at=_during_the_week(rng),
            )
            for p in problem_ids
            for _ in range(2)
        ]
    )
    rows += await _bulk(
        [
            StageChange(
                problem_id=p,
                status=ProblemStatus.IN_PROGRESS,
                stage=SaraStage.RESPONSE,
                changed_at=_during_the_week(rng),
            )
            for p in problem_ids[::2]
        ]
    )
    follows = [
        ProblemFollow(problem_id=p, user_id=person, created_at=opened)
        for person in person_ids
        for p in rng.sample(problems_in[home_of[person]], rng.randrange(4))
    ]
    rows += await _bulk(follows)

    rows += await _bulk(
        [
            WorkingGroup(
                name=f"Group {ward}.{g}",
                purpose="Working on the ward's problem together.",
                status=WorkingGroupStatus.ACTIVE,
                join_policy=JoinPolicy.OPEN if g % 2 == 0 else JoinPolicy.APPROVAL,
                area_id=ward,
                problem_id=problems_in[ward][g],
                created_by_id=admin.id,
                created_at=opened,
            )
            for ward in wards
            for g in range(GROUPS_PER_WARD)
        ]
    )
    group_rows = await WorkingGroup.all().order_by("id").values_list("id", "area_id", "problem_id")
    groups_in: dict[int, list[int]] = {ward: [] for ward in wards}
    for group_id, area_id, _ in group_rows:
        groups_in[area_id].append(group_id)
    members_of: dict[int, list[int]] = {group_id: [] for group_id, _, _ in group_rows}
    memberships = []
    for index, person in enumerate(person_ids):
        if index % 4 == 0:
            group_id = rng.choice(groups_in[home_of[person]])
            members_of[group_id].append(person)
            # A tenth of them joined during the week: news for the others.
            joined = _during_the_week(rng) if index % 40 == 0 else opened
            memberships.append(
                GroupMembership(
                    group_id=group_id,
                    user_id=person,
                    role=GroupRole.MEMBER,
                    status=MembershipStatus.ACTIVE,
                    created_at=joined,
                    updated_at=joined,
                )
            )
    rows += await _bulk(memberships)

    rows += await _bulk(
        [
            Action(
                group_id=group_id,
                title=f"Action {group_id}.{a}",
                description="Shared work.",
                status=ActionStatus.DONE if a == 0 else ActionStatus.ACTIVE,
                created_by_id=admin.id,
                created_at=opened,
                updated_at=_during_the_week(rng),
            )
            for group_id, _, _ in group_rows
            for a in range(2)
        ]
    )
    rows += await _bulk(
        [
            ActionOwner(
                action_id=action_id,
                user_id=rng.choice(members_of[group_id]) if members_of[group_id] else admin.id,
                status=OwnerStatus.DONE if status == ActionStatus.DONE else OwnerStatus.BLOCKED,
                updated_at=_during_the_week(rng),
            )
            for action_id, group_id, status in await Action.all().values_list("id", "group_id", "status")
        ]
    )
    rows += await _bulk(
        [
            OutcomeMeasure(
                problem_id=problem_id,
                name="Reports a week",
                unit="reports",
                direction=OutcomeDirection.DECREASE,
                baseline=12,
                baseline_on=date(2026, 1, 1),
                target=3,
                target_on=date(2027, 1, 1),
                defined_by_id=admin.id,
                created_at=opened,
            )
            for _, _, problem_id in group_rows
        ]
    )
    rows += await _bulk(
        [
            OutcomeReading(
                measure_id=measure_id,
                value=rng.randrange(3, 12),
                observed_on=date(2026, 11, 20),
                recorded_by_id=admin.id,
                created_at=_during_the_week(rng),
            )
            for measure_id in await _ids(OutcomeMeasure)
        ]
    )

    tasks = []
    for group_id, _, _ in group_rows:
        for t in range(TASKS_PER_GROUP):
            starts = NOW + timedelta(days=1 + (t * 3) % 14, hours=t)
            tasks.append(
                VolunteerTask(
                    group_id=group_id,
                    title=f"Task {group_id}.{t}",
                    description="Gloves provided.",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    location="The green",
                    slots=5,
                    filled=0,
                    created_by_id=admin.id,
                    created_at=_during_the_week(rng) if t < 2 else opened,
                    updated_at=opened,
                )
            )
    rows += await _bulk(tasks)
    assignments = []
    filled: dict[int, int] = {}
    for task_id, group_id in await VolunteerTask.all().order_by("id").values_list("id", "group_id"):
        for place, person in enumerate(
            rng.sample(members_of[group_id], min(len(members_of[group_id]), rng.randrange(5)))
        ):
            assignments.append(
                TaskAssignment(
                    task_id=task_id,
                    volunteer_id=person,
                    status=AssignmentStatus.CONFIRMED,
                    place=place + 1,
                    created_at=opened,
                    updated_at=opened,
                )
            )
            filled[task_id] = place + 1
    rows += await _bulk(assignments)
    for task_id, count in filled.items():
        await VolunteerTask.filter(id=task_id).update(filled=count)
    # What the ladder reads: members' joining, and one in twenty finished a task (volunteers).
    rows += await _bulk(
        [
            Activity(
                person_id=m.user_id,
                area_id=home_of[m.user_id],
                kind=ActivityKind.GROUP_JOINED,
                rung=ParticipationRung.CO_DESIGNER,
                occurred_at=m.created_at,
            )
            for m in memberships
        ]
        + [
            Activity(
                person_id=person,
                area_id=home_of[person],
                kind=ActivityKind.TASK_COMPLETED,
                rung=ParticipationRung.VOLUNTEER,
                occurred_at=NOW - timedelta(days=30),
            )
            for index, person in enumerate(person_ids)
            if index % 20 == 1
        ]
    )
    return Seeded(
        people=len(person_ids),
        problems=len(problem_ids),
        follows=len(follows),
        groups=len(group_rows),
        members=len(memberships),
        tasks=len(tasks),
        rows=rows,
    )


def _is_batch_start(statement: str) -> bool:
    """The statement each batch starts with: the next people in id order."""
    return 'FROM "users"' in statement and 'ORDER BY "id"' in statement and "LIMIT" in statement


async def measure(batch: int) -> dict[str, float]:
    """One run of the job, timed, with its statements counted."""
    statements = Statements()
    logger = logging.getLogger("tortoise.db_client")
    logger.addHandler(statements)
    logger.setLevel(logging.DEBUG)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        written = await digests.send_due(now=NOW, batch=batch)
    finally:
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        logger.removeHandler(statements)
    starts = [i for i, statement in enumerate(statements.sent) if _is_batch_start(statement)]
    ends = [*starts[1:], len(statements.sent)]
    per_batch = [later - earlier for earlier, later in zip(starts, ends, strict=True)]
    # The last batch is short, and holds the people it holds: full ones are compared.
    full = per_batch[:-1] or per_batch
    return {
        "written": written,
        "queued": await Notification.filter(kind="PROGRESS_DIGEST").count(),
        "seconds": elapsed,
        "cpu": cpu,
        "statements": len(statements.sent),
        "before_batches": starts[0] if starts else 0,
        "batches": len(starts),
        "per_batch_min": min(full),
        "per_batch_max": max(full),
    }


async def peak_memory(batch: int) -> float:
    """The run again from nothing written, with tracemalloc following Python's allocations
    (which slows it several times over, so the timed run goes without): the peak, in MiB."""
    await ProgressDigest.all().delete()
    await Notification.filter(kind="PROGRESS_DIGEST").delete()
    await Activity.filter(kind=ActivityKind.DIGEST_RECEIVED).delete()
    tracemalloc.start()
    try:
        await digests.send_due(now=NOW, batch=batch)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


async def run(database_url: str, people: int, batch: int, *, memory: bool) -> None:
    settings = Settings.from_environment()
    configuration.configure(settings)
    await db.open_database(database_url)
    try:
        started = time.perf_counter()
        seeded = await seed(people, random.Random(12))
        took = time.perf_counter() - started
        print(
            f"seeded in {took:.1f} s: {seeded.people:,} people, {seeded.problems} problems, "
            f"{seeded.follows:,} follows, {seeded.groups} groups with {seeded.members:,} members, "
            f"{seeded.tasks} tasks ({seeded.rows:,} rows)"
        )
        f = await measure(batch)
        again = await digests.send_due(now=NOW, batch=batch)
        each = f["seconds"] / max(f["written"], 1) * 1000
        print(
            f"digests written and queued: {f['written']:,} (outbox rows {f['queued']:,}); "
            f"a second run at the same moment wrote {again}"
        )
        print(f"wall time: {f['seconds']:.2f} s ({each:.2f} ms a digest); CPU time {f['cpu']:.2f} s")
        print(
            f"SQL statements: {f['statements']:,} in all, {f['before_batches']} before the batches; "
            f"{f['batches']} batches of up to {batch} people, "
            f"{f['per_batch_min']}-{f['per_batch_max']} statements each"
        )
        if memory:
            peak = await peak_memory(batch)
            print(
                f"peak memory of the run: {peak:.1f} MiB (tracemalloc, in a second run from nothing written)"
            )
    finally:
        await Tortoise.close_connections()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB (seeding included)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/rungs_bench")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=digests.BATCH)
    parser.add_argument("--no-memory", action="store_true", help="skip the second run under tracemalloc")
    options = parser.parse_args(argv)
    if not db.is_postgres(options.database_url):
        raise SystemExit("the benchmark runs on PostgreSQL: pass --database-url postgres://...")
    reset(options.database_url)
    asyncio.run(run(options.database_url, options.people, options.batch, memory=not options.no_memory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
