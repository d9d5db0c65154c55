"""Exact cache of anonymous public reads: the same bytes as running the document again.

Only a persisted QUERY document on the allow-list below, sent with no credential at all,
is served from here. Before running it, the versions of every table it reads are fetched in
ONE statement (backend/services/answer_versions.py); the answer is stored under those
versions, so it is never older than its key. Every write bumps its table's version in its
own transaction (database triggers, alembic 0018): a read after a committed write misses.

Some answers also move with the clock (a problem becomes overdue at `responseDueAt`, a task
finishes at `endsAt`, an action is overdue the day after `dueOn`): an answer is stored only
until the first such moment it shows, and variables whose answer moves with the clock in
ways the page does not show (filters on "overdue now", "open now") are not cached at all.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import Response

from backend.api.persisted import PersistedDocument
from backend.auth.sessions import SESSION_COOKIE
from backend.services import answer_versions
from backend.services.working_groups.actions import AREA_TIME_ZONE

logger = logging.getLogger(__name__)

# The package whose code works the answers out.
CODE = Path(__file__).resolve().parent.parent

# Long enough to serve a busy page many times; versions, not time, keep answers right.
ANSWER_SECONDS = 3600
# Redis slower than this is treated as down: the answer is worked out instead. Generous, since
# an overloaded process lags too, and giving up on Redis then would only add to its load.
REDIS_PATIENCE = 1.0
# After Redis fails, it is left alone this long, so a dead Redis costs one wait, not one a request.
REDIS_BACK_OFF = timedelta(seconds=10)
# Bumped when what is stored (or how it is keyed) changes shape.
FORMAT = "1"
# How many answers were looked up and how many had to be worked out, over all processes: the
# hit rate, for operators and the bench (each counted in the same round trip as the lookup).
LOOKED_UP = "rungs:answers:looked-up"
WORKED_OUT = "rungs:answers:worked-out"

Variables = Mapping[str, Any]


def _always(variables: Variables) -> bool:
    return True


def _filter_without(*names: str) -> Callable[[Variables], bool]:
    """Cacheable unless the filter names one of these: filters on what is true *now*, which
    change the whole listing (its total, the next page) as time passes, not just what it shows."""

    def cacheable(variables: Variables) -> bool:
        criteria = variables.get("filter") or {}
        return isinstance(criteria, dict) and all(criteria.get(name) is None for name in names)

    return cacheable


@dataclass(frozen=True)
class PublicRead:
    """A document whose anonymous answer may be cached, and every table that answer reads
    (tests/api/test_public_answers.py runs each with SQL logged and fails on any other)."""

    name: str
    tables: tuple[str, ...]
    cacheable: Callable[[Variables], bool] = _always


# The people, areas and organisations named on every page.
_NAMES = ("users", "areas", "organisations")
PUBLIC_READS = {
    read.name: read
    for read in (
        PublicRead(
            "Problems",
            # The routings: the filters that reproduce the accountability figures read them.
            (*_NAMES, "problems", "problem_supports", "problem_routings"),
            _filter_without("responseOverdue", "answerDue"),
        ),
        PublicRead(
            "Problem",
            (
                *_NAMES,
                "problems",
                "problem_supports",
                "area_roles",
                "problem_responses",
                "response_corrections",
                "working_groups",
                "working_group_problems",
                "problem_updates",
                "comments",
            ),
        ),
        PublicRead(
            "WorkingGroup",
            (
                *_NAMES,
                "problems",
                "working_groups",
                "working_group_problems",
                "group_memberships",
                "actions",
                "action_owners",
            ),
        ),
        PublicRead(
            "VolunteerTasks",
            (*_NAMES, "problems", "working_groups", "actions", "volunteer_tasks", "task_assignments"),
            _filter_without("openOnly"),
        ),
        PublicRead("Areas", ("areas",)),
        PublicRead("Area", (*_NAMES, "area_roles", "routing_rules")),
    )
}
DEPENDENCIES = tuple(sorted({table for read in PUBLIC_READS.values() for table in read.tables}))


@dataclass(frozen=True)
class Asked:
    """A request that may be answered from the cache, and what its answer is keyed by."""

    document: PersistedDocument
    read: PublicRead
    variables: str


@cache
def release_fingerprint(schema: str) -> str:
    """What answers depend on besides the data: the schema and the code that works them out.
    A release that changes either keys its answers afresh, so none is served from before it.
    Hashed once per process, in a few milliseconds."""
    digest = hashlib.sha256(schema.encode())
    for path in sorted(CODE.rglob("*.py")):
        digest.update(path.relative_to(CODE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def anonymous(request: Request) -> bool:
    """No credential at all: not even a stale or mistyped one (that asks for a viewer)."""
    return "authorization" not in request.headers and SESSION_COOKIE not in request.cookies


class PublicAnswers:
    def __init__(self, redis_url: str, *, enabled: bool, fingerprint: str) -> None:
        self.enabled = enabled
        # Answers depend on the schema and its code, not only on the data: a release starts afresh.
        self.fingerprint = fingerprint
        # Connects on first use, so the web process starts even while Redis is down.
        self.redis = Redis.from_url(
            redis_url, socket_connect_timeout=REDIS_PATIENCE, socket_timeout=REDIS_PATIENCE
        )
        self._resting_until: datetime | None = None

    def asked(
        self,
        request: Request,
        document: PersistedDocument | None,
        variables: Variables | None,
        operation_name: str | None,
    ) -> Asked | None:
        """What the request asks, when its answer may come from the cache; None otherwise.
        `document` is the persisted document the request sends, by id or by text."""
        if not self.enabled or document is None or not anonymous(request):
            return None
        read = PUBLIC_READS.get(document.name) if document.is_query else None
        given = variables or {}
        if read is None or operation_name not in (None, document.name) or not read.cacheable(given):
            return None
        return Asked(document, read, json.dumps(given, sort_keys=True, separators=(",", ":")))

    async def answer(
        self, request: Request, asked: Asked, *, now: datetime, run: Callable[[], Awaitable[Response]]
    ) -> Response:
        versions = await answer_versions.current(asked.read.tables)
        key = self._key(asked, versions)
        tag = hashlib.sha256(key.encode()).hexdigest()[:32]
        held = _client_copy(request.headers.get("if-none-match", ""), tag, now)
        if held is not None:
            return Response(status_code=304, headers=_headers(tag, held.until))
        stored = await self._get(key, now)
        if stored is not None:
            until, body = stored
            if until is None or now < until:
                return _json(body, tag, until)
        response = await run()
        body = bytes(response.body)
        kept = _keepable(response, body, now)
        if kept is None:
            await self._redis(now, lambda: self.redis.incr(WORKED_OUT))
            return response
        await self._set(key, body, kept.until, now)
        response.headers.update(_headers(tag, kept.until))
        return response

    async def close(self) -> None:
        await self.redis.aclose()

    def _key(self, asked: Asked, versions: tuple[int, ...]) -> str:
        variables = hashlib.sha256(asked.variables.encode()).hexdigest()
        counted = ".".join(map(str, versions))
        return f"rungs:answer:{FORMAT}:{self.fingerprint}:{asked.document.id}:{variables}:{counted}"

    async def _get(self, key: str, now: datetime) -> tuple[datetime | None, bytes] | None:
        looked_up = await self._redis(
            now, lambda: self.redis.pipeline(transaction=False).get(key).incr(LOOKED_UP).execute()
        )
        stored = looked_up[0] if looked_up else None
        if not isinstance(stored, bytes):
            return None
        until, _, body = stored.partition(b"\n")
        return (datetime.fromisoformat(until.decode()) if until else None), body

    async def _set(self, key: str, body: bytes, until: datetime | None, now: datetime) -> None:
        seconds = ANSWER_SECONDS
        if until is not None:
            seconds = max(1, min(seconds, int((until - now).total_seconds()) + 1))
        value = (until.isoformat() if until else "").encode() + b"\n" + body
        await self._redis(
            now,
            lambda: (
                self.redis.pipeline(transaction=False).set(key, value, ex=seconds).incr(WORKED_OUT).execute()
            ),
        )

    async def _redis(self, now: datetime, command: Callable[[], Awaitable[Any]]) -> Any:
        """A Redis command, or None when Redis is down or slow: the read is then answered
        uncached, never failed. Said once when Redis goes away and once when it is back."""
        if self._resting_until is not None and now < self._resting_until:
            return None
        try:
            async with asyncio.timeout(REDIS_PATIENCE):
                result = await command()
        except Exception as error:  # any failure: the database still has every answer
            if self._resting_until is None:
                logger.warning("public answers uncached: Redis unusable: %s: %s", type(error).__name__, error)
            self._resting_until = now + REDIS_BACK_OFF
            return None
        # A command sent before Redis failed may still come back: only one sent after the rest says
        # Redis is back.
        if self._resting_until is not None and now >= self._resting_until:
            logger.warning("public answers cached again: Redis is back")
            self._resting_until = None
        return result


@dataclass(frozen=True)
class Keepable:
    # The first moment the answer changes by itself; None: it holds until a write.
    until: datetime | None


def _keepable(response: Response, body: bytes, now: datetime) -> Keepable | None:
    """Whether the answer may be stored, and until when; never anything but a plain answer
    without errors, nor one with nothing found (a restricted problem is not found by anonymous
    readers: nothing about it is kept, not even that it was asked for)."""
    if response.status_code != 200 or "set-cookie" in response.headers:
        return None
    answer = json.loads(body)
    data = answer.get("data")
    if "errors" in answer or not isinstance(data, dict) or any(v is None for v in data.values()):
        return None
    return Keepable(min((moment for moment in _moments(data) if moment > now), default=None))


def _moments(value: Any) -> Iterator[datetime]:
    """Every moment in the answer at which a field it shows changes by itself."""
    if isinstance(value, list):
        for item in value:
            yield from _moments(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            if name in ("responseDueAt", "endsAt") and isinstance(item, str):
                yield datetime.fromisoformat(item)  # isResponseOverdue, a task's status
            elif name == "dueOn" and isinstance(item, str):
                # An action is overdue once its day is over where its area is.
                day = datetime.fromisoformat(item).date() + timedelta(days=1)
                yield datetime.combine(day, time.min, tzinfo=AREA_TIME_ZONE)
            else:
                yield from _moments(item)


def _headers(tag: str, until: datetime | None) -> dict[str, str]:
    # Clients may keep the answer, but must ask each time whether it still holds.
    stamp = f".{int(until.timestamp())}" if until is not None else ""
    return {"ETag": f'"{tag}{stamp}"', "Cache-Control": "no-cache"}


def _json(body: bytes, tag: str, until: datetime | None) -> Response:
    return Response(body, media_type="application/json", headers=_headers(tag, until))


def _tags(if_none_match: str) -> Iterator[tuple[str, int | None]]:
    for candidate in if_none_match.split(","):
        tag, _, stamp = candidate.strip().removeprefix("W/").strip('"').partition(".")
        yield tag, int(stamp) if stamp.isdigit() else None


def _client_copy(if_none_match: str, tag: str, now: datetime) -> Keepable | None:
    """The client's copy, when it still holds: the same versions and, for an answer that moves
    with the clock, a moment it named not yet reached (rounded down: never late)."""
    for given, stamp in _tags(if_none_match):
        if given == tag and (stamp is None or now.timestamp() < stamp):
            return Keepable(None if stamp is None else datetime.fromtimestamp(stamp, tz=UTC))
    return None
