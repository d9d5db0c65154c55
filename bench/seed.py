"""The benchmark's data: a police force's tree of areas, organisations, people and routing rules.

Written with COPY straight into the tables `rungs migrate` made, then read back through
the Tortoise models and checked against the rules the services enforce, so both servers
under test read data the application itself could have written.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from argon2 import PasswordHasher
from psycopg import sql
from slugify import slugify

from backend.auth.tokens import digest
from backend.models.areas import sibling_key
from backend.models.enums import (
    ActionStatus,
    AreaRoleKind,
    AssignmentStatus,
    CredentialKind,
    DigestFrequency,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    OrganisationKind,
    OrganisationRole,
    OwnerStatus,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    Visibility,
    WorkingGroupStatus,
)

CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ROOT_RESPONSE_DAYS = 10

PREFIXES = [
    "Ash", "Beck", "Black", "Bram", "Brook", "Cold", "Crow", "Elm", "Fair", "Fern", "Hallow", "Hart",
    "Hazel", "High", "Holm", "King", "Lang", "Lark", "Marsh", "Mill", "Moor", "Nether", "Oak", "Red",
    "Rook", "Rye", "Salt", "Shep", "Stan", "Stone", "Thorn", "Wal", "West", "Whit", "Wick", "Wold",
]  # fmt: skip
SUFFIXES = [
    "bridge", "bury", "by", "combe", "dale", "field", "ford", "gate", "ham", "hill", "holme", "hurst",
    "ley", "mere", "minster", "stead", "thorpe", "ton", "well", "wick", "wood", "worth",
]  # fmt: skip
QUALIFIERS = ["", "", "", "North ", "South ", "East ", "Upper ", "Lower ", "Old ", "New "]
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hamza", "Isla", "Jack", "Kemi", "Liam",
    "Maya", "Noah", "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik", "Wren", "Zara",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Begum", "Clarke", "Doyle", "Evans", "Foster", "Green", "Hussain", "Iqbal", "Jones",
    "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Reed", "Shah", "Taylor", "Walsh",
]  # fmt: skip
SKILLS = ["first aid", "driving", "translation", "litter picking", "events", "mentoring", "DIY", "IT"]


@dataclass
class Sizes:
    districts: int = 20
    neighbourhoods_per_district: int = 50
    users: int = 5000
    memberships: int = 1000
    area_roles: int = 300

    @property
    def areas(self) -> int:
        return 1 + self.districts + self.districts * self.neighbourhoods_per_district


@dataclass
class Dataset:
    """The rows to insert, one tuple a row, in the column order of `COLUMNS`."""

    areas: list[tuple[Any, ...]] = field(default_factory=list)
    organisations: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    routing_rules: list[tuple[Any, ...]] = field(default_factory=list)
    organisation_memberships: list[tuple[Any, ...]] = field(default_factory=list)
    area_roles: list[tuple[Any, ...]] = field(default_factory=list)
    neighbourhood_ids: list[int] = field(default_factory=list)
    # The rows of the pages people load (`build_pages`), when the benchmark wants them.
    pages: Pages | None = None

    def tables(self) -> Iterable[tuple[str, list[tuple[Any, ...]]]]:
        # Parents before children, as the foreign keys want.
        yield "areas", self.areas
        yield "organisations", self.organisations
        yield "users", self.users
        yield "routing_rules", self.routing_rules
        yield "organisation_memberships", self.organisation_memberships
        yield "area_roles", self.area_roles


COLUMNS = {
    "areas": ("id", "name", "sibling_key", "slug", "path", "response_days", "created_at", "parent_id"),
    "organisations": ("id", "name", "name_key", "kind", "created_at"),
    "users": (
        "id",
        "email",
        "display_name",
        "password_hash",
        "is_admin",
        "skills",
        "email_notifications",
        "task_reminders",
        "digest",
        "created_at",
        "updated_at",
        "home_area_id",
        "erased_at",
        "public_initials",
    ),
    "routing_rules": ("id", "category", "updated_at", "area_id", "organisation_id"),
    "organisation_memberships": ("id", "role", "created_at", "organisation_id", "user_id"),
    "area_roles": ("id", "role", "created_at", "area_id", "user_id"),
}

ORGANISATIONS = [
    ("Northshire Police", OrganisationKind.POLICE),
    ("Northshire Fire and Rescue", OrganisationKind.FIRE_AND_RESCUE),
    ("Northshire Health Partnership", OrganisationKind.HEALTH),
    ("Northshire Schools Trust", OrganisationKind.EDUCATION),
    ("Northshire Homes", OrganisationKind.HOUSING),
    ("Riverside Housing Association", OrganisationKind.HOUSING),
    ("Greenway Living", OrganisationKind.HOUSING),
    ("Riverside Youth Trust", OrganisationKind.CHARITY),
    ("Safe Streets Northshire", OrganisationKind.CHARITY),
    ("Victim Support Northshire", OrganisationKind.CHARITY),
    ("Neighbourhood Watch Northshire", OrganisationKind.COMMUNITY_GROUP),
    ("Friends of the Canal", OrganisationKind.COMMUNITY_GROUP),
    ("Northshire Chamber of Commerce", OrganisationKind.BUSINESS),
    ("Northshire Transport", OrganisationKind.OTHER),
]
COUNCILS = 6  # one council per few districts, named after the first district it serves


def _place_names(rng: random.Random, count: int) -> list[str]:
    names = sorted({f"{q}{p}{s}" for q in QUALIFIERS for p in PREFIXES for s in SUFFIXES})
    if count > len(names):
        raise ValueError(f"at most {len(names)} distinct area names, not {count}")
    return rng.sample(names, count)


def _unique_slug(name: str, taken: set[str]) -> str:
    """The slug `rungs` would give the area: its name slugified, numbered when taken."""
    base = slugify(name, max_length=72, word_boundary=True)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def build(sizes: Sizes, *, seed: int = 7, created: datetime = CREATED) -> Dataset:
    """The rows; `created` is when the areas, organisations and people came to the platform."""
    rng = random.Random(seed)
    data = Dataset()
    names = _place_names(rng, sizes.areas)
    slugs: set[str] = set()

    def add_area(name: str, parent: tuple[Any, ...] | None, response_days: int | None) -> tuple[Any, ...]:
        area_id = len(data.areas) + 1
        path = f"{parent[4] if parent else '/'}{area_id}/"
        row = (
            area_id,
            name,
            sibling_key(parent[0] if parent else None, name),
            _unique_slug(name, slugs),
            path,
            response_days,
            created,
            parent[0] if parent else None,
        )
        data.areas.append(row)
        return row

    root = add_area("Northshire", None, ROOT_RESPONSE_DAYS)
    districts = [add_area(names.pop(), root, None) for _ in range(sizes.districts)]
    for district in districts:
        for _ in range(sizes.neighbourhoods_per_district):
            data.neighbourhood_ids.append(add_area(names.pop(), district, None)[0])

    organisations = list(ORGANISATIONS)
    for i in range(COUNCILS):
        organisations.append((f"{districts[i][1]} Borough Council", OrganisationKind.COUNCIL))
    for i, (name, kind) in enumerate(organisations, start=1):
        data.organisations.append((i, name, name.lower(), kind.value, created))
    police, councils = 1, list(range(len(ORGANISATIONS) + 1, len(organisations) + 1))

    categories = list(ProblemCategory)

    def add_rule(area_id: int, category: ProblemCategory, organisation_id: int) -> None:
        rule_id = len(data.routing_rules) + 1
        updated = created + timedelta(minutes=rule_id)
        data.routing_rules.append((rule_id, category.value, updated, area_id, organisation_id))

    for category in categories:
        add_rule(root[0], category, police)
    for i, district in enumerate(districts):
        council = councils[i * len(councils) // len(districts)]
        for category in (ProblemCategory.ENVIRONMENT, ProblemCategory.ANTISOCIAL_BEHAVIOUR):
            add_rule(district[0], category, council)
        add_rule(district[0], ProblemCategory.VULNERABILITY, rng.randrange(1, len(organisations) + 1))
    for area_id in data.neighbourhood_ids:
        for category in rng.sample(categories, 2):
            add_rule(area_id, category, rng.randrange(1, len(organisations) + 1))

    # One real hash for everyone: hashing 5,000 passwords would only make seeding slow.
    password_hash = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash(
        "bench-password-not-for-use"
    )
    for user_id in range(1, sizes.users + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        joined = created + timedelta(minutes=user_id)
        data.users.append(
            (
                user_id,
                f"{first}.{last}.{user_id}@example.org".lower(),
                f"{first} {last}",
                password_hash,
                user_id == 1,
                json.dumps(rng.sample(SKILLS, rng.randrange(0, 4))),
                rng.random() < 0.8,
                rng.random() < 0.9,
                rng.choice(list(DigestFrequency)).value,
                joined,
                joined,
                rng.choice(data.neighbourhood_ids) if rng.random() < 0.9 else None,
                None,
                False,
            )
        )

    pairs: set[tuple[int, int]] = set()
    while len(pairs) < sizes.memberships:
        pairs.add((rng.randrange(1, len(organisations) + 1), rng.randrange(2, sizes.users + 1)))
    for i, (organisation_id, user_id) in enumerate(sorted(pairs), start=1):
        role = OrganisationRole.ADMIN if rng.random() < 0.1 else OrganisationRole.MEMBER
        data.organisation_memberships.append((i, role.value, created, organisation_id, user_id))

    roles: set[tuple[int, int, AreaRoleKind]] = set()
    while len(roles) < sizes.area_roles:
        roles.add(
            (
                rng.randrange(1, sizes.areas + 1),
                rng.randrange(2, sizes.users + 1),
                rng.choice(list(AreaRoleKind)),
            )
        )
    for i, (area_id, user_id, area_role) in enumerate(sorted(roles), start=1):
        data.area_roles.append((i, area_role.value, created, area_id, user_id))
    return data


# --- The pages people load: problems, their answers and talk, working groups and their tasks ---


@dataclass
class PageSizes:
    problems: int = 2_000
    restricted_share: float = 0.1
    groups: int = 300
    tasks: int = 1_200
    # Signed-in variants of the pages use bearer tokens of this many residents.
    tokens: int = 20


PAGE_COLUMNS = {
    "problems": (
        "id", "title", "description", "category", "status", "stage", "visibility", "latitude", "longitude",
        "created_at", "updated_at", "response_due_at", "answered", "first_responded_at",
        "first_response_hours", "first_response_on_time", "decline_reason", "support_count",
        "follower_count", "comment_count", "area_id", "duplicate_of_id", "owner_id", "proposer_id",
    ),
    "problem_routings": (
        "id", "received_at", "due_at", "escalate_at", "answered_at", "answer_hours", "answered_on_time",
        "decision", "organisation_id", "problem_id",
    ),
    "problem_responses": (
        "id", "decision", "body", "created_at", "author_id", "organisation_id", "problem_id",
    ),
    "problem_updates": ("id", "body", "created_at", "author_id", "organisation_id", "problem_id"),
    "comments": ("id", "body", "created_at", "author_id", "problem_id"),
    "problem_supports": ("id", "created_at", "problem_id", "user_id"),
    "problem_follows": ("id", "created_at", "problem_id", "user_id"),
    "working_groups": (
        "id", "name", "purpose", "status", "join_policy", "created_at", "area_id", "created_by_id",
        "problem_id",
    ),
    "working_group_problems": ("id", "added_at", "added_by_id", "group_id", "problem_id"),
    "group_memberships": (
        "id", "role", "status", "created_at", "updated_at", "group_id", "organisation_id", "user_id",
    ),
    "actions": (
        "id", "title", "description", "status", "due_on", "created_at", "updated_at", "created_by_id",
        "group_id",
    ),
    "action_owners": ("id", "status", "note", "updated_at", "action_id", "organisation_id", "user_id"),
    "volunteer_tasks": (
        "id", "title", "description", "starts_at", "ends_at", "location", "remote", "skills", "skill_tags",
        "slots", "filled", "schedule_version", "sequence", "created_at", "updated_at", "action_id",
        "created_by_id", "group_id",
    ),
    "task_assignments": (
        "id", "status", "place", "created_at", "updated_at", "task_id", "volunteer_id",
    ),
    "sessions": (
        "id", "token_hash", "kind", "label", "created_at", "expires_at", "last_seen_at", "user_id",
    ),
}  # fmt: skip
TASK_WORDS = ["a litter pick", "a street survey", "leafleting", "a meeting"]
PROBLEM_WORDS = [
    "Parking on the pavement", "Litter by the bus stop", "Speeding on the main road", "Graffiti on the",
    "Bikes stolen from the", "Noise late at night near", "Drug dealing behind the", "Broken street light on",
]  # fmt: skip


@dataclass
class Pages:
    """Rows for the pages people load, in the column order of `PAGE_COLUMNS`."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in PAGE_COLUMNS})
    # Bearer tokens (the secrets) of residents, for the signed-in pages.
    tokens: list[str] = field(default_factory=list)
    public_problem_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    # The start of the day the rows were made: every task starts after it.
    today: datetime = CREATED

    def add(self, table: str, *values: Any) -> int:
        rows = self.rows[table]
        rows.append((len(rows) + 1, *values))
        return len(rows)

    def tables(self) -> Iterable[tuple[str, list[tuple[Any, ...]]]]:
        yield from self.rows.items()


