"""Accounts: registering, the viewer, profiles, API tokens and notification settings."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from backend import ids
from backend.auth import passwords
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.errors import Invalid, NotFound
from backend.models import Area, Notification, Session, User
from backend.models.enums import CredentialKind, OrganisationKind
from backend.services import accounts, areas, notifications, organisations
from backend.services.actors import Actor
from support import (
    PASSWORD,
    GraphQL,
    People,
    Person,
    QueryCounter,
    RecordingMailer,
    error_of,
    operation,
    payload,
)

HUGE = "x" * 100_000


def registration(**changes: Any) -> dict[str, Any]:
    return {"email": "sam@example.org", "password": PASSWORD, "displayName": "Sam Smith", **changes}


async def make_area(people: People, clock: ManualClock, name: str) -> Area:
    admin = await people.make(f"Admin of {name}", admin=True)
    return await areas.create_area(Actor(user=admin.user), name=name, now=clock.now())


async def viewer(gql: GraphQL, person: Person | None = None) -> dict[str, Any] | None:
    data: dict[str, Any] | None = (await gql("Viewer", as_=person.token if person else None))["viewer"]
    return data


# ------------------------------------------------------------------ register


async def confirmation_token(
    mailer: RecordingMailer, sealer: Sealer, clock: ManualClock, address: str
) -> str:
    """The sign-in token in the newest mail to `address`."""
    await notifications.deliver_due(mailer, sealer, clock=clock)
    letter = mailer.to(address)[-1]
    match = re.search(r"#/sign-in/link\?\S*token=([A-Za-z0-9_-]+)", letter.body)
    assert match, letter.body
    return match.group(1)


async def confirm(gql: GraphQL, token: str) -> dict[str, Any]:
    result: dict[str, Any] = payload(await gql("LogInWithMagicLink", input={"token": token}))
    return result


async def test_registering_mails_a_link_that_makes_the_account_and_signs_in(
    gql: GraphQL, client: httpx.AsyncClient, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    result = payload(await gql("Register", input=registration(email="Sam@Example.org")))
    assert result == {"viewer": None, "errors": []}
    assert "rungs_session" not in client.cookies
    # Until the address is confirmed there is no account to sign in to.
    refused = error_of(await gql("LogIn", input={"email": "sam@example.org", "password": PASSWORD}))
    assert refused["code"] == "UNAUTHENTICATED"

    token = await confirmation_token(mailer, sealer, clock, "sam@example.org")
    (letter,) = mailer.letters
    assert letter.subject == "Confirm your email address for Rungs"
    me = (await confirm(gql, token))["viewer"]
    assert me["email"] == "sam@example.org"
    assert me["user"]["displayName"] == "Sam Smith"
    assert me["isAdmin"] is False
    assert me["homeArea"] is None
    assert me["unreadNotificationCount"] == 0

    # The browser holds the new session from now on, and the password works from now on.
    assert (await viewer(gql)) == me
    user = await User.get(email="sam@example.org")
    assert me["user"]["id"] == ids.encode("User", user.id)
    assert user.confirmed_at == clock.now()
    client.cookies.clear()
    signed_in = payload(await gql("LogIn", input={"email": "sam@example.org", "password": PASSWORD}))
    assert signed_in["viewer"]["email"] == "sam@example.org"
    # The link worked once.
    assert error_of(await gql("LogInWithMagicLink", input={"token": token}))["field"] == "token"


async def test_registering_with_a_home_area(
    gql: GraphQL, people: People, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    area = await make_area(people, clock, "Northtown")
    area_id = ids.encode("Area", area.id)
    assert payload(await gql("Register", input=registration(homeAreaId=area_id)))["errors"] == []
    me = (await confirm(gql, await confirmation_token(mailer, sealer, clock, "sam@example.org")))["viewer"]
    assert me["homeArea"] == {"id": area_id, "name": "Northtown"}


async def test_a_registration_link_lasts_a_day(
    gql: GraphQL, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    await gql("Register", input=registration())
    token = await confirmation_token(mailer, sealer, clock, "sam@example.org")
    clock.advance(hours=24)
    error = error_of(await gql("LogInWithMagicLink", input={"token": token}))
    assert (error["code"], error["field"]) == ("INVALID", "token")
    assert await User.filter(confirmed_at__isnull=False).count() == 0


async def test_passwords_are_stored_as_argon2id_hashes_of_owasp_strength(
    gql: GraphQL, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    await gql("Register", input=registration())
    await confirm(gql, await confirmation_token(mailer, sealer, clock, "sam@example.org"))
    stored = (await User.get(email="sam@example.org")).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_only_the_test_suite_hashes_passwords_cheaply() -> None:
    """The suite hashes cheaply (tests/conftest.py); outside a pytest process the variable it
    sets counts for nothing, and hashing is of OWASP's strength."""
    assert (passwords.STRONG.memory_cost, passwords.STRONG.time_cost) >= (19456, 2)
    outside_tests = subprocess.run(
        [
            sys.executable,
            "-c",
            "from backend.auth import passwords; print(passwords._hasher is passwords.STRONG)",
        ],
        env={**os.environ, passwords.CHEAP_HASHING_FOR_TESTS: "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert outside_tests.stdout.strip() == "True"


async def test_registering_an_address_that_has_an_account_answers_alike_and_mails_its_owner(
    gql: GraphQL,
    client: httpx.AsyncClient,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    rita = await people.make("Rita Resident")
    known = payload(
        await gql(
            "Register", input=registration(email=" Rita.Resident@Example.org ", displayName="Someone Else")
        )
    )
    unknown = payload(await gql("Register", input=registration(email="sam@example.org")))
    assert known == unknown == {"viewer": None, "errors": []}

    await notifications.deliver_due(mailer, sealer, clock=clock)
    (to_rita,) = mailer.to("rita.resident@example.org")
    assert to_rita.subject == "You already have a Rungs account"
    assert "Rita Resident" in to_rita.body
    # The mail holds a sign-in link, and the account is exactly as it was.
    token = await confirmation_token(mailer, sealer, clock, "rita.resident@example.org")
    assert (await confirm(gql, token))["viewer"]["user"]["displayName"] == "Rita Resident"
    stored = await User.get(id=rita.user.id)
    assert stored.display_name == "Rita Resident"
    assert PasswordHasher().verify(stored.password_hash, PASSWORD)
    assert [user.email for user in await User.filter(confirmed_at__isnull=False)] == [
        "rita.resident@example.org"
    ]


def _statement(logged: str) -> str:
    """The SQL of a logged statement without the values sent with it: what it does, not to which row."""
    return logged.partition(": [")[0]


async def test_registering_does_the_same_work_whether_or_not_the_address_has_an_account(
    gql: GraphQL, people: People
) -> None:
    await people.make("Rita Resident")
    await gql("Register", input=registration(email="warm.up@example.org"))
    with QueryCounter() as known:
        await gql("Register", input=registration(email="rita.resident@example.org"))
    with QueryCounter() as unknown:
        await gql("Register", input=registration(email="sam@example.org"))
    assert known.count > 0
    assert list(map(_statement, known.statements)) == list(map(_statement, unknown.statements))


async def test_an_address_nobody_confirmed_is_nobody_to_look_up_or_give_a_role(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Alex Admin", admin=True)
    area = await areas.create_area(Actor(user=admin.user), name="Northtown", now=clock.now())
    assert payload(await gql("Register", input=registration()))["errors"] == []
    waiting = ids.encode("User", (await User.get(email="sam@example.org")).id)

    assert (await gql("Node", id=waiting))["node"] is None
    refused = error_of(
        await gql(
            "AssignAreaRole",
            as_=admin.token,
            input={"areaId": ids.encode("Area", area.id), "userId": waiting, "role": "COORDINATOR"},
        )
    )
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "userId")


async def test_nobody_can_take_an_address_by_registering_it_first(
    gql: GraphQL, client: httpx.AsyncClient, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    # Mallory registers Sam's address with her own password: that makes no account.
    mallorys = registration(displayName="Mallory", password="mallory's own secret phrase")
    assert payload(await gql("Register", input=mallorys)) == {"viewer": None, "errors": []}
    refused = error_of(
        await gql("LogIn", input={"email": "sam@example.org", "password": mallorys["password"]})
    )
    assert refused["code"] == "UNAUTHENTICATED"
    link_mallory_set_off = await confirmation_token(mailer, sealer, clock, "sam@example.org")

    # Sam registers as if nothing happened, and the link Sam's registration sent makes Sam's account.
    assert payload(await gql("Register", input=registration())) == {"viewer": None, "errors": []}
    me = (await confirm(gql, await confirmation_token(mailer, sealer, clock, "sam@example.org")))["viewer"]
    assert me["user"]["displayName"] == "Sam Smith"
    client.cookies.clear()

    # The link of Mallory's registration, used later, only signs Sam in and changes nothing.
    assert (await confirm(gql, link_mallory_set_off))["viewer"]["user"]["displayName"] == "Sam Smith"
    client.cookies.clear()
    refused = error_of(
        await gql("LogIn", input={"email": "sam@example.org", "password": mallorys["password"]})
    )
    assert refused["code"] == "UNAUTHENTICATED"
    assert (
        payload(await gql("LogIn", input={"email": "sam@example.org", "password": PASSWORD}))["errors"] == []
    )
    assert await User.filter(email="sam@example.org").count() == 1


async def test_two_registrations_of_one_address_at_once_make_one_account(
    gql: GraphQL, client: httpx.AsyncClient, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    results = await asyncio.gather(
        gql("Register", input=registration(email="dana@example.org", displayName="Dana One")),
        gql("Register", input=registration(email="Dana@Example.org", displayName="Dana Two")),
    )
    assert [payload(result) for result in results] == [{"viewer": None, "errors": []}] * 2
    await notifications.deliver_due(mailer, sealer, clock=clock)
    tokens = [re.search(r"token=([A-Za-z0-9_-]+)", letter.body).group(1) for letter in mailer.letters]  # type: ignore[union-attr]
    assert len(tokens) == 2
    names = [(await confirm(gql, token))["viewer"]["user"]["displayName"] for token in tokens]
    # Whichever link is used first makes the account; the other then signs in to it.
    assert names[0] == names[1]
    assert await User.filter(email="dana@example.org").count() == 1
    assert await User.all().count() == 1


BAD_REGISTRATIONS = [
    pytest.param({"email": ""}, "INVALID", "email", id="empty-email"),
    pytest.param({"email": "   "}, "INVALID", "email", id="blank-email"),
    pytest.param({"email": "sam"}, "INVALID", "email", id="no-at-sign"),
    pytest.param({"email": "sam@"}, "INVALID", "email", id="no-domain"),
    pytest.param({"email": "@example.org"}, "INVALID", "email", id="no-local-part"),
    pytest.param({"email": "sam smith@example.org"}, "INVALID", "email", id="space-in-email"),
    pytest.param({"email": "sam\x00@example.org"}, "INVALID", "email", id="nul-in-email"),
    pytest.param({"email": "sam@example.org\nBcc: x@example.org"}, "INVALID", "email", id="header-injection"),
    pytest.param({"email": HUGE + "@example.org"}, "INVALID", "email", id="100-kB-email"),
    pytest.param({"password": ""}, "INVALID", "password", id="empty-password"),
    pytest.param({"password": "short"}, "INVALID", "password", id="short-password"),
    pytest.param({"password": HUGE}, "INVALID", "password", id="100-kB-password"),
    pytest.param({"password": "password12"}, "INVALID", "password", id="common-password"),
    pytest.param({"password": " " * 10}, "INVALID", "password", id="ten-spaces"),
    pytest.param({"password": "qwertyuiop"}, "INVALID", "password", id="keyboard-row"),
    pytest.param({"password": "SamSmith2024"}, "INVALID", "password", id="own-name"),
    pytest.param({"password": "S4m $m1th 1990"}, "INVALID", "password", id="own-name-in-disguise"),
    pytest.param({"password": "sam@example.org"}, "INVALID", "password", id="own-address"),
    pytest.param({"displayName": ""}, "INVALID", "displayName", id="empty-name"),
    pytest.param({"displayName": "   "}, "INVALID", "displayName", id="blank-name"),
    pytest.param({"displayName": HUGE}, "INVALID", "displayName", id="100-kB-name"),
    pytest.param({"displayName": "x" * 81}, "INVALID", "displayName", id="81-character-name"),
    pytest.param({"displayName": "Sam\x00Smith"}, "INVALID", "displayName", id="nul-in-name"),
    pytest.param({"displayName": "Sam\x1b[2JSmith"}, "INVALID", "displayName", id="escape-in-name"),
    pytest.param({"homeAreaId": ""}, "INVALID", "homeAreaId", id="empty-area"),
    pytest.param({"homeAreaId": "garbage"}, "INVALID", "homeAreaId", id="garbage-area"),
    pytest.param({"homeAreaId": HUGE}, "INVALID", "homeAreaId", id="100-kB-area"),
    pytest.param({"homeAreaId": ids.encode("User", 1)}, "INVALID", "homeAreaId", id="user-as-area"),
    pytest.param({"homeAreaId": ids.encode("Area", 999_999)}, "NOT_FOUND", "homeAreaId", id="unknown-area"),
]


@pytest.mark.parametrize(("changes", "code", "field"), BAD_REGISTRATIONS)
async def test_register_refuses_bad_input(
    client: httpx.AsyncClient, changes: dict[str, Any], code: str, field: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": operation("Register"), "variables": {"input": registration(**changes)}},
    )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body["errors"]
    error = error_of(body["data"])
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert "set-cookie" not in response.headers
    assert await User.all().count() == 0
    assert await Notification.all().count() == 0


async def test_a_guessable_password_is_refused_in_words_a_resident_understands(gql: GraphQL) -> None:
    common = error_of(await gql("Register", input=registration(password="password12")))
    assert common["message"].startswith("Your password is too easy to guess")
    assert "common" in common["message"]
    own_name = error_of(await gql("Register", input=registration(password="Sam Smith 1985")))
    assert "your name" in own_name["message"]


async def test_operators_cannot_make_accounts_with_guessable_passwords_either(
    clock: ManualClock, clean_db: None
) -> None:
    with pytest.raises(Invalid) as refused:
        await accounts.create_admin(
            email="chief@force.example", password="password123", display_name="Chief", now=clock.now()
        )
    assert refused.value.field == "password"
    with pytest.raises(Invalid):
        await accounts.create_confirmed_account(
            email="chief@force.example", password="chief@force.example", display_name="Chief", now=clock.now()
        )
    assert await User.all().count() == 0


# -------------------------------------------------------------------- viewer


async def test_viewer_is_null_for_anonymous_requests(gql: GraphQL) -> None:
    assert await viewer(gql) is None


async def test_viewer_is_the_person_behind_the_bearer_token(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    me = await viewer(gql, rita)
    assert me is not None
    assert me["email"] == "rita.resident@example.org"
    assert me["user"] == {"id": ids.encode("User", rita.user.id), "displayName": "Rita Resident"}


# ------------------------------------------------------------- updateProfile


async def test_updating_the_profile(gql: GraphQL, people: People, clock: ManualClock) -> None:
    area = await make_area(people, clock, "Northtown")
    area_id = ids.encode("Area", area.id)
    rita = await people.make("Rita Resident")
    me = payload(
        await gql(
            "UpdateProfile",
            as_=rita.token,
            input={
                "displayName": "  Rita R.  ",
                "homeAreaId": area_id,
                "skills": ["First aid", " Litter picking ", "first AID"],
            },
        )
    )["viewer"]
    assert me["user"]["displayName"] == "Rita R."
    assert me["homeArea"] == {"id": area_id, "name": "Northtown"}
    assert me["skills"] == ["First aid", "Litter picking"]

    # What is left out stays; a null home area clears it; an empty list clears the skills.
    me = payload(await gql("UpdateProfile", as_=rita.token, input={"homeAreaId": None}))["viewer"]
    assert me["homeArea"] is None
    assert me["user"]["displayName"] == "Rita R."
    assert me["skills"] == ["First aid", "Litter picking"]
    me = payload(await gql("UpdateProfile", as_=rita.token, input={"skills": []}))["viewer"]
    assert me["skills"] == []
    stored = await User.get(id=rita.user.id)
    assert (stored.display_name, stored.home_area_id, stored.skills) == ("Rita R.", None, [])


async def test_anonymous_cannot_update_a_profile(gql: GraphQL) -> None:
    error = error_of(await gql("UpdateProfile", input={"displayName": "Someone"}))
    assert error["code"] == "UNAUTHENTICATED"


BAD_PROFILES = [
    pytest.param({"displayName": ""}, "INVALID", "displayName", id="empty-name"),
    pytest.param({"displayName": HUGE}, "INVALID", "displayName", id="100-kB-name"),
    pytest.param({"skills": [""]}, "INVALID", "skills", id="empty-skill"),
    pytest.param({"skills": [HUGE]}, "INVALID", "skills", id="100-kB-skill"),
    pytest.param({"skills": ["Cooking\x00"]}, "INVALID", "skills", id="nul-in-skill"),
    pytest.param({"skills": [f"Skill {n}" for n in range(31)]}, "INVALID", "skills", id="31-skills"),
    pytest.param({"skills": ["x"] * 10_000}, "INVALID", "skills", id="10000-skills"),
    pytest.param({"homeAreaId": "garbage"}, "INVALID", "homeAreaId", id="garbage-area"),
    pytest.param({"homeAreaId": ids.encode("Organisation", 1)}, "INVALID", "homeAreaId", id="wrong-type"),
    pytest.param({"homeAreaId": ids.encode("Area", 999_999)}, "NOT_FOUND", "homeAreaId", id="unknown-area"),
]


@pytest.mark.parametrize(("changes", "code", "field"), BAD_PROFILES)
async def test_update_profile_refuses_bad_input_and_changes_nothing(
    gql: GraphQL, people: People, changes: dict[str, Any], code: str, field: str
) -> None:
    rita = await people.make("Rita Resident")
    # A valid change alongside the bad one must not be written either.
    error = error_of(
        await gql(
            "UpdateProfile",
            as_=rita.token,
            input={"displayName": "Changed", "skills": ["Changed"], **changes},
        )
    )
    assert (error["code"], error["field"]) == (code, field)
    stored = await User.get(id=rita.user.id)
    assert (stored.display_name, stored.skills, stored.home_area_id) == ("Rita Resident", [], None)


# ------------------------------------------------------------ createApiToken


async def test_an_api_token_acts_as_its_person(
    gql: GraphQL, client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Sam", email="sam@example.org")
    await gql("LogIn", input={"email": "sam@example.org", "password": PASSWORD})
    result = payload(await gql("CreateApiToken", input={"label": "  My script  "}))
    assert result["errors"] == []
    token = result["token"]
    assert token and len(token) >= 32
    client.cookies.clear()

    me = await gql("Viewer", as_=token)
    assert me["viewer"]["email"] == "sam@example.org"
    stored = await Session.get(kind=CredentialKind.API_TOKEN, label="My script")
    assert token not in stored.token_hash


async def test_anonymous_cannot_create_an_api_token(gql: GraphQL) -> None:
    error = error_of(await gql("CreateApiToken", input={"label": "My script"}))
    assert error["code"] == "UNAUTHENTICATED"
    assert await Session.all().count() == 0


@pytest.mark.parametrize(
    "label",
    [
        pytest.param("", id="empty"),
        pytest.param("  ", id="blank"),
        pytest.param(HUGE, id="100-kB"),
        pytest.param("x" * 81, id="81-characters"),
        pytest.param("bot\x00", id="nul"),
    ],
)
async def test_create_api_token_refuses_bad_labels(gql: GraphQL, people: People, label: str) -> None:
    rita = await people.make("Rita Resident")
    before = await Session.filter(user_id=rita.user.id).count()
    error = error_of(await gql("CreateApiToken", as_=rita.token, input={"label": label}))
    assert (error["code"], error["field"]) == ("INVALID", "label")
    assert await Session.filter(user_id=rita.user.id).count() == before


# --------------------------------------------- updateNotificationPreferences


async def test_updating_notification_preferences_changes_only_what_is_given(
    gql: GraphQL, people: People
) -> None:
    rita = await people.make("Rita Resident")
    me = payload(
        await gql("UpdateNotificationPreferences", as_=rita.token, input={"digest": "DAILY", "email": False})
    )["viewer"]
    assert me["notificationPreferences"] == {"email": False, "taskReminders": True, "digest": "DAILY"}
    me = payload(await gql("UpdateNotificationPreferences", as_=rita.token, input={"taskReminders": False}))[
        "viewer"
    ]
    assert me["notificationPreferences"] == {"email": False, "taskReminders": False, "digest": "DAILY"}
    me = payload(await gql("UpdateNotificationPreferences", as_=rita.token, input={}))["viewer"]
    assert me["notificationPreferences"] == {"email": False, "taskReminders": False, "digest": "DAILY"}
    stored = await User.get(id=rita.user.id)
    assert (stored.email_notifications, stored.task_reminders, stored.digest) == (False, False, "DAILY")


async def test_anonymous_cannot_update_notification_preferences(gql: GraphQL) -> None:
    error = error_of(await gql("UpdateNotificationPreferences", input={"digest": "NEVER"}))
    assert error["code"] == "UNAUTHENTICATED"


# ----------------------------------------------------- markNotificationsRead

VIEWER_NOTIFICATIONS = "ViewerNotifications"


async def told_of_two_memberships(people: People, clock: ManualClock, person: Person) -> None:
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    for name in ("Northshire Police", "Northtown Council"):
        organisation = await organisations.create_organisation(
            actor, name=name, kind=OrganisationKind.POLICE, now=clock.now()
        )
        await organisations.add_member(
            actor, organisation_id=organisation.id, email=person.user.email, now=clock.now()
        )


async def notification_ids(gql: GraphQL, person: Person) -> list[str]:
    data = await gql(VIEWER_NOTIFICATIONS, as_=person.token)
    return [edge["node"]["id"] for edge in data["viewer"]["notifications"]["edges"]]


async def unread(gql: GraphQL, person: Person) -> int:
    count: int = (await gql(VIEWER_NOTIFICATIONS, as_=person.token))["viewer"]["unreadNotificationCount"]
    return count


async def test_marking_chosen_notifications_read_then_all(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    await told_of_two_memberships(people, clock, rita)
    newest, oldest = await notification_ids(gql, rita)
    assert await unread(gql, rita) == 2

    result = payload(await gql("MarkNotificationsRead", as_=rita.token, input={"ids": [oldest]}))
    assert result == {"viewer": {"unreadNotificationCount": 1}, "errors": []}
    data = await gql(VIEWER_NOTIFICATIONS, as_=rita.token, unreadOnly=True)
    assert [edge["node"]["id"] for edge in data["viewer"]["notifications"]["edges"]] == [newest]

    result = payload(await gql("MarkNotificationsRead", as_=rita.token, input={}))
    assert result == {"viewer": {"unreadNotificationCount": 0}, "errors": []}
    assert await Notification.filter(recipient_id=rita.user.id, read_at__isnull=True).count() == 0


async def test_nobody_marks_another_persons_notifications_read(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    sam = await people.make("Sam Smith")
    await told_of_two_memberships(people, clock, rita)
    ritas = await notification_ids(gql, rita)
    result = payload(await gql("MarkNotificationsRead", as_=sam.token, input={"ids": ritas}))
    assert result["errors"] == []
    assert await unread(gql, rita) == 2


async def test_anonymous_cannot_mark_notifications_read(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    await told_of_two_memberships(people, clock, rita)
    error = error_of(await gql("MarkNotificationsRead", input={}))
    assert error["code"] == "UNAUTHENTICATED"
    assert await Notification.filter(read_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "bad_id",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="garbage"),
        pytest.param(HUGE, id="100-kB"),
        pytest.param(ids.encode("User", 1), id="user-id"),
    ],
)
async def test_mark_notifications_read_refuses_bad_ids_and_marks_nothing(
    gql: GraphQL, people: People, clock: ManualClock, bad_id: str
) -> None:
    rita = await people.make("Rita Resident")
    await told_of_two_memberships(people, clock, rita)
    good = await notification_ids(gql, rita)
    error = error_of(await gql("MarkNotificationsRead", as_=rita.token, input={"ids": [*good, bad_id]}))
    assert (error["code"], error["field"]) == ("INVALID", "ids")
    assert await unread(gql, rita) == 2


async def test_marking_read_names_at_most_a_page_of_notifications(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    too_many = [ids.encode("Notification", n) for n in range(1, 102)]
    error = error_of(await gql("MarkNotificationsRead", as_=rita.token, input={"ids": too_many}))
    assert (error["code"], error["field"]) == ("INVALID", "ids")
    assert "at most 100" in error["message"]
    assert (
        payload(await gql("MarkNotificationsRead", as_=rita.token, input={"ids": too_many[:100]}))["errors"]
        == []
    )


async def test_a_new_account_starts_on_its_profile(
    gql: GraphQL, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    await gql("Register", input=registration())
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (letter,) = mailer.letters
    assert "https://rungs.test/#/sign-in/link?next=%2Fprofile&token=" in letter.body


async def test_an_address_nobody_confirmed_is_no_one_to_add_to_an_organisation(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    await gql("Register", input=registration())
    admin = await people.make("Ada Admin", admin=True)
    actor = Actor(user=admin.user)
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=clock.now()
    )
    with pytest.raises(NotFound):
        await organisations.add_member(
            actor, organisation_id=police.id, email="sam@example.org", now=clock.now()
        )
