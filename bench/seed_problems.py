"""The accountability benchmark's data: two years of proposals in a police force's wards.

The areas, organisations, people and routing rules come from `seed.build`; on top of them
this makes problems and what the services would have recorded for each: who owned it (the
routing rules, as `problems.propose` applies them), each time it reached an owner
(`ProblemRouting`), each official response and what it did to the problem
(`problems.respond`: accepted, declined with a reason, referred on, marked a duplicate, or
still awaited and perhaps overdue), and the supports and follows its counters stand for.

Rows are written in bulk (COPY on PostgreSQL, `executemany` on SQLite): calling the
services for 100,000 proposals would take far longer than the benchmark itself.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import seed
from psycopg import sql

from backend.models.enums import (
    AreaRoleKind,
    DeclineReason,
    OrganisationKind,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    Visibility,
)

# The figures are computed at this moment, so every run sees the same overdue proposals.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SPAN = timedelta(days=730)
# The platform opened a month before the first proposal.
OPENED = NOW - SPAN - timedelta(days=30)
RESPONSE_TIME = timedelta(days=seed.ROOT_RESPONSE_DAYS)
# How long the escalation sweep takes to notice a deadline (it runs every few minutes).
SWEEP_DELAY = timedelta(minutes=5)

Row = tuple[Any, ...]

CATEGORY_WEIGHTS = {
    ProblemCategory.ANTISOCIAL_BEHAVIOUR: 26,
    ProblemCategory.ENVIRONMENT: 20,
    ProblemCategory.ROAD_SAFETY: 15,
    ProblemCategory.THEFT_AND_BURGLARY: 11,
    ProblemCategory.DRUGS: 10,
    ProblemCategory.VIOLENCE: 6,
    ProblemCategory.VULNERABILITY: 5,
    ProblemCategory.FRAUD: 3,
    ProblemCategory.OTHER: 4,
}
# The first answer a proposal gets; a duplicate needs an earlier proposal to point at.
FIRST_DECISIONS = {
    ResponseDecision.ACCEPT: 57,
    ResponseDecision.DECLINE: 20,
    ResponseDecision.REFER: 13,
    ResponseDecision.DUPLICATE: 10,
}
DECLINE_REASONS = {
    DeclineReason.NOT_A_POLICING_OR_PARTNER_MATTER: 30,
    DeclineReason.ALREADY_BEING_ADDRESSED: 25,
    DeclineReason.INSUFFICIENT_INFORMATION: 18,
    DeclineReason.NO_POWERS_OR_RESOURCES: 14,
    DeclineReason.OUTSIDE_AREA: 8,
    DeclineReason.OTHER: 5,
}
# Where referrals go: the partners that take on what the first owner cannot.
REFERRAL_KINDS = {
    OrganisationKind.COUNCIL: 10,
    OrganisationKind.HOUSING: 5,
    OrganisationKind.CHARITY: 3,
    OrganisationKind.HEALTH: 2,
    OrganisationKind.POLICE: 2,
    OrganisationKind.OTHER: 1,
}
AWAITING = (ProblemStatus.PROPOSED, ProblemStatus.REFERRED)
# Share of proposals an owner never answers at all.
NEVER_ANSWERED = 0.025
RESTRICTED = 0.04
WITH_LOCATION = 0.75
# Proposals arrive mostly by day.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 8, 8, 8, 8, 8, 7, 6, 5, 4, 3, 2]

TITLES = {
    ProblemCategory.ANTISOCIAL_BEHAVIOUR: [
        "Groups gathering late on",
        "Noise every night on",
        "Fireworks let off on",
    ],
    ProblemCategory.ENVIRONMENT: [
        "Fly-tipping behind the shops on",
        "Broken street lights on",
        "Overflowing bins on",
    ],
    ProblemCategory.ROAD_SAFETY: [
        "Speeding past the school on",
        "Pavement parking on",
        "Dangerous junction at",
    ],
    ProblemCategory.THEFT_AND_BURGLARY: [
        "Bikes stolen from",
        "Sheds broken into on",
        "Cars tried at night on",
    ],
    ProblemCategory.DRUGS: ["Dealing in the alley off", "Needles found near", "Cannabis smell from flats on"],
    ProblemCategory.VIOLENCE: ["Fights outside the pub on", "Threats at the bus stop on", "Assault near"],
    ProblemCategory.VULNERABILITY: [
        "Rough sleeper needs help on",
        "Elderly residents targeted on",
        "Children out late on",
    ],
    ProblemCategory.FRAUD: [
        "Doorstep traders on",
        "Scam calls to residents of",
        "Fake charity collectors on",
    ],
    ProblemCategory.OTHER: ["Abandoned car on", "Graffiti on the underpass at", "Loose dogs on"],
}
STREETS = ["Road", "Street", "Lane", "Avenue", "Close", "Way", "Crescent", "Grove"]
ANSWERS = {
    ResponseDecision.ACCEPT: "We will look into this and post updates here.",
    ResponseDecision.DECLINE: "We cannot take this on, for the reason given.",
    ResponseDecision.REFER: "This is better handled by our partners; we have passed it on.",
    ResponseDecision.DUPLICATE: "This is already being looked at under an earlier proposal.",
}

COLUMNS = {
    "problems": (
        "id",
        "title",
        "description",
        "category",
        "status",
        "stage",
        "visibility",
        "latitude",
        "longitude",
        "created_at",
        "updated_at",
        "response_due_at",
        "answered",
        "first_responded_at",
        "first_response_hours",
        "first_response_on_time",
        "decline_reason",
        "support_count",
        "follower_count",
        "comment_count",
        "area_id",
        "duplicate_of_id",
        "owner_id",
        "proposer_id",
    ),
    "problem_routings": (
        "id",
        "problem_id",
        "organisation_id",
        "received_at",
        "due_at",
        "escalate_at",
        "answered_at",
        "answer_hours",
        "answered_on_time",
        "decision",
        "reason_code",
        "overdue_notified_at",
        "escalated_at",
    ),
    "problem_responses": (
        "id",
        "problem_id",
        "decision",
        "reason_code",
        "body",
        "author_id",
        "organisation_id",
        "referred_to_id",
        "duplicate_of_id",
        "created_at",
    ),
    "problem_supports": ("id", "problem_id", "user_id", "created_at"),
    "problem_follows": ("id", "problem_id", "user_id", "created_at"),
}


@dataclass
class Sizes:
    problems: int = 100_000
    districts: int = 10
    wards_per_district: int = 10
    users: int = 3_000
    memberships: int = 600
    area_roles: int = 120

    def base(self) -> seed.Sizes:
        return seed.Sizes(
            districts=self.districts,
            neighbourhoods_per_district=self.wards_per_district,
            users=self.users,
            memberships=self.memberships,
            area_roles=self.area_roles,
        )


@dataclass
class Data:
    base: seed.Dataset
    problems: list[Row] = field(default_factory=list)
    problem_routings: list[Row] = field(default_factory=list)
    problem_responses: list[Row] = field(default_factory=list)
    problem_supports: list[Row] = field(default_factory=list)
    problem_follows: list[Row] = field(default_factory=list)
    district_ids: list[int] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[str, Sequence[str], list[Row]]]:
        # Parents before children, as the foreign keys want.
        for table, rows in self.base.tables():
            yield table, seed.COLUMNS[table], rows
        for table in COLUMNS:
            yield table, COLUMNS[table], getattr(self, table)

    @property
    def ward_ids(self) -> list[int]:
        return self.base.neighbourhood_ids


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


class _Builder:
    """Walks each proposal through its life, in the order they were made."""

    def __init__(self, sizes: Sizes, rng: random.Random) -> None:
        self.sizes = sizes
        self.rng = rng
        self.data = Data(base=seed.build(sizes.base(), created=OPENED))
        base = self.data.base
        parent_of = seed.COLUMNS["areas"].index("parent_id")
        parents = {row[0]: row[parent_of] for row in base.areas}
        self.data.district_ids = [area_id for area_id, parent in parents.items() if parent == 1]
        self.lineage = {ward: [ward, parents[ward], 1] for ward in self.data.ward_ids}
        self.rules = {(area_id, category): org for _, category, _, area_id, org in base.routing_rules}
        self.kinds: dict[int, OrganisationKind] = {
            row[0]: OrganisationKind(row[3]) for row in base.organisations
        }
        self.members: dict[int, list[int]] = {}
        for _, _, _, organisation_id, user_id in base.organisation_memberships:
            self.members.setdefault(organisation_id, []).append(user_id)
        self.coordinators: dict[int, list[int]] = {}
        for _, role, _, area_id, user_id in base.area_roles:
            if role == AreaRoleKind.COORDINATOR:
                self.coordinators.setdefault(area_id, []).append(user_id)
        # Some organisations answer within a day, some take a week: each its own pace.
        self.median_hours = {org: 60 * math.exp(rng.gauss(0, 0.5)) for org in self.kinds}
        self.ward_centres = {
            ward: (54.0 + rng.uniform(-0.4, 0.4), -1.5 + rng.uniform(-0.6, 0.6))
            for ward in self.data.ward_ids
        }
        # The latest proposal not itself a duplicate, per ward and category.
        self.latest: dict[tuple[int, ProblemCategory], int] = {}
        self.rows: list[dict[str, Any]] = []
        self.supporters: list[dict[int, datetime]] = []
        self.followers: list[dict[int, datetime]] = []

    def pick(self, weights: dict[Any, int]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def moments(self) -> list[datetime]:
        """When each proposal was made: more each month as the platform catches on, by day."""
        rng, start = self.rng, NOW - SPAN
        growth = 0.5  # the first month has a third of the last month's proposals
        moments = []
        for _ in range(self.sizes.problems):
            u = rng.random()
            share = -growth + math.sqrt(growth * growth + 2 * u * (growth + 0.5))
            day = start + SPAN * share
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            moment = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
            moments.append(moment if moment <= NOW else moment - timedelta(days=1))
        return sorted(moments)

    def author(self, organisation_id: int | None, ward: int) -> tuple[int, int | None] | None:
        """Who answers: a member of the owner (speaking for it), else the nearest coordinators."""
        if organisation_id is not None and self.members.get(organisation_id):
            return self.rng.choice(self.members[organisation_id]), organisation_id
        for area_id in self.lineage[ward]:
            if self.coordinators.get(area_id):
                return self.rng.choice(self.coordinators[area_id]), None
        return None

    def answer_delay(self, organisation_id: int | None) -> timedelta | None:
        """How long the owner takes to answer; None if it never does."""
        if self.rng.random() < NEVER_ANSWERED:
            return None
        median = self.median_hours.get(organisation_id, 60.0) if organisation_id else 90.0
        return timedelta(hours=self.rng.lognormvariate(math.log(median), 0.9))

    def routing(
        self,
        problem_id: int,
        organisation_id: int | None,
        received: datetime,
        answered: datetime | None,
        decision: ResponseDecision | None,
        reason: DeclineReason | None,
    ) -> None:
        due, escalate = received + RESPONSE_TIME, received + 2 * RESPONSE_TIME
        # The sweep notices a deadline passed while the answer was still owed.
        waited_until = answered or NOW
        overdue = _seconds(due + SWEEP_DELAY) if waited_until > due + SWEEP_DELAY else None
        escalated = _seconds(escalate + SWEEP_DELAY) if waited_until > escalate + SWEEP_DELAY else None
        self.data.problem_routings.append(
            (
                len(self.data.problem_routings) + 1,
                problem_id,
                organisation_id,
                received,
                due,
                escalate,
                answered,
                _hours(answered, received) if answered else None,
                answered <= due if answered else None,
                decision.value if decision else None,
                reason.value if reason else None,
                overdue,
                escalated,
            )
        )

    def response(
        self,
        problem_id: int,
        decision: ResponseDecision,
        reason: DeclineReason | None,
        by: tuple[int, int | None],
        at: datetime,
        referred_to: int | None = None,
        duplicate_of: int | None = None,
    ) -> None:
        self.data.problem_responses.append(
            (
                len(self.data.problem_responses) + 1,
                problem_id,
                decision.value,
                reason.value if reason else None,
                ANSWERS[decision],
                by[0],
                by[1],
                referred_to,
                duplicate_of,
                at,
            )
        )

    def progress(self, accepted: datetime) -> tuple[ProblemStatus, SaraStage, datetime]:
        """Where accepted work has got to by now, and when it last moved."""
        needed = timedelta(days=self.rng.lognormvariate(math.log(45), 0.7))
        elapsed = NOW - accepted
        if elapsed >= needed:
            status = ProblemStatus.RESOLVED if self.rng.random() < 0.88 else ProblemStatus.UNRESOLVED
            return status, SaraStage.ASSESSMENT, _seconds(accepted + needed)
        if elapsed < needed * 0.2:
            return ProblemStatus.ACCEPTED, SaraStage.ANALYSIS, accepted
        if elapsed < needed * 0.75:
            return ProblemStatus.IN_PROGRESS, SaraStage.RESPONSE, _seconds(accepted + needed * 0.2)
        return ProblemStatus.IN_PROGRESS, SaraStage.ASSESSMENT, _seconds(accepted + needed * 0.75)

    def referral_target(self, owner: int | None) -> int:
        choices = [org for org in self.kinds if org != owner and self.kinds[org] in REFERRAL_KINDS]
        return self.rng.choices(choices, weights=[REFERRAL_KINDS[self.kinds[org]] for org in choices])[0]

    def people(self, problem_id: int, proposer: int, created: datetime) -> None:
        """The proposer supports and follows; others join over the following weeks."""
        rng = self.rng
        window = min(NOW - created, timedelta(days=30))
        supporters = {proposer: created}
        extra = min(int(rng.paretovariate(1.2)) - 1, 300)
        for user in rng.sample(range(2, self.sizes.users + 1), extra):
            supporters.setdefault(user, _seconds(created + window * rng.random()))
        followers = {proposer: created}
        for user, joined in supporters.items():
            if rng.random() < 0.4:
                followers.setdefault(user, joined)
        for _ in range(int(rng.expovariate(1.5))):
            followers.setdefault(
                rng.randrange(2, self.sizes.users + 1), _seconds(created + window * rng.random())
            )
        self.supporters.append(supporters)
        self.followers.append(followers)

    def build(self) -> Data:
        rng, data = self.rng, self.data
        wards = data.ward_ids
        ward_weights = [rng.lognormvariate(0, 0.5) for _ in wards]
        # A few people propose a lot; most propose once or twice.
        proposer_weights = [1 / (rank**0.8) for rank in range(1, self.sizes.users)]
        rng.shuffle(proposer_weights)
        proposers = rng.choices(
            range(2, self.sizes.users + 1), weights=proposer_weights, k=self.sizes.problems
        )
        for problem_id, created in enumerate(self.moments(), start=1):
            ward = rng.choices(wards, weights=ward_weights)[0]
            category: ProblemCategory = self.pick(CATEGORY_WEIGHTS)
            owner = next(
                (self.rules[(a, category)] for a in self.lineage[ward] if (a, category) in self.rules), None
            )
            proposer = proposers[problem_id - 1]
            due = created + RESPONSE_TIME
            status, stage, updated = ProblemStatus.PROPOSED, SaraStage.SCANNING, created
            first_answer: datetime | None = None
            reason: DeclineReason | None = None
            duplicate_of: int | None = None

            delay = self.answer_delay(owner)
            answered = _seconds(created + delay) if delay is not None else None
            by = self.author(owner, ward)
            if answered is None or answered > NOW or by is None:
                self.routing(problem_id, owner, created, None, None, None)
            else:
                decision: ResponseDecision = self.pick(FIRST_DECISIONS)
                if decision == ResponseDecision.DUPLICATE:
                    duplicate_of = self.latest.get((ward, category))
                    if duplicate_of is None:
                        decision = ResponseDecision.ACCEPT
                reason = self.pick(DECLINE_REASONS) if decision == ResponseDecision.DECLINE else None
                self.routing(problem_id, owner, created, answered, decision, reason)
                first_answer, updated = answered, answered
                if decision == ResponseDecision.ACCEPT:
                    self.response(problem_id, decision, None, by, answered)
                    status, stage, updated = self.progress(answered)
                elif decision == ResponseDecision.DECLINE:
                    self.response(problem_id, decision, reason, by, answered)
                    status = ProblemStatus.DECLINED
                elif decision == ResponseDecision.DUPLICATE:
                    self.response(problem_id, decision, None, by, answered, duplicate_of=duplicate_of)
                    status = ProblemStatus.DUPLICATE
                else:
                    target = self.referral_target(owner)
                    self.response(problem_id, decision, None, by, answered, referred_to=target)
                    owner, status, due = target, ProblemStatus.REFERRED, answered + RESPONSE_TIME
                    second_delay = self.answer_delay(owner)
                    second = _seconds(answered + second_delay) if second_delay is not None else None
                    second_by = self.author(owner, ward)
                    if second is None or second > NOW or second_by is None:
                        self.routing(problem_id, owner, answered, None, None, None)
                    else:
                        accepted = rng.random() < 0.65
                        decision = ResponseDecision.ACCEPT if accepted else ResponseDecision.DECLINE
                        reason = None if accepted else self.pick(DECLINE_REASONS)
                        self.routing(problem_id, owner, answered, second, decision, reason)
                        self.response(problem_id, decision, reason, second_by, second)
                        updated = second
                        if accepted:
                            status, stage, updated = self.progress(second)
                        else:
                            status = ProblemStatus.DECLINED
            if status != ProblemStatus.DUPLICATE:
                self.latest[(ward, category)] = problem_id
            self.people(problem_id, proposer, created)
            if duplicate_of is not None and first_answer is not None:
                # Marking a duplicate carries its supporters and followers over to the original.
                for people in (self.supporters, self.followers):
                    for user in people[problem_id - 1]:
                        people[duplicate_of - 1].setdefault(user, first_answer)
            latitude = longitude = None
            if rng.random() < WITH_LOCATION:
                centre = self.ward_centres[ward]
                latitude, longitude = rng.gauss(centre[0], 0.01), rng.gauss(centre[1], 0.015)
            street = f"{rng.choice(seed.PREFIXES)}{rng.choice(seed.SUFFIXES)} {rng.choice(STREETS)}"
            self.rows.append(
                {
                    "id": problem_id,
                    "title": f"{rng.choice(TITLES[category])} {street}",
                    "description": f"Reported by residents near {street}. It has been going on for weeks.",
                    "category": category.value,
                    "status": status.value,
                    "stage": stage.value,
                    "visibility": (
                        Visibility.RESTRICTED if rng.random() < RESTRICTED else Visibility.PUBLIC
                    ).value,
                    "latitude": latitude,
                    "longitude": longitude,
                    "created_at": created,
                    "updated_at": updated,
                    "response_due_at": due,
                    "answered": status not in AWAITING,
                    "first_responded_at": first_answer,
                    "first_response_hours": _hours(first_answer, created) if first_answer else None,
                    "first_response_on_time": first_answer <= created + RESPONSE_TIME
                    if first_answer
                    else None,
                    "decline_reason": reason.value if status == ProblemStatus.DECLINED and reason else None,
                    "comment_count": 0,
                    "area_id": ward,
                    "duplicate_of_id": duplicate_of,
                    "owner_id": owner,
                    "proposer_id": proposer,
                }
            )
        self.people_rows()
        return data

    def people_rows(self) -> None:
        """The supports and follows, and the counters that stand for them (known only now that
        every duplicate has been carried over to its original)."""
        data = self.data
        columns = COLUMNS["problems"]
        for row, supporters, followers in zip(self.rows, self.supporters, self.followers, strict=True):
            row["support_count"], row["follower_count"] = len(supporters), len(followers)
            data.problems.append(tuple(row[column] for column in columns))
            for user, joined in supporters.items():
                data.problem_supports.append((len(data.problem_supports) + 1, row["id"], user, joined))
            for user, joined in followers.items():
                data.problem_follows.append((len(data.problem_follows) + 1, row["id"], user, joined))


def build(sizes: Sizes, *, rng_seed: int = 11) -> Data:
    return _Builder(sizes, random.Random(rng_seed)).build()


# --- Writing ------------------------------------------------------------------------------------


def _present(columns: Sequence[str], existing: set[str], rows: list[Row]) -> tuple[list[str], Any]:
    """The columns the table has, and the rows cut down to them. The schema may move ahead of
    this seed: a column the seed knows and the table lacks is left out, and a column the table
    needs and the seed does not know fails the insert with the database's own message."""
    keep = [i for i, column in enumerate(columns) if column in existing]
    if len(keep) == len(columns):
        return list(columns), rows
    return [columns[i] for i in keep], ([row[i] for i in keep] for row in rows)