def build_pages(data: Dataset, sizes: PageSizes, *, now: datetime, seed: int = 13) -> Pages:
    """Problems with answers, updates, comments, supports and follows; working groups with
    members and actions; volunteer tasks (all starting after `now`) with their places filled.

    Counters (supports, follows, comments, filled places) agree with the rows they count, as
    the services keep them."""
    rng = random.Random(seed)
    pages = Pages(today=now.replace(hour=0, minute=0, second=0, microsecond=0))
    parents: dict[int, int | None] = {row[0]: row[7] for row in data.areas}
    rules: dict[tuple[int, str], int] = {
        (area_id, category): org for _, category, _, area_id, org in data.routing_rules
    }
    users: list[int] = [row[0] for row in data.users]
    members_of: dict[int, list[int]] = {}  # organisation: its members
    for _, _, _, organisation_id, user_id in data.organisation_memberships:
        members_of.setdefault(organisation_id, []).append(user_id)

    def owner(area_id: int, category: str) -> int | None:
        at: int | None = area_id
        while at is not None:
            if (at, category) in rules:
                return rules[(at, category)]
            at = parents[at]
        return None

    def speaker(organisation_id: int) -> int:
        return rng.choice(members_of.get(organisation_id) or users[1:])

    categories = [c.value for c in ProblemCategory]
    for number in range(1, sizes.problems + 1):
        created = now - timedelta(days=200) + timedelta(minutes=90 * number)
        area_id = rng.choice(data.neighbourhood_ids)
        category = rng.choice(categories)
        owner_id = owner(area_id, category)
        due = created + timedelta(days=ROOT_RESPONSE_DAYS)
        answered = owner_id is not None and rng.random() < 0.6
        responded = created + timedelta(hours=rng.randrange(2, 400)) if answered else None
        hours = (responded - created).total_seconds() / 3600 if responded else None
        on_time = responded <= due if responded else None
        visibility = Visibility.RESTRICTED if rng.random() < sizes.restricted_share else Visibility.PUBLIC
        supporters = rng.sample(users, rng.randrange(0, 25))
        followers = rng.sample(users, rng.randrange(0, 12))
        comments = rng.randrange(0, 9)
        latitude = 54.0 + rng.random() if rng.random() < 0.7 else None
        problem_id = pages.add(
            "problems",
            f"{rng.choice(PROBLEM_WORDS)} {rng.choice(SUFFIXES)} ({number})",
            "What happens, when and where, as the resident describes it. " * rng.randrange(1, 5),
            category,
            (ProblemStatus.ACCEPTED if answered else ProblemStatus.PROPOSED).value,
            SaraStage.SCANNING.value,
            visibility.value,
            latitude,
            -1.5 + rng.random() if latitude is not None else None,
            created,
            responded or created,
            due,
            answered,
            responded,
            hours,
            on_time,
            None,
            len(supporters),
            len(followers),
            comments,
            area_id,
            None,
            owner_id,
            rng.choice(users[1:]),
        )
        if visibility is Visibility.PUBLIC:
            pages.public_problem_ids.append(problem_id)
        pages.add(
            "problem_routings",
            created,
            due,
            due,
            responded,
            hours,
            on_time,
            ResponseDecision.ACCEPT.value if answered else None,
            owner_id,
            problem_id,
        )
        if responded is not None and owner_id is not None:
            author = speaker(owner_id)
            pages.add(
                "problem_responses",
                ResponseDecision.ACCEPT.value,
                "We will look into this and report back here.",
                responded,
                author,
                owner_id,
                problem_id,
            )
            for update in range(rng.randrange(0, 4)):
                pages.add(
                    "problem_updates",
                    f"Progress report {update + 1}: officers visited and spoke to neighbours.",
                    responded + timedelta(days=update + 1),
                    author,
                    owner_id,
                    problem_id,
                )
        for comment in range(comments):
            pages.add(
                "comments",
                f"Seen this again this week ({comment + 1}).",
                created + timedelta(hours=comment + 1),
                rng.choice(users[1:]),
                problem_id,
            )
        for user_id in supporters:
            pages.add("problem_supports", created + timedelta(hours=1), problem_id, user_id)
        for user_id in followers:
            pages.add("problem_follows", created + timedelta(hours=1), problem_id, user_id)

    # Working groups on public problems that were answered, so anyone may see them.
    answered_public = [
        row[0] for row in pages.rows["problems"] if row[6] == Visibility.PUBLIC.value and row[12]
    ]
    for problem_id in rng.sample(answered_public, min(sizes.groups, len(answered_public))):
        problem = pages.rows["problems"][problem_id - 1]
        formed: datetime = problem[13] + timedelta(days=2)
        lead = problem[23]
        group_id = pages.add(
            "working_groups",
            f"Working group on {problem[1]}",
            "Find out what drives the problem and agree who does what.",
            WorkingGroupStatus.ACTIVE.value,
            rng.choice(list(JoinPolicy)).value,
            formed,
            problem[20],
            lead,
            problem_id,
        )
        pages.group_ids.append(group_id)
        pages.add("working_group_problems", formed, lead, group_id, problem_id)
        people = [lead, *(u for u in rng.sample(users[1:], rng.randrange(3, 15)) if u != lead)]
        for i, user_id in enumerate(people):
            joined = MembershipStatus.ACTIVE if i == 0 or rng.random() < 0.85 else MembershipStatus.REQUESTED
            pages.add(
                "group_memberships",
                (GroupRole.LEAD if i == 0 else GroupRole.MEMBER).value,
                joined.value,
                formed,
                formed,
                group_id,
                None,
                user_id,
            )
        for a in range(rng.randrange(2, 7)):
            action_id = pages.add(
                "actions",
                f"Action {a + 1}: {rng.choice(['patrols', 'clean-up', 'signage', 'survey', 'meeting'])}",
                "Who does what, by when.",
                rng.choice([ActionStatus.PROPOSED, ActionStatus.ACTIVE, ActionStatus.DONE]).value,
                (formed + timedelta(days=30 + a)).date(),
                formed,
                formed,
                lead,
                group_id,
            )
            pages.add("action_owners", OwnerStatus.ACCEPTED.value, None, formed, action_id, problem[22], None)
            if rng.random() < 0.5:
                pages.add("action_owners", OwnerStatus.PENDING.value, None, formed, action_id, None, lead)

    actions_of: dict[int, list[int]] = {}
    for action in pages.rows["actions"]:
        actions_of.setdefault(action[-1], []).append(action[0])
    start = now + timedelta(days=1)
    for number in range(1, sizes.tasks + 1):
        group_id = rng.choice(pages.group_ids)
        group = pages.rows["working_groups"][group_id - 1]
        task_action = rng.choice(actions_of[group_id]) if rng.random() < 0.5 else None
        starts = start + timedelta(minutes=37 * number)
        skills = rng.sample(SKILLS, rng.randrange(0, 3))
        slots = rng.randrange(1, 12)
        filled = rng.randrange(0, slots + 1)
        task_id = pages.add(
            "volunteer_tasks",
            f"Help with {rng.choice(TASK_WORDS)} ({number})",
            "Meet at the community centre; gloves and bags provided.",
            starts,
            starts + timedelta(hours=2),
            None if rng.random() < 0.2 else "Community centre",
            rng.random() < 0.2,
            json.dumps(skills),
            "".join(f"|{skill.lower()}" for skill in skills) + "|" if skills else "",
            slots,
            filled,
            1,
            0,
            group[5],
            group[5],
            task_action,
            group[7],
            group_id,
        )
        for place, user_id in enumerate(rng.sample(users[1:], filled), start=1):
            status = AssignmentStatus.CONFIRMED.value
            pages.add("task_assignments", status, place, group[5], group[5], task_id, user_id)

    # Residents who use the API: a bearer token each, as accounts.create_api_token makes them.
    for user_id in users[1 : sizes.tokens + 1]:
        secret = f"bench-token-{user_id}-{rng.getrandbits(64):016x}"
        pages.tokens.append(secret)
        expires = now + timedelta(days=365)
        pages.add(
            "sessions", digest(secret), CredentialKind.API_TOKEN.value, "bench", now, expires, now, user_id
        )
    return pages


