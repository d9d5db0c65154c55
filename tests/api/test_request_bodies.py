"""Request bodies: bounded before they are read, and anything but a GraphQL request object
refused with a 400 that says what was wrong (never a 500 or a dropped connection)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from backend.settings import DEFAULT_MAX_REQUEST_BYTES

pytestmark = pytest.mark.usefixtures("clean_db")

CHUNK = 64 * 1024
HUNDRED_MEGABYTES = 100 * 1024 * 1024


class Body:
    """A 100 MB request body made on demand, counting how much of it the server asked for."""

    def __init__(self) -> None:
        self.chunks_read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(HUNDRED_MEGABYTES // CHUNK):
            self.chunks_read += 1
            yield b"a" * CHUNK
        yield b'"}'


async def test_a_body_announced_as_too_large_is_refused_unread(client: httpx.AsyncClient) -> None:
    body = Body()
    response = await client.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "content-length": str(HUNDRED_MEGABYTES + 44)},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == (
        f"The request is too large: at most {DEFAULT_MAX_REQUEST_BYTES:,} bytes are accepted."
    )
    assert body.chunks_read == 0


async def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(client: httpx.AsyncClient) -> None:
    body = Body()
    response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["message"]
    # Read up to the limit and one chunk beyond it, not the 1,600 chunks on offer.
    assert body.chunks_read <= DEFAULT_MAX_REQUEST_BYTES // CHUNK + 1


async def test_the_limit_covers_every_path_not_only_graphql(client: httpx.AsyncClient) -> None:
    response = await client.post("/healthz", content=Body(), headers={"content-length": "104857600"})
    assert response.status_code == 413


async def test_a_large_but_honest_body_is_accepted(client: httpx.AsyncClient) -> None:
    padding = "a" * (DEFAULT_MAX_REQUEST_BYTES - 100)
    response = await client.post(
        "/graphql", json={"query": "{ __typename }", "extensions": {"padding": padding}}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


NOT_A_REQUEST = {
    "a string": (b'"x"', "The request body must be a JSON object with a `query`, not a string."),
    "null": (b"null", "The request body must be a JSON object with a `query`, not null."),
    "a number": (b"5", "The request body must be a JSON object with a `query`, not a number."),
    "a list": (b"[]", "The request body must be a JSON object with a `query`, not a list."),
    "deeply nested lists": (b"[" * 100_000, "The request body is nested too deeply."),
    "invalid JSON": (b"{nope", "The request body is not valid JSON."),
    "text that is not UTF-8": (b'{"query": "\xff"}', "The request body is not valid JSON."),
    "no query": (b"{}", "The request has no `query`."),
    "a query that is not text": (b'{"query": 5}', "`query` must be a string."),
    "variables that are not an object": (
        b'{"query": "{ __typename }", "variables": [1]}',
        "`variables` must be an object.",
    ),
    "an operation name that is not text": (
        b'{"query": "{ __typename }", "operationName": {}}',
        "`operationName` must be a string.",
    ),
    "extensions that are not an object": (
        b'{"query": "{ __typename }", "extensions": "x"}',
        "`extensions` must be an object.",
    ),
}


@pytest.mark.parametrize("body, message", NOT_A_REQUEST.values(), ids=NOT_A_REQUEST.keys())
async def test_a_body_that_is_not_a_graphql_request_is_a_400_naming_the_fault(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message}]}


async def test_a_body_that_is_not_json_by_content_type_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": "{ __typename }"}),
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": "Send the request as JSON, with the header Content-Type: application/json."}]
    }


async def test_null_variables_and_operation_name_are_allowed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }", "variables": None, "operationName": None, "extensions": None},
    )
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_answers_are_json_in_utf8_with_text_unescaped(client: httpx.AsyncClient) -> None:
    """The answer is the same JSON whatever writes it: text beyond ASCII travels as UTF-8."""
    response = await client.post("/graphql", json={"query": '{ problems(orderBy: "café") { totalCount } }'})
    assert response.headers["content-type"] == "application/json"
    message = json.loads(response.content.decode("utf-8"))["errors"][0]["message"]
    assert "é" in message
    assert "é".encode() in response.content


OPERATION_FAULTS = {
    "an operation name the document does not hold": (
        {"query": "query Areas { __typename }", "operationName": "Problems"},
        "Unknown operation named 'Problems'.",
    ),
    "two operations and no name": (
        {"query": "query A { __typename } query B { __typename }"},
        "Must provide operation name if query contains multiple operations.",
    ),
    "a subscription": (
        {"query": "subscription { __typename }"},
        "The subscription operation is not supported by the schema.",
    ),
}


@pytest.mark.parametrize("body, message", OPERATION_FAULTS.values(), ids=OPERATION_FAULTS.keys())
async def test_a_document_without_one_operation_to_run_is_an_error_naming_why(
    client: httpx.AsyncClient, body: dict[str, str], message: str
) -> None:
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["data"] is None
    assert answer["errors"][0]["message"].startswith(message)


async def test_typename_is_answered_on_every_object(client: httpx.AsyncClient) -> None:
    """Answered by the executor without a resolver: the same names graphql-core gives."""
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename t: __typename areas(first: 1) { __typename pageInfo { __typename } } }"},
    )
    assert response.json() == {
        "data": {
            "__typename": "Query",
            "t": "Query",
            "areas": {"__typename": "AreaConnection", "pageInfo": {"__typename": "PageInfo"}},
        }
    }