def insert_postgres(database_url: str, data: Data) -> dict[str, int]:
    """COPY every table in, move each id sequence past its rows, and refresh the statistics."""
    counts = {}
    with psycopg.connect(database_url) as connection:
        with connection.cursor() as cursor:
            for table, known, rows in data.tables():
                existing = {
                    name
                    for (name,) in cursor.execute(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = %s",
                        (table,),
                    )
                }
                columns, values = _present(known, existing, rows)
                names = sql.SQL(", ").join(map(sql.Identifier, columns))
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), names)
                with cursor.copy(statement) as copy:
                    for row in values:
                        copy.write_row(row)
                cursor.execute(
                    sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), {})").format(
                        sql.Literal(table), sql.Literal(max(len(rows), 1))
                    )
                )
                counts[table] = len(rows)
        connection.commit()
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return counts


def sqlite_value(value: Any) -> Any:
    """A value as Tortoise writes it to SQLite: moments as `isoformat(" ")` text."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


def insert_sqlite(path: Path, data: Data) -> dict[str, int]:
    """INSERT every table in one transaction (SQLite moves each AUTOINCREMENT counter past
    the ids given), then refresh the planner's statistics."""
    counts = {}
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA synchronous = OFF")
        for table, known, rows in data.tables():
            existing = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            columns, values = _present(known, existing, rows)
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                (tuple(sqlite_value(value) for value in row) for row in values),
            )
            counts[table] = len(rows)
        connection.commit()
        connection.execute("ANALYZE")
    return counts


