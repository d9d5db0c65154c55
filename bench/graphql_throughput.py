"""GraphQL read throughput: Rungs against PostGraphile, on the same PostgreSQL database and data.

One run on one machine (DESIGN.md §7): the script makes a fresh database, migrates and seeds
it, starts `rungs serve` and PostGraphile on it, checks that both give the same answers to
the same logical queries, then loads each with wrk (a separate process, so the load
generator never shares an event loop with a server) and prints requests per second,
latency percentiles, errors, SQL statements and CPU time per request, per server and per
query. The database (`rungs_bench` unless told otherwise) is dropped at the start and the end.

    .venv/bin/python bench/graphql_throughput.py
    .venv/bin/python bench/graphql_throughput.py --duration 20 --json results.json

Needs PostgreSQL (trust authentication for the given user), Redis, Node.js with npm (for
PostGraphile, installed into a cache folder outside the repository) and wrk
(`apt-get install wrk`). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import seed

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
WRK_SCRIPT = BENCH / "post.lua"
RUNGS = REPO / ".venv" / "bin" / "rungs"
POSTGRAPHILE_VERSION = "4.14.1"
DEFAULT_POSTGRAPHILE_DIR = Path.home() / ".cache" / "rungs-bench" / "postgraphile"
READY_TIMEOUT = 60.0
SERVERS = ("rungs", "postgraphile")

Body = dict[str, Any]
Json = dict[str, Any]


class BenchError(Exception):
    """Something that stops the benchmark; the message says what and where to look."""


# --- The queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One logical query, as each server spells it, and how to read its answer for comparison.

    A signed-in query is asked of Rungs only (PostGraphile here has no notion of a viewer), with
    the seeded residents' bearer tokens in turn."""

    key: str
    title: str
    rungs: Callable[[seed.Dataset], list[Body]]
    postgraphile: Callable[[seed.Dataset], list[Body]] | None
    # Each server's answer reduced to the same plain shape, so the two can be compared.
    rungs_answer: Callable[[Json], Any]
    postgraphile_answer: Callable[[Json], Any] | None = None
    signed_in: bool = False
    # Sent anonymously by persisted-document id, so Rungs answers it from its cache of public
    # reads (backend/api/public_answers.py); warmed before timing, its hit rate reported.
    cached: bool = False

    def servers(self, wanted: Sequence[str]) -> list[str]:
        """The servers of `wanted` this query is asked of."""
        return [name for name in wanted if name == "rungs" or self.postgraphile is not None]

    def bodies(self, server: str, data: seed.Dataset) -> list[Body]:
        if server == "rungs":
            return self.rungs(data)
        if self.postgraphile is None:
            raise BenchError(f"{self.key} is asked of Rungs only")
        return self.postgraphile(data)

    def requests(self, server: str, data: seed.Dataset) -> list[tuple[str | None, Body]]:
        """Each request body with the bearer token it is sent with (None: anonymous)."""
        bodies = self.bodies(server, data)
        if not self.signed_in:
            return [(None, body) for body in bodies]
        tokens = data.pages.tokens if data.pages is not None else []
        if not tokens:
            raise BenchError(f"{self.key} needs the seeded residents' API tokens")
        return [(tokens[i % len(tokens)], body) for i, body in enumerate(bodies)]

    def answer(self, server: str, data: Json) -> Any:
        if server == "rungs":
            return self.rungs_answer(data)
        assert self.postgraphile_answer is not None
        return self.postgraphile_answer(data)


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


AREAS_PAGE_RUNGS = """query AreasPage {
  areas(first: 50) { edges { node { id name slug parent { name } children { name } } } }
}"""
AREAS_PAGE_POSTGRAPHILE = """query AreasPage {
  allAreas(first: 50, orderBy: [NAME_ASC, ID_ASC]) {
    nodes {
      nodeId name slug
      areaByParentId { name }
      areasByParentId(orderBy: [NAME_ASC, ID_ASC]) { nodes { name } }
    }
  }
}"""
AREA_RUNGS = """query Area($id: ID!) {
  area(id: $id) { id name slug routingRules { category organisation { name } } }
}"""
AREA_POSTGRAPHILE = """query Area($id: Int!) {
  areaById(id: $id) {
    nodeId name slug
    routingRulesByAreaId(orderBy: CATEGORY_ASC) { nodes { category organisationByOrganisationId { name } } }
  }
}"""
ORGANISATIONS_RUNGS = """query Organisations {
  organisations(first: 20) { edges { node { id name kind } } }
}"""
ORGANISATIONS_POSTGRAPHILE = """query Organisations {
  allOrganisations(first: 20, orderBy: [NAME_KEY_ASC, ID_ASC]) { nodes { nodeId name kind } }
}"""
TYPENAME = "query Typename { __typename }"
# Areas asked for one at a time: spread over the tree, sent in turn, so no one row stays hot.
AREAS_ASKED = 100


