"""Accounts: registering, the viewer, profiles, API tokens and notification settings."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from backend.api import ids
from backend.clock import ManualClock
from backend.models import Area, Notification, Session, User
from backend.models.enums import CredentialKind, OrganisationKind
from backend.services import areas, organisations
from backend.services.actors import Actor
from support import PASSWORD, GraphQL, People, Person, error_of, operation, payload

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


async def test_registering_signs_the_new_person_in(gql: GraphQL) -> None:
    data = await gql("Register", input=registration(email="Sam@Example.org"))
    result = payload(data)
    assert result["errors"] == []
    me = result["viewer"]
    assert me["email"] == "sam@example.org"
    assert me["user"]["displayName"] == "Sam Smith"
    assert me["isAdmin"] is False
    assert me["skills"] == []
    assert me["homeArea"] is None
    assert me["organisations"] == []
    assert me["areaRoles"] == []
    assert me["notificationPreferences"] == {"email": True, "taskReminders": True, "digest": "WEEKLY"}
    assert me["unreadNotificationCount"] == 0

    # The browser holds the new session from now on.
    assert (await viewer(gql)) == me
    user = await User.get(email="sam@example.org")
    assert me["user"]["id"] == ids.encode("User", user.id)
    assert await Session.filter(user_id=user.id, kind=CredentialKind.COOKIE).count() == 1


async def test_registering_with_a_home_area(gql: GraphQL, people: People, clock: ManualClock) -> None:
    area = await make_area(people, clock, "Northtown")
    area_id = ids.encode("Area", area.id)
    me = payload(await gql("Register", input=registration(homeAreaId=area_id)))["viewer"]
    assert me["homeArea"] == {"id": area_id, "name": "Northtown"}


async def test_passwords_are_stored_as_argon2id_hashes_of_owasp_strength(gql: GraphQL) -> None:
    await gql("Register", input=registration())
    stored = (await User.get(email="sam@example.org")).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    parameters = dict(part.split("=") for part in stored.split("$")[3].split(","))
    assert int(parameters["m"]) >= 19456
    assert int(parameters["t"]) >= 2
    assert PasswordHasher().verify(stored, PASSWORD)


async def test_email_addresses_are_case_insensitive_and_unique(
    gql: GraphQL, client: httpx.AsyncClient
) -> None:
    first = payload(await gql("Register", input=registration(email="Foo@Example.org")))
    assert first["errors"] == []
    client.cookies.clear()

    error = error_of(
        await gql("Register", input=registration(email="foo@example.org", displayName="Someone Else"))
    )
    assert (error["code"], error["field"]) == ("CONFLICT", "email")
    error = error_of(await gql("Register", input=registration(email=" FOO@EXAMPLE.ORG ")))
    assert (error["code"], error["field"]) == ("CONFLICT", "email")
    assert [user.email for user in await User.all()] == ["foo@example.org"]
    assert await viewer(gql) is None

    # And whichever case is typed at sign-in reaches the one account.
    signed_in = payload(await gql("LogIn", input={"email": "FOO@example.ORG", "password": PASSWORD}))
    assert signed_in["viewer"]["user"]["displayName"] == "Sam Smith"


async def test_two_registrations_of_one_address_at_once_make_one_account(gql: GraphQL) -> None:
    results = await asyncio.gather(
        gql("Register", input=registration(email="dana@example.org", displayName="Dana One")),
        gql("Register", input=registration(email="Dana@Example.org", displayName="Dana Two")),
    )
    outcomes = sorted(
        "ok" if payload(result)["errors"] == [] else error_of(result)["code"] for result in results
    )
    assert outcomes == ["CONFLICT", "ok"]
    assert await User.filter(email="dana@example.org").count() == 1
    assert await User.all().count() == 1
    assert await Session.all().count() == 1


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
    assert await Session.all().count() == 0


async def test_registering_while_signed_in_ends_the_old_session(
    gql: GraphQL, client: httpx.AsyncClient
) -> None:
    await gql("Register", input=registration(email="first@example.org"))
    old_cookie = client.cookies["rungs_session"]
    await gql("Register", input=registration(email="second@example.org"))
    assert client.cookies["rungs_session"] != old_cookie
    assert (await viewer(gql) or {})["email"] == "second@example.org"
    first = await User.get(email="first@example.org")
    assert await Session.filter(user_id=first.id).count() == 0


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


async def test_an_api_token_acts_as_its_person(gql: GraphQL, client: httpx.AsyncClient) -> None:
    await gql("Register", input=registration())
    result = payload(await gql("CreateApiToken", input={"label": "  My script  "}))
    assert result["errors"] == []
    token = result["token"]
    assert token and len(token) >= 32
    client.cookies.clear()

    me = await gql("Viewer", as_=token)
    assert me["viewer"]["email"] == "sam@example.org"
    stored = await Session.get(kind=CredentialKind.API_TOKEN)
    assert stored.label == "My script"
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