def recreate_database(admin_url: str, name: str) -> None:
    """Drop `name` (closing only its own connections) and create it afresh."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        database = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def insert(database_url: str, data: Dataset) -> dict[str, int]:
    """COPY the rows in, move each id sequence past them, and refresh the planner's statistics."""
    counts = {}
    tables = [(table, COLUMNS[table], rows) for table, rows in data.tables()]
    if data.pages is not None:
        tables += [(table, PAGE_COLUMNS[table], rows) for table, rows in data.pages.tables()]
    with psycopg.connect(database_url) as connection:
        with connection.cursor() as cursor:
            for table, known, rows in tables:
                columns = sql.SQL(", ").join(map(sql.Identifier, known))
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), columns)
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), {})").format(
                        sql.Literal(table), sql.Literal(max(len(rows), 1))
                    )
                )
                counts[table] = len(rows)
        connection.commit()
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("ANALYZE")
    return counts


async def check(database_url: str, data: Dataset) -> list[str]:
    """Read every row back through the models and check it as the services would have.

    Returns the problems found (none, when all is well). Loading a row whose enum column
    holds a value outside the enum fails in Tortoise itself.
    """
    from backend import db
    from backend.models import Area, AreaRole, Organisation, OrganisationMembership, RoutingRule, User
    from backend.services import validation

    problems: list[str] = []
    await db.open_database(database_url)
    try:
        areas = {area.id: area for area in await Area.all()}
        for area in areas.values():
            parent = areas.get(area.parent_id) if area.parent_id is not None else None
            expected = f"{parent.path if parent else '/'}{area.id}/"
            if area.path != expected:
                problems.append(f"area {area.id}: path {area.path!r}, expected {expected!r}")
            if area.ancestor_ids[0] != area.id or (parent and area.ancestor_ids[1:] != parent.ancestor_ids):
                problems.append(f"area {area.id}: ancestors {area.ancestor_ids} do not follow the tree")
            if area.slug != slugify(area.slug, max_length=80) or not area.slug:
                problems.append(f"area {area.id}: slug {area.slug!r} is not one `rungs` would make")
            if validation.text(area.name, "name", what="name", max_length=120) != area.name:
                problems.append(f"area {area.id}: name {area.name!r} would not pass validation")
            if (area.response_days is not None) != (area.parent_id is None):
                problems.append(f"area {area.id}: response days should be set on the root only")
        organisations = await Organisation.all()
        for organisation in organisations:
            if organisation.name_key != organisation.name.lower():
                problems.append(f"organisation {organisation.id}: name_key is not the lower-cased name")
            if not isinstance(organisation.kind, OrganisationKind):
                problems.append(f"organisation {organisation.id}: kind {organisation.kind!r}")
        users = await User.all()
        for user in users:
            if validation.email(user.email) != user.email:
                problems.append(f"user {user.id}: email {user.email!r} is not in its normal form")
            if not isinstance(user.digest, DigestFrequency) or not isinstance(user.skills, list):
                problems.append(f"user {user.id}: digest {user.digest!r} or skills {user.skills!r}")
            if user.home_area_id is not None and user.home_area_id not in areas:
                problems.append(f"user {user.id}: home area {user.home_area_id} does not exist")
        for rule in await RoutingRule.all():
            if not isinstance(rule.category, ProblemCategory):
                problems.append(f"routing rule {rule.id}: category {rule.category!r}")
        for membership in await OrganisationMembership.all():
            if not isinstance(membership.role, OrganisationRole):
                problems.append(f"membership {membership.id}: role {membership.role!r}")
        for role in await AreaRole.all():
            if not isinstance(role.role, AreaRoleKind):
                problems.append(f"area role {role.id}: role {role.role!r}")
        expected_counts: Sequence[tuple[str, int, int]] = [
            ("areas", len(areas), len(data.areas)),
            ("organisations", len(organisations), len(data.organisations)),
            ("users", len(users), len(data.users)),
            ("routing rules", await RoutingRule.all().count(), len(data.routing_rules)),
        ]
        if data.pages is not None:
            problems += await _check_pages(data.pages)
        for what, found, wanted in expected_counts:
            if found != wanted:
                problems.append(f"{what}: {found} rows read back, {wanted} written")
    finally:
        await db.close_database()
    return problems