# --- Checking -----------------------------------------------------------------------------------

# Each counts the rows that break one rule the services keep; all must be 0.
RULES = {
    "support counts match the supports": (
        "SELECT COUNT(*) FROM problems p WHERE p.support_count <> "
        "(SELECT COUNT(*) FROM problem_supports s WHERE s.problem_id = p.id)"
    ),
    "follower counts match the follows": (
        "SELECT COUNT(*) FROM problems p WHERE p.follower_count <> "
        "(SELECT COUNT(*) FROM problem_follows f WHERE f.problem_id = p.id)"
    ),
    "an awaited proposal has one open routing, to its owner": (
        "SELECT COUNT(*) FROM problems p WHERE p.status IN ('PROPOSED', 'REFERRED') AND 1 <> "
        "(SELECT COUNT(*) FROM problem_routings r WHERE r.problem_id = p.id AND r.answered_at IS NULL "
        "AND r.organisation_id = p.owner_id AND r.due_at = p.response_due_at)"
    ),
    # Read from the open routings (a few thousand) towards their problems: SQLite, asked the
    # other way round, walks every open routing for each of 100,000 problems.
    "an answered proposal has no open routing": (
        "SELECT COUNT(*) FROM problem_routings r JOIN problems p ON p.id = r.problem_id "
        "WHERE r.answered_at IS NULL AND p.status NOT IN ('PROPOSED', 'REFERRED')"
    ),
    "each answer has its response": (
        "SELECT COUNT(*) FROM problem_routings r WHERE r.answered_at IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM problem_responses e WHERE e.problem_id = r.problem_id "
        "AND e.created_at = r.answered_at AND e.decision = r.decision)"
    ),
    "the first response is the first routing's answer": (
        "SELECT COUNT(*) FROM problems p JOIN problem_routings r ON r.problem_id = p.id "
        "AND r.received_at = p.created_at WHERE "
        "(p.first_responded_at IS NULL) <> (r.answered_at IS NULL) OR p.first_responded_at <> r.answered_at"
    ),
    "a declined proposal says why": (
        "SELECT COUNT(*) FROM problems WHERE (status = 'DECLINED') <> (decline_reason IS NOT NULL)"
    ),
    "a duplicate names an earlier original that is not a duplicate": (
        "SELECT COUNT(*) FROM problems p LEFT JOIN problems o ON o.id = p.duplicate_of_id "
        "WHERE (p.status = 'DUPLICATE') <> (p.duplicate_of_id IS NOT NULL) "
        "OR (p.duplicate_of_id IS NOT NULL AND (o.id >= p.id OR o.status = 'DUPLICATE'))"
    ),
}


