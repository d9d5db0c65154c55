"""The exact cache of anonymous public reads (backend/api/public_answers.py): the same bytes
as working the answer out, never older than the last committed write, never a viewer's."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as redis_client
from action_plan import Plan
from action_plan import build as build_plan
from task_board import make_task, sign_up
from tortoise import Tortoise

from backend import db, ids
from backend.api import public_answers
from backend.api.persisted import PersistedDocuments
from backend.api.public_answers import DEPENDENCIES, LOOKED_UP, PUBLIC_READS, WORKED_OUT
from backend.app import OPERATIONS, create_app
from backend.clock import ManualClock
from backend.models import GroupProblem
from backend.services import answer_versions
from backend.settings import Settings
from conftest import PUBLIC_URL
from neighbourhood import Neighbourhood
from support import GraphQL, People, QueryCounter, operation, payload

DOCUMENTS = PersistedDocuments.from_directory(OPERATIONS)
ON_POSTGRES = db.is_postgres(os.environ.get("DATABASE_URL", ""))

BOARD = {"filter": {"areaId": None, "responseOverdue": None}, "orderBy": "NEWEST", "first": 20, "after": None}


@dataclasses.dataclass
class World:
    plan: Plan
    # A problem with a response, a correction, an update, comments, supports and a group.
    problem_id: str
    restricted_id: str


@pytest.fixture
async def world(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> World:
    n = neighbourhood
    plan = await build_plan(gql, people, n, clock)
    await plan.action()
    task = await make_task(plan)
    await sign_up(plan, task, n.neighbour)
    (problem,) = await db.int_column(GroupProblem.filter(group_id=plan.group.id), "problem_id")
    problem_id = ids.encode("Problem", problem)
    for person, body in ((n.resident, "It was loud again."), (n.neighbour, "And on Sunday.")):
        await gql("CommentOnProblem", as_=person.token, input={"problemId": problem_id, "body": body})
    await gql("SupportProblem", as_=n.neighbour.token, problemId=problem_id)
    await gql(
        "PostProblemUpdate", as_=n.police_member.token, input={"problemId": problem_id, "body": "Patrols."}
    )
    proposal = await n.propose(gql, title="Broken streetlight on Mill Lane")
    answer = {"problemId": proposal["id"], "decision": "ACCEPT", "body": "We will look."}
    response = payload(await gql("RespondToProblem", as_=n.police_member.token, input=answer))
    assert response["errors"] == [], response
    note = {"responseId": response["problem"]["responses"][0]["id"], "body": "Looked: fixed."}
    assert (
        payload(await gql("AddResponseCorrectionNote", as_=n.police_member.token, input=note))["errors"] == []
    )
    restricted = await n.propose(gql, title="Dealing behind number 12", visibility="RESTRICTED")
    return World(plan=plan, problem_id=problem_id, restricted_id=restricted["id"])


def variables_for(world: World) -> dict[str, list[dict[str, Any]]]:
    """Each cached document with the variables the web interface sends it."""
    n = world.plan.n
    return {
        "Problems": [
            BOARD,
            {"filter": {"areaId": n.area_id(n.district)}, "first": 5},
            {},
            {"filter": {"referred": False, "answeredOnTime": False, "proposedSince": "2025-01-01"}},
            {
                "filter": {
                    "ownerId": n.organisation_id(n.police),
                    "search": "mill lane",
                    "statuses": ["PROPOSED", "ACCEPTED"],
                    "categories": ["ANTISOCIAL_BEHAVIOUR"],
                },
                "orderBy": "MOST_SUPPORTED",
            },
        ],
        "Problem": [{"id": world.problem_id}, {"id": world.problem_id, "commentsAfter": None}],
        "WorkingGroup": [{"id": world.plan.group_id}],
        "VolunteerTasks": [
            {"filter": {"startsAfter": None}, "first": 20},
            {},
            {
                "filter": {
                    "areaId": n.area_id(n.district),
                    "groupId": world.plan.group_id,
                    "skills": ["litter picking"],
                    "remote": False,
                }
            },
        ],
        "Areas": [{"first": 50}],
        "Area": [{"id": n.area_id(n.ward)}, {"id": n.area_id(n.district)}],
    }


async def anonymous(
    client: httpx.AsyncClient, name: str, variables: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": operation(name), "variables": variables}, headers=headers
    )


def stored(redis: redis_client.Redis) -> list[bytes]:
    return [redis.get(key) or b"" for key in redis.keys("rungs:answer:*")]


def tables_named(statements: list[str]) -> set[str]:
    every = {model._meta.db_table for model in Tortoise.apps["models"].values()}
    return {name for statement in statements for name in re.findall(r'"(\w+)"', statement)} & every


async def test_every_cached_document_reads_only_the_tables_it_declares(
    client: httpx.AsyncClient, world: World, redis: redis_client.Redis
) -> None:
    for name, variable_sets in variables_for(world).items():
        for variables in variable_sets:
            redis.flushdb()
            with QueryCounter() as queries:
                response = await anonymous(client, name, variables)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
            assert "etag" in response.headers, (name, variables)
            read = tables_named(queries.statements) - {"answer_versions"}
            undeclared = read - set(PUBLIC_READS[name].tables)
            assert not undeclared, f"{name} reads {sorted(undeclared)}: declare them (and trigger them)"


async def test_every_table_a_cached_answer_reads_bumps_its_version_in_the_database(world: World) -> None:
    connection = Tortoise.get_connection("default")
    if ON_POSTGRES:
        rows = await connection.execute_query_dict(
            "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
            "WHERE trigger_name = 'answer_version'"
        )
        found = {(row["event_object_table"], row["event_manipulation"]) for row in rows}
    else:
        rows = await connection.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        found = {
            (match[1], match[2].upper())
            for row in rows
            if (match := re.fullmatch(r"answer_version_(\w+)_(insert|update|delete)", row["name"]))
        }
    missing = {(t, e) for t in DEPENDENCIES for e in ("INSERT", "UPDATE", "DELETE")} - found
    assert not missing, f"tables a cached answer reads with no trigger to bump their version: {missing}"
    for table in DEPENDENCIES:
        (database, before) = await answer_versions.current((table,))
        await connection.execute_query(
            f'UPDATE "{table}" SET id = id WHERE id = (SELECT min(id) FROM "{table}")'
        )
        assert await answer_versions.current((table,)) == (database, before + 1), table


async def test_a_hit_is_the_same_bytes_for_one_sql_statement(
    client: httpx.AsyncClient, world: World, redis: redis_client.Redis
) -> None:
    for name, variable_sets in variables_for(world).items():
        variables = variable_sets[0]
        first = await anonymous(client, name, variables)
        with QueryCounter() as queries:
            again = await anonymous(client, name, variables)
        assert again.content == first.content, name
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["cache-control"] == first.headers["cache-control"] == "no-cache"
        assert again.headers["content-type"] == first.headers["content-type"]
        assert queries.count == 1, (name, queries.statements)
        by_id = await client.post(
            "/graphql",
            json={"documentId": DOCUMENTS.by_text(operation(name)).id, "variables": variables},  # type: ignore[union-attr]
        )
        assert by_id.content == first.content
    assert len(stored(redis)) == len(variables_for(world))
    # Each document: asked three times (the text, again, by id), worked out once.
    assert int(redis.get(LOOKED_UP) or 0) == 3 * len(variables_for(world))
    assert int(redis.get(WORKED_OUT) or 0) == len(variables_for(world))


async def test_the_cached_answer_is_the_answer_worked_out_afresh(
    settings: Settings, client: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    uncached = create_app(
        dataclasses.replace(settings, public_answer_cache=False), clock=clock, manage_database=False
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=uncached), base_url=PUBLIC_URL) as plain:
        for name, variable_sets in variables_for(world).items():
            for variables in variable_sets:
                await anonymous(client, name, variables)
                afresh = await anonymous(plain, name, variables)
                assert "etag" not in afresh.headers
                assert (await anonymous(client, name, variables)).content == afresh.content, name


async def test_a_committed_write_through_the_api_changes_the_next_anonymous_read(
    client: httpx.AsyncClient, gql: GraphQL, world: World
) -> None:
    n = world.plan.n
    problem = {"id": world.problem_id}
    before = (await anonymous(client, "Problem", problem)).json()["data"]["problem"]
    board = (await anonymous(client, "Problems", BOARD)).json()["data"]["problems"]["edges"]
    await gql("SupportProblem", as_=n.council_member.token, problemId=world.problem_id)
    await gql(
        "CommentOnProblem",
        as_=n.council_member.token,
        input={"problemId": world.problem_id, "body": "Seen it."},
    )
    after = (await anonymous(client, "Problem", problem)).json()["data"]["problem"]
    assert after["supportCount"] == before["supportCount"] + 1
    assert after["commentCount"] == before["commentCount"] + 1
    assert after["comments"]["edges"][-1]["node"]["body"] == "Seen it."
    counts = {e["node"]["id"]: e["node"]["supportCount"] for e in board}
    again = (await anonymous(client, "Problems", BOARD)).json()["data"]["problems"]["edges"]
    assert {e["node"]["id"]: e["node"]["supportCount"] for e in again}[world.problem_id] == counts[
        world.problem_id
    ] + 1

    await anonymous(client, "Areas", {"first": 50})
    renamed = {"areaId": n.area_id(n.ward), "name": "Mill Lane and Canal Side"}
    assert payload(await gql("UpdateArea", as_=n.admin.token, input=renamed))["errors"] == []
    areas = (await anonymous(client, "Areas", {"first": 50})).json()["data"]["areas"]["edges"]
    assert "Mill Lane and Canal Side" in {edge["node"]["name"] for edge in areas}
    named = (await anonymous(client, "Problems", BOARD)).json()["data"]["problems"]["edges"]
    assert {e["node"]["area"]["name"] for e in named} >= {"Mill Lane and Canal Side"}


async def test_a_signed_in_read_is_never_stored_nor_served_from_the_cache(
    client: httpx.AsyncClient, world: World, redis: redis_client.Redis
) -> None:
    neighbour = world.plan.n.neighbour
    problem = {"id": world.problem_id}
    cached = await anonymous(client, "Problem", problem)
    assert cached.json()["data"]["problem"]["viewerSupports"] is False
    keys = sorted(redis.keys("*"))
    signed_in = await anonymous(client, "Problem", problem, authorization=f"Bearer {neighbour.token}")
    assert signed_in.json()["data"]["problem"]["viewerSupports"] is True
    assert "etag" not in signed_in.headers
    with_cookie = await client.post(
        "/graphql",
        json={"query": operation("Problem"), "variables": problem},
        headers={"cookie": "rungs_session=not-a-session"},
    )
    assert "etag" not in with_cookie.headers
    # A credential that names nobody still asks for a viewer: worked out, not cached.
    bad_token = await anonymous(client, "Problem", problem, authorization="Bearer nonsense")
    assert "etag" not in bad_token.headers
    assert sorted(redis.keys("*")) == keys


async def test_answers_with_errors_and_mutations_and_other_documents_are_not_stored(
    client: httpx.AsyncClient, gql: GraphQL, world: World, redis: redis_client.Redis
) -> None:
    not_found = await anonymous(client, "Problem", {"id": "not an id"})
    assert not_found.json() == {"data": {"problem": None}} and "etag" not in not_found.headers
    missing_variable = await anonymous(client, "Area", {})
    assert "errors" in missing_variable.json() and "etag" not in missing_variable.headers
    viewer = await anonymous(client, "Viewer", {})
    assert "etag" not in viewer.headers
    ad_hoc = await client.post("/graphql", json={"query": "query { areas(first: 5) { totalCount } }"})
    assert "errors" not in ad_hoc.json() and "etag" not in ad_hoc.headers
    overdue = await anonymous(client, "Problems", {"filter": {"responseOverdue": True}})
    assert "errors" not in overdue.json() and "etag" not in overdue.headers
    mutation = await anonymous(client, "SupportProblem", {"problemId": world.problem_id})
    assert "etag" not in mutation.headers
    assert stored(redis) == []


async def test_nothing_about_a_restricted_problem_is_stored(
    client: httpx.AsyncClient, world: World, redis: redis_client.Redis
) -> None:
    (problem,) = await Tortoise.get_connection("default").execute_query_dict(
        "SELECT title FROM problems WHERE visibility = 'RESTRICTED'"
    )
    unseen = await anonymous(client, "Problem", {"id": world.restricted_id})
    assert unseen.json()["data"]["problem"] is None and "etag" not in unseen.headers
    for name, variable_sets in variables_for(world).items():
        for variables in variable_sets:
            await anonymous(client, name, variables)
    answers = stored(redis)
    assert len(answers) == sum(len(v) for v in variables_for(world).values())
    for answer in answers:
        assert problem["title"].encode() not in answer
        assert world.restricted_id.encode() not in answer


async def test_a_matching_etag_gets_304_after_one_statement_until_a_write(
    client: httpx.AsyncClient, gql: GraphQL, world: World, redis: redis_client.Redis
) -> None:
    first = await anonymous(client, "Problem", {"id": world.problem_id})
    tag = first.headers["etag"]
    redis.flushdb()  # the 304 needs no stored answer: the versions alone say it holds
    with QueryCounter() as queries:
        unchanged = await anonymous(client, "Problem", {"id": world.problem_id}, **{"if-none-match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == tag and unchanged.headers["cache-control"] == "no-cache"
    assert queries.count == 1
    assert stored(redis) == []
    other = await anonymous(
        client, "Problem", {"id": world.problem_id, "commentsAfter": None}, **{"if-none-match": tag}
    )
    assert other.status_code == 200
    n = world.plan.n
    await gql(
        "CommentOnProblem", as_=n.resident.token, input={"problemId": world.problem_id, "body": "Later."}
    )
    changed = await anonymous(client, "Problem", {"id": world.problem_id}, **{"if-none-match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert "Later." in changed.text


async def test_an_answer_that_moves_with_the_clock_is_kept_only_until_it_moves(
    client: httpx.AsyncClient, gql: GraphQL, world: World, clock: ManualClock
) -> None:
    proposal = await world.plan.n.propose(gql, title="Fly-tipping by the canal")
    due = (await anonymous(client, "Problem", {"id": proposal["id"]})).json()["data"]["problem"]
    assert due["isResponseOverdue"] is False
    cached = await anonymous(client, "Problem", {"id": proposal["id"]})
    assert cached.json()["data"]["problem"]["isResponseOverdue"] is False
    tag = cached.headers["etag"]
    clock.advance(days=30)
    later = await anonymous(client, "Problem", {"id": proposal["id"]}, **{"if-none-match": tag})
    assert later.status_code == 200
    assert later.json()["data"]["problem"]["isResponseOverdue"] is True
    board = (await anonymous(client, "Problems", BOARD)).json()["data"]["problems"]["edges"]
    assert {e["node"]["id"]: e["node"]["isResponseOverdue"] for e in board}[proposal["id"]] is True


async def test_reads_are_answered_while_redis_is_unreachable(
    settings: Settings, world: World, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    without_redis = dataclasses.replace(settings, redis_url="redis://127.0.0.1:9/0")
    app = create_app(without_redis, clock=clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        answers = [await anonymous(client, "Problem", {"id": world.problem_id}) for _ in range(3)]
    assert all(a.status_code == 200 and a.json()["data"]["problem"]["id"] for a in answers)
    assert answers[0].content == answers[2].content
    assert len([r for r in caplog.records if "Redis unusable" in r.getMessage()]) == 1


async def test_the_cache_can_be_turned_off(
    settings: Settings, world: World, clock: ManualClock, redis: redis_client.Redis
) -> None:
    off = create_app(
        dataclasses.replace(settings, public_answer_cache=False), clock=clock, manage_database=False
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=off), base_url=PUBLIC_URL) as client:
        answer = await anonymous(client, "Areas", {"first": 50})
    assert answer.status_code == 200 and "etag" not in answer.headers
    assert stored(redis) == []


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite lets one writer in at a time: no reader sees it open")
async def test_a_write_not_yet_committed_leaves_the_version_readers_see(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    import psycopg

    ward = world.plan.n.ward
    before = await answer_versions.current(("areas",))
    cached = await anonymous(client, "Area", {"id": world.plan.n.area_id(ward)})
    url = db.sqlalchemy_url(settings.database_url).replace("+psycopg", "")
    with psycopg.connect(url) as writer:
        writer.execute("UPDATE areas SET name = 'Renamed, not yet committed' WHERE id = %s", (ward.id,))
        assert await answer_versions.current(("areas",)) == before
        during = await anonymous(client, "Area", {"id": world.plan.n.area_id(ward)})
        assert during.content == cached.content
        writer.commit()
    assert await answer_versions.current(("areas",)) > before
    after = await anonymous(client, "Area", {"id": world.plan.n.area_id(ward)})
    assert after.json()["data"]["area"]["name"] == "Renamed, not yet committed"


def test_a_release_that_changes_the_code_or_the_schema_keys_its_answers_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = tmp_path / "backend"
    (code / "services").mkdir(parents=True)
    rule = code / "services" / "problems.py"
    rule.write_text("OVERDUE_AFTER_DAYS = 20\n")
    monkeypatch.setattr(public_answers, "CODE", code)
    fingerprint = public_answers.release_fingerprint.__wrapped__
    before = fingerprint("type Query { a: Int }")

    assert fingerprint("type Query { a: Int }") == before
    assert fingerprint("type Query { b: Int }") != before
    rule.write_text("OVERDUE_AFTER_DAYS = 28\n")
    assert fingerprint("type Query { a: Int }") != before
