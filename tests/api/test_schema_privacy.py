"""Outside development the schema is not handed out: no introspection unless asked for in
the settings, and no error suggests a real name for a guessed one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from backend.app import create_app
from backend.clock import ManualClock
from backend.settings import Settings
from conftest import PUBLIC_URL

pytestmark = pytest.mark.usefixtures("clean_db")

Client = Callable[..., Any]


@pytest.fixture
def client_for(settings: Settings) -> Client:
    """A client of the app in another environment, or with introspection set explicitly."""

    @asynccontextmanager
    async def open_client(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(
            Settings(**{**settings.__dict__, **changes}), clock=ManualClock(), manage_database=False
        )
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
            yield client

    return open_client


async def errors_of(client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> str:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert body.get("data") is None, body
    return " | ".join(error["message"] for error in body["errors"])


INTROSPECTION = {
    "the schema": "{ __schema { types { name } } }",
    "a type": '{ __type(name: "Problem") { fields { name } } }',
}

# Each guessed name, and the real one development suggests for it.
GUESSES = {
    "a field": ("{ viewr { email } }", None, "Did you mean 'viewer'?"),
    "an argument": ("{ problems(frist: 1) { totalCount } }", None, "Did you mean 'first'?"),
    "an enum value": (
        "{ problems(orderBy: NEWST) { totalCount } }",
        None,
        "Did you mean the enum value 'NEWEST'?",
    ),
    "an enum value in a variable": (
        "query ($order: ProblemOrder) { problems(orderBy: $order) { totalCount } }",
        {"order": "NEWST"},
        "Did you mean the enum value 'NEWEST'?",
    ),
    "an input field": ('{ problems(filter: { serch: "x" }) { totalCount } }', None, "Did you mean 'search'?"),
    "an input field in a variable": (
        "query ($filter: ProblemFilter) { problems(filter: $filter) { totalCount } }",
        {"filter": {"serch": "x"}},
        "Did you mean 'search'?",
    ),
    "a type": (
        "query ($filter: ProblemFiltr) { problems(filter: $filter) { totalCount } }",
        None,
        "Did you mean 'ProblemFilter'",
    ),
}


@pytest.mark.parametrize("query", INTROSPECTION.values(), ids=INTROSPECTION.keys())
async def test_introspection_is_refused_outside_development(client: httpx.AsyncClient, query: str) -> None:
    assert "introspection has been disabled" in await errors_of(client, query)


async def test_the_type_name_is_still_there_for_clients_that_ask_it(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("query", INTROSPECTION.values(), ids=INTROSPECTION.keys())
async def test_introspection_works_in_development_and_where_the_settings_allow_it(
    client_for: Client, query: str
) -> None:
    for changes in ({"environment": "development"}, {"graphql_introspection": True}):
        async with client_for(**changes) as client:
            body = (await client.post("/graphql", json={"query": query})).json()
        assert "errors" not in body, (changes, body)


async def test_production_refuses_introspection_unless_the_settings_allow_it(client_for: Client) -> None:
    async with client_for(environment="production") as client:
        assert "introspection has been disabled" in await errors_of(client, INTROSPECTION["the schema"])


@pytest.mark.parametrize("query, variables, suggestion", GUESSES.values(), ids=GUESSES.keys())
async def test_no_error_suggests_a_name_outside_development(
    client: httpx.AsyncClient,
    client_for: Client,
    query: str,
    variables: dict[str, Any] | None,
    suggestion: str,
) -> None:
    assert "Did you mean" not in await errors_of(client, query, variables)
    # Allowing introspection shows the schema, but still suggests nothing.
    async with client_for(environment="production", graphql_introspection=True) as production:
        assert "Did you mean" not in await errors_of(production, query, variables)


@pytest.mark.parametrize("query, variables, suggestion", GUESSES.values(), ids=GUESSES.keys())
async def test_development_suggests_names(
    client_for: Client, query: str, variables: dict[str, Any] | None, suggestion: str
) -> None:
    async with client_for(environment="development") as client:
        assert suggestion in await errors_of(client, query, variables)
