"""Erasure leaves no trace of the person: not in any table, not in SQLite's files.

The person takes part in every way that writes their name or address somewhere: they
propose (with an exact location), comment, answer and post news for their organisation
(so others are told of it by name), ask for a sign-in link and fail to sign in. After
erasure every row of every table is read back, and on SQLite the database and its
write-ahead log are read byte by byte.
"""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise

from backend import ids
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.db import tortoise_config
from backend.models import Notification, Problem
from backend.models.enums import OrganisationRole
from backend.services import notifications, organisations
from backend.services.actors import Actor
from backend.settings import Settings
from neighbourhood import Neighbourhood
from support import PASSWORD, GraphQL, People, RecordingMailer, error_of, payload

NAME = "Zinnia Quillfeather"
ADDRESS = "zinnia.quillfeather@example.org"
# Any of these, in any case, would give the person away.
TRACES = ("zinnia", "quillfeather")
LATITUDE, LONGITUDE = 53.480719, -2.242631


async def every_row_as_text() -> str:
    """The whole database, table by table, as one lower-cased text."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        listing = "SELECT name AS table_name FROM sqlite_master WHERE type = 'table'"
    else:
        listing = "SELECT tablename AS table_name FROM pg_tables WHERE schemaname = 'public'"
    tables = [row["table_name"] for row in await connection.execute_query_dict(listing)]
    assert "notifications" in tables and "login_attempts" in tables
    rows = [
        repr(dict(row))
        for table in tables
        for row in await connection.execute_query_dict(f'SELECT * FROM "{table}"')
    ]
    return "\n".join(rows).lower()


def sqlite_files(settings: Settings) -> list[Path]:
    if not settings.database_url.startswith("sqlite://"):
        return []
    database = Path(settings.database_url[len("sqlite://") :])
    return [path for path in (database, database.with_name(database.name + "-wal")) if path.exists()]


async def test_after_erasure_no_table_and_no_file_holds_the_name_or_the_address(
    gql: GraphQL,
    people: People,
    neighbourhood: Neighbourhood,
    clock: ManualClock,
    mailer: RecordingMailer,
    sealer: Sealer,
    settings: Settings,
) -> None:
    n = neighbourhood
    zinnia = await people.make(NAME, email=ADDRESS)
    await organisations.add_member(
        Actor(user=n.admin.user),
        organisation_id=n.police.id,
        email=ADDRESS,
        role=OrganisationRole.MEMBER,
        now=clock.now(),
    )
    own = await n.propose(
        gql, zinnia, title="Vans parked across the dropped kerb", latitude=LATITUDE, longitude=LONGITUDE
    )
    ritas = await n.propose(gql, title="Fireworks in the park after dark")
    await gql("CommentOnProblem", as_=zinnia.token, input={"problemId": ritas["id"], "body": "Seen it too."})
    answered = payload(
        await gql(
            "RespondToProblem",
            as_=zinnia.token,
            input={"problemId": ritas["id"], "decision": "ACCEPT", "body": "We will patrol."},
        )
    )
    assert answered["errors"] == []
    updated = payload(
        await gql(
            "PostProblemUpdate",
            as_=zinnia.token,
            input={"problemId": ritas["id"], "body": "Patrols start on Friday."},
        )
    )
    assert updated["errors"] == []
    await gql("RequestMagicLink", input={"email": ADDRESS})
    wrong = await gql("LogIn", input={"email": ADDRESS.upper(), "password": "not the password"})
    assert error_of(wrong)["code"] == "UNAUTHENTICATED"
    await notifications.deliver_due(mailer, sealer, clock=clock)
    before = await every_row_as_text()
    assert all(trace in before for trace in TRACES)  # the search finds them while they are there

    erased = await gql("EraseAccount", as_=zinnia.token, input={"password": PASSWORD})

    assert payload(erased)["errors"] == []
    dump = await every_row_as_text()
    assert [trace for trace in TRACES if trace in dump] == []
    for path in sqlite_files(settings):
        content = path.read_bytes().lower()
        assert [trace for trace in TRACES if trace.encode() in content] == [], path.name
    # What she contributed stays, as a former participant's, and points no closer than the map.
    assert "vans parked across the dropped kerb" in dump and "seen it too." in dump
    told = await Notification.filter(recipient_id=n.resident.user.id).order_by("id")
    assert [row.body.split(" responded", 1)[0] for row in told if " responded " in row.body] == [
        "A former participant for Northshire Police"
    ]
    assert any(row.body.startswith("A former participant for Northshire Police posted") for row in told)
    proposal = await Problem.get(id=ids.decode(own["id"], "Problem", "id"))
    assert (proposal.latitude, proposal.longitude) == (round(LATITUDE, 3), round(LONGITUDE, 3))


def test_every_sqlite_connection_zeroes_what_it_deletes(tmp_path: Path) -> None:
    # Some SQLite builds zero deleted content by default and some do not: set it, always.
    config = tortoise_config(f"sqlite://{tmp_path / 'rungs.sqlite3'}")
    assert config["connections"]["default"]["credentials"]["secure_delete"] == "ON"