async def _check_pages(pages: Pages) -> list[str]:
    """The pages' rows through the models (enum columns load only with known values), and the
    counters the services keep against the rows they count."""
    from collections import Counter

    from backend.db import int_column
    from backend.models import (
        Action,
        Comment,
        GroupMembership,
        Problem,
        ProblemFollow,
        ProblemSupport,
        TaskAssignment,
        VolunteerTask,
        WorkingGroup,
    )

    problems: list[str] = []
    supports = Counter(await int_column(ProblemSupport.all(), "problem_id"))
    follows = Counter(await int_column(ProblemFollow.all(), "problem_id"))
    comments = Counter(await int_column(Comment.filter(hidden_at__isnull=True), "problem_id"))
    for problem in await Problem.all():
        counted = (supports[problem.id], follows[problem.id], comments[problem.id])
        if (problem.support_count, problem.follower_count, problem.comment_count) != counted:
            problems.append(f"problem {problem.id}: counters do not match its supports, follows, comments")
    holding = Counter(await int_column(TaskAssignment.filter(status=AssignmentStatus.CONFIRMED), "task_id"))
    for task in await VolunteerTask.all():
        if task.filled != holding[task.id] or task.filled > task.slots:
            problems.append(f"task {task.id}: {task.filled} places filled, {holding[task.id]} held")
    for model, table in ((WorkingGroup, "working_groups"), (GroupMembership, "group_memberships")):
        if await model.all().count() != len(pages.rows[table]):
            problems.append(f"{table}: not every row reads back")
    if await Action.all().count() != len(pages.rows["actions"]):
        problems.append("actions: not every row reads back")
    return problems