async def check(data: Data, *, sample: int = 2_000) -> list[str]:
    """With Tortoise open on the database: the rules above hold, and a sample of proposals,
    their routings and responses load through the models (a value outside its enum fails
    there) with what was written."""
    from tortoise import Tortoise

    from backend.models import Problem, ProblemResponse, ProblemRouting

    found: list[str] = []
    connection = Tortoise.get_connection("default")
    for rule, query in RULES.items():
        _, rows = await connection.execute_query(query)
        broken = next(iter(dict(rows[0]).values()))
        if broken:
            found.append(f"{broken} rows break the rule: {rule}")
    columns = COLUMNS["problems"]
    fields = Problem._meta.fields_map
    compared = [
        name
        for name in (
            "status",
            "owner_id",
            "first_responded_at",
            "support_count",
            "decline_reason",
            "answered",
        )
        if name in fields
    ]
    step = max(1, len(data.problems) // sample)
    written = {row[0]: dict(zip(columns, row, strict=True)) for row in data.problems[::step]}
    for problem in await Problem.filter(id__in=list(written)):
        loaded = tuple(getattr(problem, name) for name in compared)
        wrote = tuple(written[problem.id][name] for name in compared)
        if loaded != wrote:
            found.append(f"problem {problem.id}: read back {loaded}, wrote {wrote}")
    await ProblemRouting.filter(problem_id__in=list(written))
    await ProblemResponse.filter(problem_id__in=list(written))
    for what, count, wanted in (
        ("problems", await Problem.all().count(), len(data.problems)),
        ("routings", await ProblemRouting.all().count(), len(data.problem_routings)),
    ):
        if count != wanted:
            found.append(f"{what}: {count} rows read back, {wanted} written")
    return found