def _areas_asked(data: seed.Dataset) -> list[int]:
    ids = data.neighbourhood_ids
    step = max(1, len(ids) // AREAS_ASKED)
    return ids[::step][:AREAS_ASKED]


def _rungs_area_id(pk: int) -> str:
    from backend import ids

    return ids.encode("Area", pk)


def _rungs_areas_page(data: Json) -> Any:
    return [
        (n["name"], n["slug"], n["parent"] and n["parent"]["name"], [c["name"] for c in n["children"]])
        for n in (edge["node"] for edge in data["areas"]["edges"])
    ]


def _postgraphile_areas_page(data: Json) -> Any:
    return [
        (
            n["name"],
            n["slug"],
            n["areaByParentId"] and n["areaByParentId"]["name"],
            [c["name"] for c in n["areasByParentId"]["nodes"]],
        )
        for n in data["allAreas"]["nodes"]
    ]


def _rungs_area(data: Json) -> Any:
    area = data["area"]
    rules = [(r["category"], r["organisation"]["name"]) for r in area["routingRules"]]
    return (area["name"], area["slug"], rules)


def _postgraphile_area(data: Json) -> Any:
    area = data["areaById"]
    rules = [
        (r["category"], r["organisationByOrganisationId"]["name"])
        for r in area["routingRulesByAreaId"]["nodes"]
    ]
    return (area["name"], area["slug"], rules)


QUERIES = [
    Query(
        key="typename",
        title="no data: { __typename }, the floor of each server's HTTP and GraphQL handling",
        rungs=lambda data: [{"query": TYPENAME}],
        postgraphile=lambda data: [{"query": TYPENAME}],
        rungs_answer=lambda data: data["__typename"],
        postgraphile_answer=lambda data: data["__typename"],
    ),
    Query(
        key="areas-page",
        title="areas page: 50 areas, parent and children",
        rungs=lambda data: [{"query": AREAS_PAGE_RUNGS}],
        postgraphile=lambda data: [{"query": AREAS_PAGE_POSTGRAPHILE}],
        rungs_answer=_rungs_areas_page,
        postgraphile_answer=_postgraphile_areas_page,
    ),
    Query(
        key="area",
        title=f"one area by id, routing rules and organisations ({AREAS_ASKED} ids in turn)",
        rungs=lambda data: [
            {"query": AREA_RUNGS, "variables": {"id": _rungs_area_id(pk)}} for pk in _areas_asked(data)
        ],
        postgraphile=lambda data: [
            {"query": AREA_POSTGRAPHILE, "variables": {"id": pk}} for pk in _areas_asked(data)
        ],
        rungs_answer=_rungs_area,
        postgraphile_answer=_postgraphile_area,
    ),
    Query(
        key="organisations",
        title="organisations page: 20 organisations",
        rungs=lambda data: [{"query": ORGANISATIONS_RUNGS}],
        postgraphile=lambda data: [{"query": ORGANISATIONS_POSTGRAPHILE}],
        rungs_answer=lambda data: [
            (e["node"]["name"], e["node"]["kind"]) for e in data["organisations"]["edges"]
        ],
        postgraphile_answer=lambda data: [(n["name"], n["kind"]) for n in data["allOrganisations"]["nodes"]],
    ),
]
# The pages people load: Rungs answers the documents the web interface sends, word for word;
# PostGraphile the closest query its schema allows on the same tables. Fields only Rungs can
# work out (the viewer's rights, overdue flags) are asked of Rungs alone and not compared.
OPERATIONS = REPO / "graphql" / "operations"


def _operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text()


# Rungs caches anonymous answers to the persisted documents: the uncached page keys send each
# document's text under this line, which makes it a document of its own (not persisted), so
# they measure the work of answering, as before the cache.
NOT_PERSISTED = "# measured uncached\n"


def _uncached(bodies: list[Body]) -> list[Body]:
    return [{**body, "query": NOT_PERSISTED + body["query"]} for body in bodies]


# The board's variables as the web interface sends them with no filter chosen.
BOARD_VARIABLES: Json = {
    "filter": {
        "areaId": None, "ownerId": None, "proposedSince": None, "referred": None, "answerDue": None,
        "answeredOnTime": None, "declineReasons": None, "statuses": None, "categories": None,
        "search": None, "responseOverdue": None,
    },
    "orderBy": "NEWEST",
    "first": 20,
    "after": None,
}  # fmt: skip
BOARD_POSTGRAPHILE = """query Problems {
  allProblems(first: 20, orderBy: ID_DESC, condition: {visibility: "PUBLIC"}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title category status stage visibility createdAt updatedAt responseDueAt firstRespondedAt
        supportCount followerCount commentCount latitude longitude
        areaByAreaId { id name }
        organisationByOwnerId { id name }
        userByProposerId { id displayName }
      }
    }
  }
}"""
PROBLEM_POSTGRAPHILE = """query Problem($id: Int!) {
  problemById(id: $id) {
    id title description category status stage visibility createdAt updatedAt responseDueAt
    firstRespondedAt supportCount followerCount commentCount latitude longitude
    areaByAreaId {
      id name
      areaRolesByAreaId(condition: {role: "COORDINATOR"}, orderBy: ID_ASC) {
        nodes { userByUserId { id displayName } }
      }
    }
    organisationByOwnerId { id name }
    userByProposerId { id displayName }
    problemResponsesByProblemId(orderBy: [CREATED_AT_ASC, ID_ASC]) {
      nodes {
        id decision reasonCode body createdAt correctedAt
        userByAuthorId { id displayName }
        organisationByOrganisationId { id name }
        organisationByReferredToId { id name }
        problemByDuplicateOfId { id title }
        responseCorrectionsByResponseId(orderBy: [CREATED_AT_ASC, ID_ASC]) {
          nodes {
            id kind body createdAt userByAuthorId { id displayName } organisationByOrganisationId { id name }
          }
        }
      }
    }
    workingGroupsByProblemId(orderBy: ID_ASC) {
      nodes { id name status joinPolicy createdAt areaByAreaId { id name } }
    }
    problemUpdatesByProblemId(orderBy: [CREATED_AT_ASC, ID_ASC]) {
      nodes { id body createdAt userByAuthorId { id displayName } organisationByOrganisationId { id name } }
    }
    commentsByProblemId(first: 50, orderBy: ID_ASC, condition: {hiddenAt: null}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id body createdAt userByAuthorId { id displayName } } }
    }
  }
}"""
GROUP_POSTGRAPHILE = """query WorkingGroup($id: Int!) {
  workingGroupById(id: $id) {
    id name purpose status joinPolicy createdAt closedAt
    areaByAreaId { id name }
    workingGroupProblemsByGroupId(orderBy: ID_ASC) {
      nodes { problemByProblemId { id title status stage visibility responseDueAt areaByAreaId { id name } } }
    }
    groupMembershipsByGroupId(condition: {status: "ACTIVE"}, orderBy: [CREATED_AT_ASC, ID_ASC]) {
      totalCount
      nodes {
        id role status createdAt message
        userByUserId { id displayName }
        organisationByOrganisationId { id name kind }
      }
    }
    actionsByGroupId(orderBy: [CREATED_AT_ASC, ID_ASC]) {
      nodes {
        id title description status dueOn createdAt
        actionOwnersByActionId(orderBy: ID_ASC) {
          nodes {
            status note updatedAt organisationByOrganisationId { id name } userByUserId { id displayName }
          }
        }
      }
    }
  }
}"""
TASKS_POSTGRAPHILE = """query VolunteerTasks {
  allVolunteerTasks(first: 20, orderBy: [STARTS_AT_ASC, ID_ASC]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id title description startsAt endsAt location remote skills slots filled cancelReason
        workingGroupByGroupId { id name areaByAreaId { id name } }
        actionByActionId { id title }
        waiting: taskAssignmentsByTaskId(condition: {status: "WAITLISTED"}) { totalCount }
      }
    }
  }
}"""
# Problem and group pages asked for one at a time, spread over the rows, like the areas.
PAGES_ASKED = 100


def _pages(data: seed.Dataset) -> seed.Pages:
    if data.pages is None:
        raise BenchError("the pages' rows were not seeded")
    return data.pages


def _asked(ids: Sequence[int]) -> list[int]:
    step = max(1, len(ids) // PAGES_ASKED)
    return list(ids[::step][:PAGES_ASKED])


def _rungs_id(kind: str, pk: int) -> str:
    from backend import ids

    return ids.encode(kind, pk)


def _tasks_variables(data: seed.Dataset) -> Json:
    # The web interface lists tasks from the start of today; every seeded task starts later.
    return {
        "filter": {
            "areaId": None, "skills": None, "remote": None, "startsAfter": _pages(data).today.isoformat(),
            "startsBefore": None, "openOnly": None,
        },
        "first": 20,
        "after": None,
    }  # fmt: skip


def _name(node: Json | None, key: str = "name") -> Any:
    return node and node[key]


def _board_answer(page: Json, area: str, owner: str, proposer: str) -> Any:
    """The board as both servers give it; the arguments name each server's relations."""
    return (
        page["totalCount"],
        [
            (
                n["title"],
                n["status"],
                _name(n[area]),
                _name(n[owner]),
                _name(n[proposer], "displayName"),
                n["supportCount"],
                n["followerCount"],
                n["commentCount"],
            )
            for n in (edge["node"] for edge in page["edges"])
        ],
    )


def _rungs_problem(data: Json) -> Any:
    p = data["problem"]
    return (
        p["title"],
        _name(p["area"]),
        _name(p["owner"]),
        [(r["decision"], r["body"], _name(r["organisation"])) for r in p["responses"]],
        [(u["body"], _name(u["author"], "displayName")) for u in p["updates"]],
        sorted(g["name"] for g in p["workingGroups"]),
        p["comments"]["totalCount"],
        [(e["node"]["body"], _name(e["node"]["author"], "displayName")) for e in p["comments"]["edges"]],
    )


def _postgraphile_problem(data: Json) -> Any:
    p = data["problemById"]
    comments = p["commentsByProblemId"]
    return (
        p["title"],
        _name(p["areaByAreaId"]),
        _name(p["organisationByOwnerId"]),
        [
            (r["decision"], r["body"], _name(r["organisationByOrganisationId"]))
            for r in p["problemResponsesByProblemId"]["nodes"]
        ],
        [
            (u["body"], _name(u["userByAuthorId"], "displayName"))
            for u in p["problemUpdatesByProblemId"]["nodes"]
        ],
        sorted(g["name"] for g in p["workingGroupsByProblemId"]["nodes"]),
        comments["totalCount"],
        [(e["node"]["body"], _name(e["node"]["userByAuthorId"], "displayName")) for e in comments["edges"]],
    )


def _rungs_group(data: Json) -> Any:
    g = data["workingGroup"]
    return (
        g["name"],
        g["status"],
        _name(g["area"]),
        sorted(p["title"] for p in g["problems"]),
        sorted((_name(m["user"], "displayName"), m["role"]) for m in g["members"]),
        [
            (
                a["title"],
                a["status"],
                [(_name(o["organisation"]), _name(o["user"], "displayName")) for o in a["owners"]],
            )
            for a in g["actions"]
        ],
    )


def _postgraphile_group(data: Json) -> Any:
    g = data["workingGroupById"]
    return (
        g["name"],
        g["status"],
        _name(g["areaByAreaId"]),
        sorted(n["problemByProblemId"]["title"] for n in g["workingGroupProblemsByGroupId"]["nodes"]),
        sorted(
            (_name(m["userByUserId"], "displayName"), m["role"])
            for m in g["groupMembershipsByGroupId"]["nodes"]
        ),
        [
            (
                a["title"],
                a["status"],
                [
                    (_name(o["organisationByOrganisationId"]), _name(o["userByUserId"], "displayName"))
                    for o in a["actionOwnersByActionId"]["nodes"]
                ],
            )
            for a in g["actionsByGroupId"]["nodes"]
        ],
    )


def _tasks_answer(page: Json, filled: str, group: str, area: str, action: str, waiting: str) -> Any:
    """The task list as both servers give it; the arguments name each server's fields."""

    def count(value: Any) -> Any:
        return value["totalCount"] if isinstance(value, dict) else value

    return (
        page["totalCount"],
        [
            (
                n["title"],
                n["slots"],
                n[filled],
                count(n[waiting]),
                _name(n[group]),
                _name(n[group][area]),
                _name(n[action], "title"),
            )
            for n in (edge["node"] for edge in page["edges"])
        ],
    )


def _board(data: seed.Dataset) -> list[Body]:
    return [{"query": _operation("Problems"), "variables": BOARD_VARIABLES}]


def _problem(data: seed.Dataset) -> list[Body]:
    document = _operation("Problem")
    return [
        {"query": document, "variables": {"id": _rungs_id("Problem", pk), "commentsAfter": None}}
        for pk in _asked(_pages(data).public_problem_ids)
    ]


def _group(data: seed.Dataset) -> list[Body]:
    document = _operation("WorkingGroup")
    return [
        {"query": document, "variables": {"id": _rungs_id("WorkingGroup", pk)}}
        for pk in _asked(_pages(data).group_ids)
    ]


def _tasks(data: seed.Dataset) -> list[Body]:
    return [{"query": _operation("VolunteerTasks"), "variables": _tasks_variables(data)}]


# Each page's requests as the web interface sends them.
PAGE_BODIES = {"board": _board, "problem": _problem, "group": _group, "tasks": _tasks}
PAGE_QUERIES = [
    Query(
        key="board",
        title="the board, anonymous: 20 newest public problems, area, owner, proposer, counts",
        rungs=lambda data: _uncached(_board(data)),
        postgraphile=lambda data: [{"query": BOARD_POSTGRAPHILE}],
        rungs_answer=lambda data: _board_answer(data["problems"], "area", "owner", "proposer"),
        postgraphile_answer=lambda data: _board_answer(
            data["allProblems"], "areaByAreaId", "organisationByOwnerId", "userByProposerId"
        ),
    ),
    Query(
        key="problem",
        title=(
            "a problem page, anonymous: responses, updates, groups, comments "
            f"({PAGES_ASKED} problems in turn)"
        ),
        rungs=lambda data: _uncached(_problem(data)),
        postgraphile=lambda data: [
            {"query": PROBLEM_POSTGRAPHILE, "variables": {"id": pk}}
            for pk in _asked(_pages(data).public_problem_ids)
        ],
        rungs_answer=_rungs_problem,
        postgraphile_answer=_postgraphile_problem,
    ),
    Query(
        key="group",
        title=(
            "a working group page, anonymous: problems, active members, actions and owners "
            f"({PAGES_ASKED} groups in turn)"
        ),
        rungs=lambda data: _uncached(_group(data)),
        postgraphile=lambda data: [
            {"query": GROUP_POSTGRAPHILE, "variables": {"id": pk}} for pk in _asked(_pages(data).group_ids)
        ],
        rungs_answer=_rungs_group,
        postgraphile_answer=_postgraphile_group,
    ),
    Query(
        key="tasks",
        title="the volunteer task list, anonymous: first 20 tasks from today, group, area, places",
        rungs=lambda data: _uncached(_tasks(data)),
        postgraphile=lambda data: [{"query": TASKS_POSTGRAPHILE}],
        rungs_answer=lambda data: _tasks_answer(
            data["volunteerTasks"], "filledSlots", "group", "area", "action", "waitlistCount"
        ),
        postgraphile_answer=lambda data: _tasks_answer(
            data["allVolunteerTasks"],
            "filled",
            "workingGroupByGroupId",
            "areaByAreaId",
            "actionByActionId",
            "waiting",
        ),
    ),
]


def _by_id(bodies: Callable[[seed.Dataset], list[Body]]) -> Callable[[seed.Dataset], list[Body]]:
    """The same requests with each document named by its persisted id, as the web interface
    sends them, instead of its text."""
    from backend.api.persisted import document_id

    def requests(data: seed.Dataset) -> list[Body]:
        return [
            {"documentId": document_id(body["query"]), **{k: v for k, v in body.items() if k != "query"}}
            for body in bodies(data)
        ]

    return requests


# The same anonymous pages, answered from Rungs' cache of public reads; PostGraphile as above.
CACHED_QUERIES = [
    dataclasses.replace(
        page,
        key=f"{page.key}-cached",
        title=f"{page.key} page from the cache of public reads (Rungs), by document id",
        rungs=_by_id(PAGE_BODIES[page.key]),
        cached=True,
    )
    for page in PAGE_QUERIES
]
# The same pages as a signed-in resident sees them (bearer tokens in turn): Rungs only.
SIGNED_IN_QUERIES = [
    Query(
        key=f"{page.key}-signed-in",
        title=f"{page.key} page signed in as a resident (Rungs only)",
        rungs=PAGE_BODIES[page.key],
        postgraphile=None,
        rungs_answer=page.rungs_answer,
        signed_in=True,
    )
    for page in PAGE_QUERIES
]


# The same anonymous pages with their documents sent by id (persisted documents): Rungs only,
# to set beside the same page sent as text. Anonymous and by id, they are answered from the
# cache of public reads unless Rungs runs with it off (--no-answer-cache).
PERSISTED_QUERIES = [
    Query(
        key=f"{page.key}-persisted",
        title=f"{page.key} page, its document sent by id (Rungs only)",
        rungs=_by_id(PAGE_BODIES[page.key]),
        postgraphile=None,
        rungs_answer=page.rungs_answer,
    )
    for page in PAGE_QUERIES
]
QUERIES += PAGE_QUERIES + CACHED_QUERIES + SIGNED_IN_QUERIES + PERSISTED_QUERIES
QUERY_KEYS = [query.key for query in QUERIES]


# --- Settings and results -----------------------------------------------------------------------


@dataclass
class Options:
    postgres: str
    database: str
    redis_url: str
    workers: int
    connections: int
    threads: int
    duration: float
    warmup: float
    rounds: int
    queries: list[str]
    servers: list[str]
    ports: range
    scratch: Path
    postgraphile_dir: Path
    postgraphile_version: str
    json_path: Path | None
    keep_database: bool
    count_statements: bool
    quiet_wait: float
    no_answer_cache: bool = False

    @property
    def admin_url(self) -> str:
        return _with_database(self.postgres, "postgres")

    @property
    def database_url(self) -> str:
        return _with_database(self.postgres, self.database)


@dataclass
class Measurement:
    """One wrk run against one server with one query."""

    requests: int
    seconds: float
    requests_per_second: float
    latency_ms: dict[str, float]
    errors: int
    error_detail: dict[str, int]
    # CPU time per request of the server's processes and of its database backends (None when it
    # cannot be read, e.g. a PostgreSQL on another machine), and the CPU that anything else on
    # the machine used meanwhile, in cores: throughput moves with that load, CPU per request less.
    server_cpu_ms: float | None = None
    database_cpu_ms: float | None = None
    other_load_cores: float | None = None
    load_generator_cores: float | None = None
    # The load generator's connections held by each server process, a second into the run.
    connections_per_process: list[int] = field(default_factory=list)
    # Of the answers Rungs looked up in its cache of public reads during the run, the share
    # found there (cached queries only).
    hit_rate: float | None = None


@dataclass
class Result:
    query: str
    server: str
    rounds: list[Measurement] = field(default_factory=list)
    sql_statements: int | None = None

    @property
    def median(self) -> Measurement:
        """The round with the median throughput (the only one, in a single-round run)."""
        ranked = sorted(self.rounds, key=lambda m: m.requests_per_second)
        return ranked[(len(ranked) - 1) // 2]


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


# --- Processes ----------------------------------------------------------------------------------


def free_port(ports: range, taken: set[int]) -> int:
    for port in ports:
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise BenchError(f"no free port in {ports.start}-{ports.stop - 1}")


class Server:
    """A server process in its own session, so stopping it stops its workers and nothing else."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.log.parent,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_until_ready(self, ready: Callable[[httpx.Client], bool], timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    raise BenchError(f"{self.name} exited while starting; its log ends:\n{self.log_tail()}")
                try:
                    if ready(client):
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        raise BenchError(
            f"{self.name} did not answer within {timeout:.0f} s; its log ends:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's process group, then SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        # Workers the leader left behind, if any: they keep its group id after it exits.
        if group_cpu(process.pid):
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running(server: Server, ready: Callable[[httpx.Client], bool]) -> Iterator[Server]:
    server.start()
    try:
        server.wait_until_ready(ready)
        yield server
    finally:
        server.stop()


def _base_env() -> dict[str, str]:
    # PYTHONPATH too: a checkout run with its own folder on the path serves its own code.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH")
    return {key: os.environ[key] for key in keep if key in os.environ}


def rungs_server(options: Options, port: int) -> Server:
    env = {
        **_base_env(),
        "DATABASE_URL": options.database_url,
        "REDIS_URL": options.redis_url,
        "SECRET_KEY": "bench",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATA_DIR": str(options.scratch / "rungs-data"),
        "ENVIRONMENT": "production",
        "PUBLIC_ANSWER_CACHE": "false" if options.no_answer_cache else "true",
    }
    argv = [
        str(RUNGS),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(options.workers),
    ]
    return Server("rungs", argv, env, port, options.scratch / "rungs.log")


def rungs_ready(port: int) -> Callable[[httpx.Client], bool]:
    def ready(client: httpx.Client) -> bool:
        return client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200

    return ready


def postgraphile_server(options: Options, port: int, *, workers: int, debug_sql: bool = False) -> Server:
    env = {**_base_env(), "NODE_ENV": "production"}
    if debug_sql:
        env["DEBUG"] = "postgraphile:postgres"
    argv = [
        str(options.postgraphile_dir / "node_modules" / ".bin" / "postgraphile"),
        "--connection",
        options.database_url,
        "--schema",
        "public",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--disable-graphiql",
        "--disable-query-log",
    ]
    if workers > 1:
        argv += ["--cluster-workers", str(workers)]
    name = "postgraphile (counting SQL)" if debug_sql else "postgraphile"
    log = options.scratch / ("postgraphile-sql.log" if debug_sql else "postgraphile.log")
    return Server(name, argv, env, port, log)


def postgraphile_ready(port: int) -> Callable[[httpx.Client], bool]:
    def ready(client: httpx.Client) -> bool:
        response = client.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"})
        return response.status_code == 200 and "errors" not in response.json()

    return ready


def install_postgraphile(directory: Path, version: str) -> None:
    """`npm install` PostGraphile into a cache folder of its own (never into the repository)."""
    package = directory / "node_modules" / "postgraphile" / "package.json"
    if package.exists() and json.loads(package.read_text()).get("version") == version:
        return
    if shutil.which("npm") is None:
        raise BenchError("npm is not installed; PostGraphile comes from the npm registry")
    directory.mkdir(parents=True, exist_ok=True)
    print(f"Installing PostGraphile {version} into {directory} ...", flush=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(directory), "--no-audit", "--no-fund", f"postgraphile@{version}"],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


# --- Database -----------------------------------------------------------------------------------


def prepare_database(options: Options) -> seed.Dataset:
    seed.recreate_database(options.admin_url, options.database)
    env = {
        **_base_env(),
        "DATABASE_URL": options.database_url,
        "SECRET_KEY": "bench",
        "DATA_DIR": str(options.scratch / "rungs-data"),
    }
    migrate = subprocess.run(
        [str(RUNGS), "migrate"], env=env, cwd=options.scratch, capture_output=True, text=True, timeout=120
    )
    if migrate.returncode != 0:
        raise BenchError(f"`rungs migrate` failed:\n{migrate.stdout}{migrate.stderr}")
    data = seed.build(seed.Sizes())
    data.pages = seed.build_pages(data, seed.PageSizes(), now=datetime.now(UTC))
    counts = seed.insert(options.database_url, data)
    print("  seeded " + ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in counts.items()))
    return data


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each one at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _inspect_rungs(options: Options, data: seed.Dataset, queries: Sequence[Query]) -> dict[str, int]:
    """Check the seeded rows through the models, then count the statements each query costs Rungs,
    running the same application in this process."""
    from backend import db
    from backend.app import create_app
    from backend.settings import Settings

    problems = await seed.check(options.database_url, data)
    if problems:
        raise BenchError("the seeded data does not match the models:\n  " + "\n  ".join(problems[:20]))
    settings = Settings.from_environment(
        {
            "DATABASE_URL": options.database_url,
            "REDIS_URL": options.redis_url,
            "SECRET_KEY": "bench",
            "DATA_DIR": str(options.scratch / "rungs-data"),
        }
    )
    counts: dict[str, int] = {}
    await db.open_database(settings.database_url)
    sql_log = logging.getLogger("tortoise.db_client")
    level = sql_log.level
    try:
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for query in queries:
                token, body = query.requests("rungs", data)[0]
                headers = _headers(token)
                # Once to warm up (the first request of a process may set things up), once counted.
                _answer(
                    await client.post("/graphql", json=body, headers=headers), "rungs (in process)", query
                )
                counter = StatementCounter()
                sql_log.addHandler(counter)
                sql_log.setLevel(logging.DEBUG)
                try:
                    response = await client.post("/graphql", json=body, headers=headers)
                finally:
                    sql_log.removeHandler(counter)
                    sql_log.setLevel(level)
                _answer(response, "rungs (in process)", query)
                counts[query.key] = counter.count
    finally:
        await db.close_database()
    return counts


def count_postgraphile_statements(
    options: Options, data: seed.Dataset, queries: Sequence[Query], port: int
) -> dict[str, int]:
    """Run PostGraphile once more with its SQL debug log on and count the statements per query."""
    server = postgraphile_server(options, port, workers=1, debug_sql=True)
    statement = re.compile(rb"^\S+ postgraphile:postgres ", re.MULTILINE)
    counts: dict[str, int] = {}
    with running(server, postgraphile_ready(port)), httpx.Client(timeout=10.0) as client:
        for query in queries:
            if not query.servers(["postgraphile"]):
                continue
            body = query.bodies("postgraphile", data)[0]
            _answer(client.post(server.url, json=body), server.name, query)
            time.sleep(0.3)  # the debug log is written asynchronously
            before = len(statement.findall(server.log.read_bytes()))
            _answer(client.post(server.url, json=body), server.name, query)
            time.sleep(0.3)
            counts[query.key] = len(statement.findall(server.log.read_bytes())) - before
    return counts


# --- CPU accounting -----------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat after the command name: [state, ppid, pgrp, ...] (see proc(5))."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def _cpu_seconds(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def group_cpu(pgid: int) -> dict[int, float]:
    """CPU seconds used so far by each process in a process group."""
    used = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (fields := _stat_fields(entry.name)) and int(fields[2]) == pgid:
            used[int(entry.name)] = _cpu_seconds(fields)
    return used


def connections_per_process(pgid: int, port: int, processes: int) -> list[int]:
    """How many established connections to `port` each process of the group holds, most first.

    Shows how the server spread the load generator's connections over its processes: a
    process that accepted none of them cannot help, however many CPUs are idle.
    """
    established: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    established.add(f"socket:[{parts[9]}]")
    held = []
    for pid in group_cpu(pgid):
        with suppress(OSError):
            links = [os.readlink(entry.path) for entry in os.scandir(f"/proc/{pid}/fd")]
            held.append(sum(link in established for link in links))
    return sorted(held, reverse=True)[:processes]


def database_cpu(database_url: str) -> dict[int, float] | None:
    """CPU seconds used so far by each backend connected to the database, if they run here."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    used = {}
    for (pid,) in rows:
        fields = _stat_fields(pid)
        try:
            postgres = Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
        except OSError:
            postgres = False
        if fields is None or not postgres:
            return None  # the database runs elsewhere (or the backend just left)
        used[pid] = _cpu_seconds(fields)
    return used


def cpu_used(before: dict[int, float] | None, after: dict[int, float] | None) -> float | None:
    """CPU seconds between two snapshots; a process new in `after` counts in full."""
    if before is None or after is None:
        return None
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (all CPUs), from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[1:9])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(options: Options, server: Server, bodies: Path) -> Measurement:
    """One measured wrk run, with the CPU each party used during it."""
    if server.process is None:
        raise BenchError(f"{server.name} is not running")
    pgid = server.process.pid
    group, database = group_cpu(pgid), database_cpu(options.database_url)
    machine, load_generator = machine_busy_seconds(), children_cpu_seconds()
    spread: list[int] = []

    def look_at_connections() -> None:
        spread.extend(connections_per_process(pgid, server.port, options.workers))

    measurement = run_wrk(options, server.url, bodies, options.duration, meanwhile=look_at_connections)
    measurement.connections_per_process = spread
    machine_after, load_generator_after = machine_busy_seconds(), children_cpu_seconds()
    server_seconds = cpu_used(group, group_cpu(pgid))
    database_seconds = cpu_used(database, database_cpu(options.database_url))
    if server.process is None or server.process.poll() is not None:
        raise BenchError(f"{server.name} stopped during the run; its log ends:\n{server.log_tail()}")
    if measurement.requests:
        if server_seconds is not None:
            measurement.server_cpu_ms = round(1000 * server_seconds / measurement.requests, 3)
        if database_seconds is not None:
            measurement.database_cpu_ms = round(1000 * database_seconds / measurement.requests, 3)
    if None not in (machine, machine_after, server_seconds, database_seconds):
        assert machine is not None and machine_after is not None
        assert server_seconds is not None and database_seconds is not None
        others = (machine_after - machine) - server_seconds - database_seconds
        others -= load_generator_after - load_generator
        measurement.other_load_cores = round(max(0.0, others) / measurement.seconds, 2)
    measurement.load_generator_cores = round((load_generator_after - load_generator) / measurement.seconds, 2)
    return measurement


# Other work on the machine, in cores, above which a measurement is flagged as disturbed.
DISTURBED = 0.15


def wait_for_quiet(timeout: float) -> None:
    """Wait (up to `timeout` seconds) until the machine's other work falls below DISTURBED cores.

    Called between measurements, while the servers under test are idle, so whatever is busy
    then is someone else's.
    """
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        before, started = machine_busy_seconds(), time.monotonic()
        time.sleep(1.0)
        after = machine_busy_seconds()
        if before is None or after is None:
            return
        load = (after - before) / (time.monotonic() - started)
        if load < DISTURBED or time.monotonic() >= deadline:
            return
        if not announced:
            print(f"(waiting for other work on the machine, {load:.1f} cores, to end) ", end="", flush=True)
            announced = True


def _disturbance(measurement: Measurement) -> str:
    load = measurement.other_load_cores
    if load is None or load < DISTURBED:
        return ""
    return f" (other work on the machine used {load:.2f} cores meanwhile)"


# --- Checking answers ---------------------------------------------------------------------------


def _answer(response: httpx.Response, server: str, query: Query) -> Json:
    """The `data` of a good answer; anything else stops the run (timing errors would prove nothing)."""
    if response.status_code != 200:
        raise BenchError(
            f"{server} answered {query.key} with HTTP {response.status_code}: {response.text[:500]}"
        )
    body = response.json()
    if body.get("errors") or not body.get("data"):
        raise BenchError(f"{server} answered {query.key} with errors: {json.dumps(body)[:800]}")
    data: Json = body["data"]
    return data


def verify(servers: dict[str, Server], data: seed.Dataset, queries: Sequence[Query]) -> None:
    """Every request body, once to each server: no errors, and the same answer from both."""
    with httpx.Client(timeout=30.0) as client:
        for query in queries:
            answers: dict[str, list[Any]] = {}
            for name in query.servers(list(servers)):
                url = servers[name].url
                answers[name] = [
                    query.answer(
                        name, _answer(client.post(url, json=body, headers=_headers(token)), name, query)
                    )
                    for token, body in query.requests(name, data)
                ]
            if len(answers) == 2 and answers["rungs"] != answers["postgraphile"]:
                first = next(i for i, (a, b) in enumerate(zip(*answers.values(), strict=True)) if a != b)
                raise BenchError(
                    f"the servers disagree on {query.key} (request {first + 1}):\n"
                    f"  rungs:        {answers['rungs'][first]!r:.600}\n"
                    f"  postgraphile: {answers['postgraphile'][first]!r:.600}"
                )
            page = next(iter(answers.values()))[0]
            if query.key == "areas-page" and not any(children for *_, children in page):
                print("  note: no area on the page has children; the children field is not exercised")


# --- Load ---------------------------------------------------------------------------------------


def run_wrk(
    options: Options,
    url: str,
    bodies_file: Path,
    seconds: float,
    meanwhile: Callable[[], None] | None = None,
) -> Measurement:
    """Load `url` for `seconds`; `meanwhile` is called once, a second into the run."""
    argv = [
        "wrk",
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(bodies_file),
    ]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as wrk:
        try:
            if meanwhile is not None:
                time.sleep(min(1.0, seconds / 2))
                meanwhile()
            stdout, stderr = wrk.communicate(timeout=seconds + 60)
        finally:
            if wrk.poll() is None:
                wrk.kill()
    match = re.search(r"^WRK_RESULT (.*)$", stdout, re.MULTILINE)
    if wrk.returncode != 0 or match is None:
        raise BenchError(f"wrk failed ({wrk.returncode}):\n{stdout}{stderr}")
    raw = json.loads(match.group(1))
    seconds_taken = raw["duration_us"] / 1e6
    detail = {
        "bad_responses": raw["bad_responses"],
        "connect": raw["connect_errors"],
        "read": raw["read_errors"],
        "write": raw["write_errors"],
        "timeout": raw["timeouts"],
    }
    return Measurement(
        requests=raw["requests"],
        seconds=round(seconds_taken, 3),
        requests_per_second=round(raw["requests"] / seconds_taken, 1),
        latency_ms={key: round(value / 1000, 2) for key, value in raw["latency_us"].items()},
        errors=sum(detail.values()),
        error_detail=detail,
    )


def bodies_file(options: Options, server: str, query: Query, data: seed.Dataset) -> Path:
    """One request a line: the JSON body, after a bearer token and a tab when it has one."""
    path = options.scratch / f"{server}-{query.key}.jsonl"
    path.write_text(
        "".join(
            (f"{token}\t" if token else "") + json.dumps(body, separators=(",", ":")) + "\n"
            for token, body in query.requests(server, data)
        )
    )
    return path


def warm(server: Server, requests: Sequence[tuple[str | None, Body]]) -> None:
    """Each distinct request once, so that the timed run finds every answer in the cache."""
    seen: set[str] = set()
    with httpx.Client(timeout=30.0) as client:
        for token, body in requests:
            text = json.dumps(body, sort_keys=True)
            if text not in seen:
                seen.add(text)
                response = client.post(server.url, json=body, headers=_headers(token))
                if response.status_code != 200 or "etag" not in response.headers:
                    raise BenchError(f"{server.name} did not cache {text:.200}: {response.status_code}")


def cache_counts(options: Options) -> tuple[int, int]:
    """How many answers Rungs has looked up in its cache, and how many it had to work out."""
    import redis

    from backend.api.public_answers import LOOKED_UP, WORKED_OUT

    with redis.Redis.from_url(options.redis_url) as client:
        looked_up, worked_out = client.mget([LOOKED_UP, WORKED_OUT])
    return int(looked_up or 0), int(worked_out or 0)


def hit_rate(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    looked_up, worked_out = (a - b for a, b in zip(after, before, strict=True))
    return None if looked_up <= 0 else round((looked_up - worked_out) / looked_up, 4)


# --- Report -------------------------------------------------------------------------------------


def environment(options: Options) -> dict[str, Any]:
    def command_version(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        except OSError:
            return "?"
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"

    cpu = "?"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(options.admin_url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "strawberry_graphql": metadata.version("strawberry-graphql"),
        "graphql_core": metadata.version("graphql-core"),
        "tortoise_orm": metadata.version("tortoise-orm"),
        "uvicorn": metadata.version("uvicorn"),
        "node": command_version(["node", "--version"]),
        "postgraphile": options.postgraphile_version,
        "postgresql": row[0] if row else "?",
        "wrk": command_version(["wrk", "-v"]).split(" [")[0],
    }


def _cpu_total(m: Measurement) -> float | None:
    if m.server_cpu_ms is None or m.database_cpu_ms is None:
        return None
    return m.server_cpu_ms + m.database_cpu_ms


def _spread(m: Measurement) -> str:
    return "/".join(map(str, m.connections_per_process)) or "?"


def _ms(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def table(results: Sequence[Result], queries: Sequence[Query]) -> str:
    header = (
        "query", "server", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "SQL/req", "CPU ms/req", "conns",
    )  # fmt: skip
    rows: list[tuple[str, ...]] = []
    for query in queries:
        ours = {r.server: r for r in results if r.query == query.key}
        for i, name in enumerate(s for s in SERVERS if s in ours):
            result = ours[name]
            m = result.median
            rows.append(
                (
                    query.key if i == 0 else "",
                    name,
                    f"{m.requests_per_second:,.1f}" + ("*" if _disturbance(m) else ""),
                    f"{m.latency_ms['p50']:.1f}",
                    f"{m.latency_ms['p95']:.1f}",
                    f"{m.latency_ms['p99']:.1f}",
                    str(m.errors),
                    "-" if result.sql_statements is None else str(result.sql_statements),
                    f"{_ms(m.server_cpu_ms)} + {_ms(m.database_cpu_ms)}",
                    _spread(m),
                )
            )
        if len(ours) == 2:
            rungs, postgraphile = ours["rungs"].median, ours["postgraphile"].median
            ratio = rungs.requests_per_second / postgraphile.requests_per_second
            cpu = [_cpu_total(m) for m in (rungs, postgraphile)]
            cpu_ratio = f"{cpu[0] / cpu[1]:.1f}x" if cpu[0] is not None and cpu[1] else ""
            rows.append(("", "rungs/postgraphile", f"{ratio:.2f}x", "", "", "", "", "", cpu_ratio, ""))
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    left = {0, 1}

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i in left else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# --- The run ------------------------------------------------------------------------------------


def benchmark(options: Options) -> int:
    started = time.monotonic()
    queries = [query for query in QUERIES if query.key in options.queries]
    for tool, why in (("wrk", "`apt-get install wrk`"), ("node", "Node.js runs PostGraphile")):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed ({why})")
    if not RUNGS.exists():
        raise BenchError(f"{RUNGS} is missing; run `make install` first")
    options.scratch.mkdir(parents=True, exist_ok=True)
    if "postgraphile" in options.servers:
        install_postgraphile(options.postgraphile_dir, options.postgraphile_version)

    env = environment(options)
    print(f"Preparing database {options.database} ...", flush=True)
    data = prepare_database(options)
    results = {(q.key, s): Result(query=q.key, server=s) for q in queries for s in q.servers(options.servers)}
    try:
        if options.count_statements:
            print("Counting SQL statements per request ...", flush=True)
            counts: dict[str, dict[str, int]] = {}
            if "rungs" in options.servers:
                counts["rungs"] = asyncio.run(_inspect_rungs(options, data, queries))
            if "postgraphile" in options.servers:
                counts["postgraphile"] = count_postgraphile_statements(
                    options, data, queries, free_port(options.ports, set())
                )
            for result in results.values():
                result.sql_statements = counts.get(result.server, {}).get(result.query)

        taken: set[int] = set()
        servers: dict[str, Server] = {}
        readiness: dict[str, Callable[[httpx.Client], bool]] = {}
        if "rungs" in options.servers:
            port = free_port(options.ports, taken)
            servers["rungs"], readiness["rungs"] = rungs_server(options, port), rungs_ready(port)
        if "postgraphile" in options.servers:
            port = free_port(options.ports, taken)
            servers["postgraphile"] = postgraphile_server(options, port, workers=options.workers)
            readiness["postgraphile"] = postgraphile_ready(port)
        try:
            for name, server in servers.items():
                print(f"Starting {name} on port {server.port} ...", flush=True)
                server.start()
                server.wait_until_ready(readiness[name])
            print("Checking that both servers answer every request, and alike ...", flush=True)
            verify(servers, data, queries)
            for round_number in range(1, options.rounds + 1):
                for i, query in enumerate(queries):
                    # Alternate which server goes first, so neither always follows the other.
                    order = list(servers) if (i + round_number) % 2 else list(reversed(servers))
                    for name in query.servers(order):
                        server = servers[name]
                        bodies = bodies_file(options, name, query, data)
                        label = f"[round {round_number}/{options.rounds}] " if options.rounds > 1 else ""
                        print(f"  {label}{query.key} on {name}: ", end="", flush=True)
                        wait_for_quiet(options.quiet_wait)
                        cached = query.cached and name == "rungs"
                        if cached:
                            warm(server, query.requests(name, data))
                        if options.warmup > 0:
                            run_wrk(options, server.url, bodies, options.warmup)
                        before = cache_counts(options) if cached else None
                        measurement = measure(options, server, bodies)
                        if before is not None:
                            measurement.hit_rate = hit_rate(before, cache_counts(options))
                        results[(query.key, name)].rounds.append(measurement)
                        print(
                            f"{measurement.requests_per_second:,.1f} req/s, "
                            f"p99 {measurement.latency_ms['p99']:.1f} ms, {measurement.errors} errors, "
                            f"CPU/request {_ms(measurement.server_cpu_ms)} ms server, "
                            f"{_ms(measurement.database_cpu_ms)} ms database, "
                            f"connections per process {_spread(measurement)}"
                            + (
                                ""
                                if measurement.hit_rate is None
                                else f", hit rate {measurement.hit_rate:.4f}"
                            )
                            + _disturbance(measurement),
                            flush=True,
                        )
        finally:
            for server in servers.values():
                server.stop()
    finally:
        if not options.keep_database:
            seed.drop_database(options.admin_url, options.database)

    elapsed = time.monotonic() - started
    print()
    print(
        f"GraphQL read throughput, {env['date']}, {env['cpus']} CPUs ({env['cpu']}); "
        f"{options.workers} process{'es' if options.workers > 1 else ''} per server; "
        f"wrk {options.connections} connections, "
        f"{options.threads} thread(s), {options.duration:g} s after {options.warmup:g} s warm-up"
        + (f", median of {options.rounds} rounds" if options.rounds > 1 else "")
    )
    print(table(list(results.values()), queries))
    for query in queries:
        print(f"{query.key}: {query.title}")
    hits = [f"{r.query} {r.median.hit_rate:.4f}" for r in results.values() if r.median.hit_rate is not None]
    if hits:
        print("hit rate of Rungs' cache of public reads during the measured runs: " + ", ".join(hits))
    print("CPU ms/req: CPU time per request of the server's processes + of its PostgreSQL backends.")
    print("conns: how the server's processes shared the load generator's connections.")
    if any(_disturbance(r.median) for r in results.values()):
        print(f"*: other work on the machine used more than {DISTURBED} cores during this measurement.")
    print(f"\n(whole run {elapsed:.0f} s)")
    if options.json_path is not None:
        report = {
            "environment": env,
            "settings": {
                "database": options.database,
                "workers": options.workers,
                "connections": options.connections,
                "threads": options.threads,
                "duration_s": options.duration,
                "warmup_s": options.warmup,
                "rounds": options.rounds,
                "rows": {
                    "areas": len(data.areas),
                    "organisations": len(data.organisations),
                    "users": len(data.users),
                    "routing_rules": len(data.routing_rules),
                    **({t: len(rows) for t, rows in data.pages.tables()} if data.pages else {}),
                },
            },
            "queries": {
                q.key: {"title": q.title, **{s: q.bodies(s, data)[0] for s in q.servers(SERVERS)}}
                for q in queries
            },
            "results": [
                {
                    "query": r.query,
                    "server": r.server,
                    "sql_statements": r.sql_statements,
                    "median": asdict(r.median),
                    "rounds": [asdict(m) for m in r.rounds],
                }
                for r in results.values()
            ],
            "elapsed_s": round(elapsed, 1),
        }
        options.json_path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"Results written to {options.json_path}")
    failed = sum(r.median.errors for r in results.values())
    return 1 if failed else 0


def _port_range(value: str) -> range:
    low, _, high = value.partition("-")
    try:
        ports = range(int(low), int(high or low) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port range: {value!r}") from None
    if not ports or ports.start < 1 or ports.stop > 65536:
        raise argparse.ArgumentTypeError(f"not a port range: {value!r}")
    return ports


def _names(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)} (comma-separated)")
        return names

    return parse


def parse_options(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        description=(
            "Measure GraphQL read throughput of Rungs against PostGraphile on the same PostgreSQL "
            "database and data, and print requests/s, latency percentiles and errors per server "
            "and per query. The database is dropped and re-created."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--database", default="rungs_bench", help="database to (re)create and fill")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="Redis for Rungs")
    parser.add_argument("--workers", type=int, default=2, help="processes per server (both servers)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per query and server")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load before each")
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything; report the median round")
    parser.add_argument(
        "--queries", type=_names(QUERY_KEYS), default=",".join(QUERY_KEYS), help=f"of {', '.join(QUERY_KEYS)}"
    )
    parser.add_argument(
        "--servers", type=_names(SERVERS), default=",".join(SERVERS), help=f"of {', '.join(SERVERS)}"
    )
    parser.add_argument("--ports", type=_port_range, default="8901-8999", help="ports the servers may use")
    parser.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "rungs-bench",
        help="folder for logs and request files",
    )
    parser.add_argument(
        "--postgraphile-dir", type=Path, default=DEFAULT_POSTGRAPHILE_DIR, help="npm cache folder"
    )
    parser.add_argument("--postgraphile-version", default=POSTGRAPHILE_VERSION)
    parser.add_argument("--json", type=Path, dest="json_path", help="also write the results here as JSON")
    parser.add_argument("--keep-database", action="store_true", help="keep the database after the run")
    parser.add_argument(
        "--no-statement-count",
        dest="count_statements",
        action="store_false",
        help="do not count SQL statements per request (counted: %(default)s)",
    )
    parser.add_argument(
        "--no-answer-cache",
        action="store_true",
        help="run Rungs with its cache of public reads off (PUBLIC_ANSWER_CACHE=false): the "
        "-persisted queries then measure persisted documents alone; the -cached ones cannot run",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help=f"before each measurement, wait up to this many seconds for other work (over {DISTURBED} "
        "cores) on the machine to end",
    )
    args = parser.parse_args(argv)
    for name in ("workers", "connections", "threads", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.duration < 1 or args.warmup < 0:
        parser.error("--duration must be at least 1 and --warmup not negative")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    if args.no_answer_cache and any(key.endswith("-cached") for key in args.queries):
        parser.error("--no-answer-cache leaves nothing for the -cached queries to measure")
    return Options(**vars(args))


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
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
