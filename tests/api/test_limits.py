"""The hardening every GraphQL request goes through (DESIGN.md §6)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tortoise.context import TortoiseContext

from backend.api.cost import priced
from backend.api.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, parsed, validated
from backend.api.view import POST_ONLY
from backend.app import create_app
from backend.clock import ManualClock
from backend.db import tortoise_config
from backend.settings import Settings
from conftest import PUBLIC_URL
from support import GraphQL

pytestmark = pytest.mark.usefixtures("clean_db")


async def post(client: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=headers)


async def test_queries_over_get_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ viewer { email } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {"errors": [{"message": POST_ONLY}]}


async def test_a_foreign_origin_is_refused_and_the_own_origin_accepted(client: httpx.AsyncClient) -> None:
    foreign = await post(client, "{ viewer { email } }", origin="https://evil.example")
    assert foreign.status_code == 403
    assert "https://evil.example" in foreign.json()["errors"][0]["message"]
    own = await post(client, "{ viewer { email } }", origin=PUBLIC_URL)
    assert own.status_code == 200
    assert own.json() == {"data": {"viewer": None}}


def nested_areas(depth: int) -> str:
    """Deep, not wide: nesting by `parent` keeps the document well within the cost limit."""
    query = "id"
    for _ in range(depth - 1):
        query = f"id parent {{ {query} }}"
    return f"{{ areas {{ edges {{ node {{ {query} }} }} }} }}"


async def test_queries_deeper_than_the_limit_are_refused(client: httpx.AsyncClient) -> None:
    allowed = (await post(client, nested_areas(MAX_DEPTH - 3))).json()
    assert "errors" not in allowed
    refused = (await post(client, nested_areas(MAX_DEPTH + 2))).json()
    assert "exceeds maximum operation depth" in refused["errors"][0]["message"]
    assert refused.get("data") is None


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    many = " ".join(f"a{i}: viewer {{ email }}" for i in range(MAX_ALIASES + 1))
    refused = (await post(client, f"{{ {many} }}")).json()
    assert "aliases" in refused["errors"][0]["message"].lower()
    few = " ".join(f"a{i}: viewer {{ email }}" for i in range(3))
    assert "errors" not in (await post(client, f"{{ {few} }}")).json()


async def test_documents_with_too_many_tokens_are_refused(client: httpx.AsyncClient) -> None:
    fields = " ".join("__typename" for _ in range(MAX_TOKENS))
    refused = (await post(client, f"{{ {fields} }}")).json()
    assert "token" in refused["errors"][0]["message"].lower()


@pytest.mark.parametrize("first", [101, 1000, -1])
async def test_page_size_beyond_the_cap_is_an_error_not_a_larger_page(gql: GraphQL, first: int) -> None:
    body = await gql.raw("query ($first: Int) { areas(first: $first) { totalCount } }", {"first": first})
    assert body["data"] is None
    assert "between 0 and 100" in body["errors"][0]["message"]


async def test_field_suggestions_are_off_outside_development(client: httpx.AsyncClient) -> None:
    body = (await post(client, "{ viewr { email } }")).json()
    message = body["errors"][0]["message"]
    assert "Cannot query field 'viewr'" in message
    assert "Did you mean" not in message


@pytest.fixture
async def development_client(settings: Settings, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    development = Settings(**{**settings.__dict__, "environment": "development"})
    app = create_app(development, clock=ManualClock(), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        yield client


async def test_development_suggests_fields_and_serves_graphiql(
    development_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    body = (await post(development_client, "{ viewr { email } }")).json()
    assert "Did you mean 'viewer'" in body["errors"][0]["message"]
    page = await development_client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    production_page = await client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in production_page.text.lower()


@pytest.fixture
async def broken_database_app(settings: Settings, tmp_path: Path) -> AsyncIterator[Starlette]:
    """The app with its database out of reach: nothing listens on port 9, or (on SQLite) the
    database file is a folder. Of the same engine as the tests' database: the models keep
    which columns the engine set up last converts, and SQLite's dates would stay text."""
    unreachable = (
        f"sqlite://{tmp_path}"
        if settings.database_url.startswith("sqlite")
        else "postgres://nobody@127.0.0.1:9/unreachable"
    )
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(unreachable))
        yield create_app(settings, clock=ManualClock(), manage_database=False)


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    broken_database_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    transport = httpx.ASGITransport(app=broken_database_app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        with caplog.at_level(logging.ERROR, logger="backend.api"):
            response = await post(client, "{ areas { totalCount } }")
    request_id = response.headers["x-request-id"]
    (error,) = response.json()["errors"]
    assert error["message"] == f"Unexpected error; quote request {request_id} when reporting it."
    assert "127.0.0.1" not in error["message"] and "Connect" not in error["message"]
    logged = [record for record in caplog.records if record.name == "backend.api"]
    assert logged and logged[0].exc_info is not None
    assert request_id in logged[0].getMessage()


async def test_health_reports_an_unreachable_database_with_503(broken_database_app: Starlette) -> None:
    transport = httpx.ASGITransport(app=broken_database_app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


async def test_health_is_ok_when_database_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_health_reports_an_unreachable_redis_with_503(settings: Settings, clean_db: None) -> None:
    without_redis = Settings(**{**settings.__dict__, "redis_url": "redis://127.0.0.1:9/0"})
    app = create_app(without_redis, clock=ManualClock(), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("unreachable")
    assert "database" not in response.json()


async def test_the_web_interface_is_served_with_a_strict_policy_and_revalidated(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["x-content-type-options"] == "nosniff"
    document = await client.get("/operations/Viewer.graphql")
    assert document.status_code == 200 and "query Viewer" in document.text
    assert document.headers["cache-control"] == "no-cache"
    # The chart library from the npm registry comes from our own origin, under the same policy.
    chart = await client.get("/vendor/uplot/uPlot.esm.js")
    assert chart.status_code == 200 and "export" in chart.text
    assert chart.headers["content-type"].startswith("text/javascript")
    assert chart.headers["content-security-policy"].startswith("default-src 'self'")
    api = await post(client, "{ viewer { email } }")
    assert "content-security-policy" not in api.headers
    assert api.headers["x-frame-options"] == "DENY"


async def test_parsing_validation_and_cost_are_cached_across_requests(client: httpx.AsyncClient) -> None:
    document = "query CachedOnce($first: Int) { areas(first: $first) { edges { node { name } } } }"
    body = {"query": document, "variables": {"first": 5}}
    assert (await client.post("/graphql", json=body)).status_code == 200
    parses, validations, costs = (
        parsed.cache_info().hits,
        validated.cache_info().hits,
        priced.cache_info().hits,
    )
    assert (await client.post("/graphql", json=body)).status_code == 200
    assert parsed.cache_info().hits == parses + 1
    assert validated.cache_info().hits == validations + 1
    assert priced.cache_info().hits == costs + 1
