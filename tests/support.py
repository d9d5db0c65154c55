"""Test helpers: send the documents in graphql/operations/, make people, record mail."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from backend.api.pagination import paginate_listed
from backend.clock import ManualClock
from backend.db import Listed
from backend.mail import Letter
from backend.models import User
from backend.services import accounts
from backend.services.actors import Actor

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations"
PASSWORD = "correct horse battery staple"


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text()


class GraphQL:
    """Sends operations as a browser on the platform's own page would."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def raw(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = dict(headers or {})
        if as_ is not None:
            all_headers["Authorization"] = f"Bearer {as_}"
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def __call__(self, name: str, *, as_: str | None = None, **variables: Any) -> dict[str, Any]:
        """Runs a named operation; fails the test on any top-level error."""
        body = await self.raw(operation(name), variables, as_=as_)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def payload(data: dict[str, Any]) -> dict[str, Any]:
    """The single top-level field of a mutation's result."""
    (value,) = data.values()
    assert isinstance(value, dict)
    return value


def errors_of(data: dict[str, Any]) -> list[tuple[str | None, str, str]]:
    """Every UserError a failed mutation returned, as (field, code, message), in order."""
    result = payload(data)
    assert all(v is None for k, v in result.items() if k != "errors"), result
    return [(error["field"], error["code"], error["message"]) for error in result["errors"]]


def error_of(data: dict[str, Any]) -> dict[str, Any]:
    """The one UserError a failed mutation returned (its object must be null)."""
    result = payload(data)
    objects = [v for k, v in result.items() if k != "errors"]
    assert all(v is None for v in objects), result
    assert len(result["errors"]) == 1, result
    error: dict[str, Any] = result["errors"][0]
    return error


@dataclass
class Person:
    user: User
    token: str


class People:
    """Makes accounts straight through the service layer, with a bearer token each."""

    def __init__(self, clock: ManualClock, client: httpx.AsyncClient) -> None:
        self.clock = clock
        self.client = client
        self._count = 0

    async def make(self, name: str | None = None, *, admin: bool = False, email: str | None = None) -> Person:
        self._count += 1
        name = name or f"Person {self._count}"
        address = email or f"{re.sub(r'[^a-z0-9]+', '.', name.lower()).strip('.')}@example.org"
        if admin:
            user = await accounts.create_admin(
                email=address, password=PASSWORD, display_name=name, now=self.clock.now()
            )
        else:
            user = await accounts.create_confirmed_account(
                email=address, password=PASSWORD, display_name=name, now=self.clock.now()
            )
        token = await accounts.create_api_token(Actor(user=user), label="tests", now=self.clock.now())
        return Person(user=user, token=token.secret)


@dataclass
class RecordingMailer:
    """The one fake: the mail server's side of the wire."""

    letters: list[Letter] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def send(self, letter: Letter) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.letters.append(letter)

    def to(self, address: str) -> list[Letter]:
        return [letter for letter in self.letters if letter.to == address]


class QueryCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each one at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []
        self._logger = logging.getLogger("tortoise.db_client")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())

    def __enter__(self) -> QueryCounter:
        self._logger.addHandler(self)
        self._logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)

    @property
    def count(self) -> int:
        return len(self.statements)


async def every_page(listed: Listed[Any], size: int) -> tuple[list[int], int]:
    """The ids of every row of a listing, read a page of `size` at a time from each cursor in
    turn, and its count."""
    found: list[int] = []
    after = None
    while True:
        page = await paginate_listed(listed, first=size, after=after)
        found += [row.id for row in page.rows]
        if not page.has_next_page:
            return found, await listed.count()
        after = page.cursors[-1]
