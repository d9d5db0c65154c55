"""Persisted documents: the documents of graphql/operations/ sent by id, checked once at start,
and, when the setting asks, the only documents anonymous clients may send."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_client

from backend.api.persisted import PersistedDocumentError, PersistedDocuments, document_id
from backend.api.schema import parsed, validated
from backend.api.view import PERSISTED_ONLY
from backend.app import create_app
from backend.clock import ManualClock
from backend.settings import Settings
from conftest import PUBLIC_URL
from neighbourhood import Neighbourhood
from support import OPERATIONS, People, operation

DOCUMENTS = PersistedDocuments.from_directory(OPERATIONS)
AREAS = next(document for document in DOCUMENTS if document.name == "Areas")


async def post(client: httpx.AsyncClient, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post("/graphql", json=body, headers=headers)


def test_each_document_is_known_by_the_hash_of_its_text_and_by_its_operation() -> None:
    assert AREAS.id == "sha256:" + hashlib.sha256(operation("Areas").encode()).hexdigest()
    assert AREAS.is_query
    assert not next(document for document in DOCUMENTS if document.name == "CreateArea").is_query
    assert DOCUMENTS.by_id(AREAS.id) is AREAS
    assert DOCUMENTS.by_text(operation("Areas")) is AREAS
    assert DOCUMENTS.by_text(operation("Areas") + " ") is None
    assert DOCUMENTS.by_id("sha256:" + "0" * 64) is None
    assert sorted(document.name for document in DOCUMENTS) == sorted(
        path.stem for path in OPERATIONS.glob("*.graphql")
    )


async def test_a_document_sent_by_id_is_answered_as_its_text(
    client: httpx.AsyncClient, neighbourhood: Neighbourhood
) -> None:
    variables = {"first": 20}
    by_text = await post(client, {"query": AREAS.text, "variables": variables})
    by_id = await post(client, {"documentId": AREAS.id, "variables": variables, "operationName": "Areas"})
    assert by_id.status_code == by_text.status_code == 200
    assert by_id.json() == by_text.json()
    assert by_id.json()["data"]["areas"]["totalCount"] > 0
    # Both, when they agree, are the same request again.
    both = await post(client, {"query": AREAS.text, "documentId": AREAS.id, "variables": variables})
    assert both.json() == by_text.json()


async def test_a_mutation_is_sent_by_id_too(client: httpx.AsyncClient, people: People) -> None:
    admin = await people.make("Ada Admin", admin=True)
    create_area = DOCUMENTS.by_text(operation("CreateArea"))
    assert create_area is not None
    response = await post(
        client,
        {"documentId": create_area.id, "variables": {"input": {"name": "Northfield", "responseDays": 10}}},
        admin.token,
    )
    assert response.json()["data"]["createArea"]["area"]["name"] == "Northfield"


async def test_an_unknown_id_is_refused_naming_it(client: httpx.AsyncClient) -> None:
    unknown = "sha256:" + "ab" * 32
    response = await post(client, {"documentId": unknown, "variables": {}})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"message": f"No persisted document has the id {unknown}; send its text as `query` instead."}
        ]
    }


async def test_a_query_and_an_id_that_disagree_are_refused(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": operation("Viewer"), "documentId": AREAS.id})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": f"`query` is not the text of the persisted document {AREAS.id}; "
                "send only one of them."
            }
        ]
    }


async def test_an_id_that_is_not_text_is_refused(client: httpx.AsyncClient) -> None:
    response = await post(client, {"documentId": 5})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "`documentId` must be a string."}]}


async def test_the_page_names_each_document_by_its_id_and_inlines_no_text(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    found = re.search(r'<script type="application/json" id="rungs-document-ids">(.*?)</script>', page)
    assert found is not None
    assert json.loads(found.group(1)) == {document.name: document.id for document in DOCUMENTS}
    assert "query Viewer" not in page
    # What /operations/ serves, byte for byte, is what the id is the hash of.
    served = await client.get("/operations/Areas.graphql")
    assert document_id(served.text) == AREAS.id


@pytest.fixture
async def strict_client(
    settings: Settings, clock: ManualClock, clean_db: None, redis: redis_client.Redis
) -> AsyncIterator[httpx.AsyncClient]:
    """The app answering anonymous clients only its persisted documents."""
    app = create_app(
        dataclasses.replace(settings, persisted_documents_only=True), clock=clock, manage_database=False
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        yield client


async def test_persisted_only_refuses_anonymous_documents_of_their_own(
    strict_client: httpx.AsyncClient,
) -> None:
    response = await post(strict_client, {"query": "{ areas(first: 5) { totalCount } }"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": PERSISTED_ONLY}]}
    # A credential that names nobody is no credential.
    made_up = await post(strict_client, {"query": "{ areas(first: 5) { totalCount } }"}, "not-a-token")
    assert made_up.status_code == 400


async def test_persisted_only_answers_anonymous_persisted_documents_by_id_or_text(
    strict_client: httpx.AsyncClient,
) -> None:
    by_id = await post(strict_client, {"documentId": AREAS.id, "variables": {"first": 5}})
    by_text = await post(strict_client, {"query": AREAS.text, "variables": {"first": 5}})
    assert by_id.status_code == by_text.status_code == 200
    assert by_id.json() == by_text.json()
    assert by_id.json()["data"]["areas"]["totalCount"] == 0


async def test_persisted_only_answers_token_holders_any_document(
    strict_client: httpx.AsyncClient, clock: ManualClock
) -> None:
    person = await People(clock, strict_client).make("Tom Token")
    response = await post(strict_client, {"query": "{ viewer { user { displayName } } }"}, person.token)
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": {"user": {"displayName": "Tom Token"}}}}


async def test_without_the_setting_anonymous_clients_send_any_document(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": "{ areas(first: 5) { totalCount } }"})
    assert response.json() == {"data": {"areas": {"totalCount": 0}}}


def operations_folder(tmp_path: Path, *names: str, extra: str | None = None) -> Path:
    folder = tmp_path / "operations"
    folder.mkdir()
    for name in names:
        shutil.copy(OPERATIONS / f"{name}.graphql", folder)
    if extra is not None:
        (folder / "Broken.graphql").write_text(extra)
    return folder


@pytest.mark.parametrize(
    "text, fault",
    [
        ("query Broken { noSuchField }", "does not validate against the schema: Cannot query field"),
        ("query Broken { areas(first: 5) { totalCount }", "is not a GraphQL document"),
        ("query Other { __typename }", "must hold one operation, named Broken"),
    ],
    ids=["invalid", "not GraphQL", "misnamed"],
)
def test_a_document_the_server_cannot_answer_stops_it_starting_naming_the_file(
    settings: Settings, tmp_path: Path, text: str, fault: str
) -> None:
    folder = operations_folder(tmp_path, "Viewer", extra=text)
    with pytest.raises(PersistedDocumentError) as refused:
        create_app(settings, manage_database=False, operations=folder)
    assert str(refused.value).startswith(f"{folder / 'Broken.graphql'} ")
    assert fault in str(refused.value)


async def test_the_first_request_of_a_persisted_document_neither_parses_nor_validates(
    settings: Settings, clean_db: None, redis: redis_client.Redis, tmp_path: Path
) -> None:
    parse = parsed
    parse.cache_clear()
    validated.cache_clear()
    # A folder of its own: the documents of graphql/operations/ were prepared by earlier apps.
    # The cache of public reads off: the second request must reach the parser to be counted.
    uncached = dataclasses.replace(settings, public_answer_cache=False)
    app = create_app(uncached, manage_database=False, operations=operations_folder(tmp_path, "Areas"))
    parses, validations = parse.cache_info().misses, validated.cache_info().misses
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        by_id = await post(client, {"documentId": AREAS.id, "variables": {"first": 5}})
        by_text = await post(client, {"query": AREAS.text, "variables": {"first": 5}})
    assert by_id.json() == by_text.json()
    assert by_id.json()["data"]["areas"]["totalCount"] == 0
    assert (parse.cache_info().misses, validated.cache_info().misses) == (parses, validations)
    assert parse.cache_info().hits >= 2 and validated.cache_info().hits >= 2
