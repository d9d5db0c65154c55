"""A person's own sessions and API tokens: changing the password, listing, revoking, expiry."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from backend import ids
from backend.app import create_app
from backend.auth import throttle
from backend.auth.passwords import verify_password
from backend.auth.tokens import Sealer, digest
from backend.clock import ManualClock
from backend.models import MagicLinkToken, Notification, Session, User
from backend.models.enums import NotificationKind
from backend.services import accounts, notifications
from backend.services.actors import Actor
from backend.settings import ConfigurationError, Settings
from support import PASSWORD, GraphQL, People, Person, RecordingMailer, error_of, operation, payload

COOKIE = "rungs_session"
NEW_PASSWORD = "a brand new passphrase"
HUGE = "x" * 100_000
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"

Browser = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def browser(app: Starlette, settings: Settings) -> AsyncIterator[Browser]:
    """Opens another browser (its own cookie jar) on the same app, saying it is `user_agent`."""
    opened: list[httpx.AsyncClient] = []

    def open_browser(user_agent: str = FIREFOX) -> httpx.AsyncClient:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=settings.public_url,
            headers={"User-Agent": user_agent},
        )
        opened.append(http)
        return http

    yield open_browser
    for http in opened:
        await http.aclose()


async def send(http: httpx.AsyncClient, name: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": operation(name), "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def signed_in(http: httpx.AsyncClient, person: Person, password: str = PASSWORD) -> httpx.AsyncClient:
    result = await send(http, "LogIn", input={"email": person.user.email, "password": password})
    assert payload(result)["errors"] == [], result
    return http


async def email_of_viewer(http: httpx.AsyncClient) -> str | None:
    me = (await send(http, "Viewer"))["viewer"]
    return me["email"] if me else None


async def sessions_seen_by(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await send(http, "ViewerSessions"))["viewer"]["sessions"]
    return listed


def change(current: str = PASSWORD, new: str = NEW_PASSWORD) -> dict[str, str]:
    return {"currentPassword": current, "newPassword": new}


# ------------------------------------------------------------ changePassword


async def test_changing_the_password_signs_out_everywhere_else_and_tells_the_person_by_mail(
    browser: Browser,
    gql: GraphQL,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    rita = await people.make("Rita Resident")
    laptop = await signed_in(browser(), rita)
    phone = await signed_in(browser(), rita)
    await accounts.request_magic_link(Actor(), email=rita.user.email, now=clock.now(), sealer=sealer)

    result = payload(await send(laptop, "ChangePassword", input=change()))
    assert result == {"viewer": {"email": rita.user.email}, "errors": []}

    # The browser that changed it stays signed in; every other browser and token is out.
    assert await email_of_viewer(laptop) == rita.user.email
    assert await email_of_viewer(phone) is None
    assert (await gql("Viewer", as_=rita.token))["viewer"] is None
    assert await Session.filter(user_id=rita.user.id).count() == 1
    # A sign-in link mailed before the change signs in no more.
    assert not await MagicLinkToken.filter(user_id=rita.user.id, used_at__isnull=True).exists()

    refused = error_of(await send(browser(), "LogIn", input={"email": rita.user.email, "password": PASSWORD}))
    assert refused["code"] == "UNAUTHENTICATED"
    assert await email_of_viewer(await signed_in(browser(), rita, NEW_PASSWORD)) == rita.user.email

    await notifications.deliver_due(mailer, sealer, clock=clock)
    letters = [letter for letter in mailer.to(rita.user.email) if "password" in letter.subject]
    assert [letter.subject for letter in letters] == ["Your Rungs password was changed"]
    assert "5 January 2026 at 09:00 UTC" in letters[0].body
    assert "https://rungs.test/#/sign-in" in letters[0].body
    # Account mail: sent whatever the person's preferences, never listed in the app.
    assert await Notification.filter(kind=NotificationKind.PASSWORD_CHANGED).count() == 1
    assert not await Notification.filter(kind=NotificationKind.PASSWORD_CHANGED, listed=True).exists()


async def test_the_password_mail_goes_even_to_someone_who_turned_email_off(
    gql: GraphQL, people: People, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    await User.filter(id=rita.user.id).update(email_notifications=False)
    assert payload(await gql("ChangePassword", as_=rita.token, input=change()))["errors"] == []
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1
    assert [letter.subject for letter in mailer.to(rita.user.email)] == ["Your Rungs password was changed"]


async def test_changing_the_password_with_an_api_token_keeps_that_token(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    assert payload(await gql("ChangePassword", as_=rita.token, input=change()))["errors"] == []
    assert (await gql("Viewer", as_=rita.token))["viewer"]["email"] == rita.user.email


async def nothing_changed(person: Person, *, sessions_before: int) -> None:
    user = await User.get(id=person.user.id)
    assert await verify_password(user.password_hash, PASSWORD)
    assert await Session.filter(user_id=person.user.id).count() == sessions_before
    assert not await Notification.filter(kind=NotificationKind.PASSWORD_CHANGED).exists()


async def test_a_wrong_current_password_changes_nothing(
    browser: Browser, gql: GraphQL, people: People
) -> None:
    rita = await people.make("Rita Resident")
    await signed_in(browser(), rita)
    before = await Session.filter(user_id=rita.user.id).count()
    for wrong in ("not my password", PASSWORD.upper(), HUGE):
        error = error_of(await gql("ChangePassword", as_=rita.token, input=change(current=wrong)))
        assert (error["field"], error["message"]) == ("currentPassword", "Your current password is wrong")
    await nothing_changed(rita, sessions_before=before)


async def test_guessing_the_current_password_is_throttled_like_signing_in(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    before = await Session.filter(user_id=rita.user.id).count()
    # Someone holding Rita's session, but not her password, tries to take the account over.
    for attempt in range(throttle.LIMITS["password"].per_pair):
        error = error_of(
            await gql("ChangePassword", as_=rita.token, input=change(current=f"guess {attempt}"))
        )
        assert error["code"] == "INVALID", attempt
    over = error_of(await gql("ChangePassword", as_=rita.token, input=change()))
    assert over["code"] == "RATE_LIMITED"
    await nothing_changed(rita, sessions_before=before)

    clock.advance(minutes=16)
    assert payload(await gql("ChangePassword", as_=rita.token, input=change()))["errors"] == []


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        pytest.param("", NEW_PASSWORD, "currentPassword", "Enter your current password", id="empty-current"),
        pytest.param(
            PASSWORD,
            "short",
            "newPassword",
            "Your new password must be at least 10 characters",
            id="too-short",
        ),
        pytest.param(
            PASSWORD, HUGE, "newPassword", "Your new password can be at most 256 characters", id="100-kB"
        ),
        pytest.param(
            PASSWORD,
            PASSWORD,
            "newPassword",
            "Your new password must differ from your current one",
            id="same",
        ),
    ],
)
async def test_change_password_refuses_bad_input_and_changes_nothing(
    gql: GraphQL, people: People, current: str, new: str, field: str, message: str
) -> None:
    rita = await people.make("Rita Resident")
    error = error_of(await gql("ChangePassword", as_=rita.token, input=change(current, new)))
    assert error == {"field": field, "code": "INVALID", "message": message}
    await nothing_changed(rita, sessions_before=1)


async def test_two_password_changes_at_once_leave_one_new_password(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    first, second = "first new password", "second new password"
    results = await asyncio.gather(
        gql("ChangePassword", as_=rita.token, input=change(new=first)),
        gql("ChangePassword", as_=rita.token, input=change(new=second)),
    )
    outcomes = ["ok" if payload(r)["errors"] == [] else error_of(r)["code"] for r in results]
    assert outcomes.count("ok") == 1, outcomes
    winner = first if outcomes[0] == "ok" else second
    user = await User.get(id=rita.user.id)
    assert await verify_password(user.password_hash, winner)
    assert await Notification.filter(kind=NotificationKind.PASSWORD_CHANGED).count() == 1


# ------------------------------------------------------------ Viewer.sessions


async def test_a_person_sees_their_own_live_sessions_and_tokens_and_which_one_is_in_use(
    browser: Browser, gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita, olly = await people.make("Rita Resident"), await people.make("Olly Other")
    laptop = await signed_in(browser(), rita)
    clock.advance(hours=2)
    phone = await signed_in(browser("Phone\x00Browser/1.0 " + "x" * 300), rita)
    await signed_in(browser(), olly)
    # An API token that has run out is not among them.
    await accounts.create_api_token(Actor(user=rita.user), label="Old script", now=clock.now(), days=1)
    clock.advance(days=1)

    listed = await sessions_seen_by(phone)
    # Most recently used first.
    assert [(s["kind"], s["label"], s["isCurrent"]) for s in listed] == [
        ("COOKIE", None, True),
        ("COOKIE", None, False),
        ("API_TOKEN", "tests", False),
    ]
    this_phone, the_laptop, token = listed
    # The browser's own description, printable and cut short; API tokens have their label.
    assert this_phone["userAgent"] == ("PhoneBrowser/1.0 " + "x" * 300)[: accounts.USER_AGENT_LENGTH]
    assert the_laptop["userAgent"] == FIREFOX
    assert token["userAgent"] is None
    assert the_laptop["createdAt"] == "2026-01-05T09:00:00+00:00"
    assert the_laptop["expiresAt"] == "2026-02-04T09:00:00+00:00"
    assert token["expiresAt"] == "2026-04-05T09:00:00+00:00"
    # Used just now: last seen is brought up to date, to within the hour.
    assert this_phone["lastSeenAt"] == clock.now().isoformat()

    owned = {ids.encode("Session", s.id) for s in await Session.filter(user_id=rita.user.id)}
    assert {s["id"] for s in listed} <= owned
    (laptop_current,) = [s["id"] for s in await sessions_seen_by(laptop) if s["isCurrent"]]
    assert laptop_current == the_laptop["id"]
    tokens = [
        s for s in (await gql("ViewerSessions", as_=rita.token))["viewer"]["sessions"] if s["isCurrent"]
    ]
    assert [s["label"] for s in tokens] == ["tests"]


async def test_the_personal_data_export_names_the_browsers_signed_in(
    browser: Browser, people: People
) -> None:
    rita = await people.make("Rita Resident")
    laptop = await signed_in(browser(), rita)
    exported = (await laptop.get("/export/my-data.json")).json()
    # The token made for the tests, and the laptop's session.
    assert sorted(str(s["user_agent"]) for s in exported["sessions"]) == sorted([FIREFOX, "None"])


# ------------------------------------------------------------ revokeSession


async def test_revoking_one_of_ones_own_sessions_signs_that_browser_out(
    browser: Browser, gql: GraphQL, people: People
) -> None:
    rita = await people.make("Rita Resident")
    laptop, phone = await signed_in(browser(), rita), await signed_in(browser(), rita)
    (phone_session,) = [s for s in await sessions_seen_by(phone) if s["isCurrent"]]

    result = payload(await send(laptop, "RevokeSession", input={"sessionId": phone_session["id"]}))
    assert result["errors"] == []
    assert phone_session["id"] not in {s["id"] for s in result["viewer"]["sessions"]}
    assert await email_of_viewer(phone) is None
    assert await email_of_viewer(laptop) == rita.user.email

    again = error_of(await send(laptop, "RevokeSession", input={"sessionId": phone_session["id"]}))
    assert (again["code"], again["field"]) == ("NOT_FOUND", "sessionId")


async def test_revoking_an_api_token_stops_it_working(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    made = payload(await gql("CreateApiToken", as_=rita.token, input={"label": "Reporting script"}))
    sessions = (await gql("ViewerSessions", as_=rita.token))["viewer"]["sessions"]
    (script,) = [s for s in sessions if s["label"] == "Reporting script"]
    assert (
        payload(await gql("RevokeSession", as_=rita.token, input={"sessionId": script["id"]}))["errors"] == []
    )
    assert (await gql("Viewer", as_=made["token"]))["viewer"] is None
    assert (await gql("Viewer", as_=rita.token))["viewer"]["email"] == rita.user.email


async def test_someone_elses_session_is_not_found_and_lives_on(gql: GraphQL, people: People) -> None:
    rita, olly = await people.make("Rita Resident"), await people.make("Olly Other")
    ollys = (await gql("ViewerSessions", as_=olly.token))["viewer"]["sessions"]
    assert len(ollys) == 1

    for session in ollys:
        error = error_of(await gql("RevokeSession", as_=rita.token, input={"sessionId": session["id"]}))
        assert error == {
            "field": "sessionId",
            "code": "NOT_FOUND",
            "message": "You have no session or API token with that ID.",
        }
    assert await Session.filter(user_id=olly.user.id).count() == 1
    assert (await gql("Viewer", as_=olly.token))["viewer"]["email"] == olly.user.email
    # Only one's own are listed, and nothing of anyone else's.
    ritas = (await gql("ViewerSessions", as_=rita.token))["viewer"]["sessions"]
    assert {s["id"] for s in ritas}.isdisjoint(s["id"] for s in ollys)


@pytest.mark.parametrize(
    "session_id",
    [
        pytest.param("forged", id="forged"),
        pytest.param(ids.encode("User", 1), id="a-person"),
        pytest.param(HUGE, id="100-kB"),
    ],
)
async def test_revoke_session_refuses_what_is_not_a_session_id(
    gql: GraphQL, people: People, session_id: str
) -> None:
    rita = await people.make("Rita Resident")
    error = error_of(await gql("RevokeSession", as_=rita.token, input={"sessionId": session_id}))
    assert (error["code"], error["field"]) == ("INVALID", "sessionId")
    assert await Session.filter(user_id=rita.user.id).count() == 1


async def test_revoking_the_session_in_use_signs_out(browser: Browser, people: People) -> None:
    rita = await people.make("Rita Resident")
    laptop = await signed_in(browser(), rita)
    secret = laptop.cookies[COOKIE]
    (this_one,) = [s for s in await sessions_seen_by(laptop) if s["isCurrent"]]

    response = await laptop.post(
        "/graphql",
        json={"query": operation("RevokeSession"), "variables": {"input": {"sessionId": this_one["id"]}}},
    )
    assert payload(response.json()["data"]) == {"viewer": None, "errors": []}
    # The browser is told to drop its cookie, and the secret itself is dead.
    (cookie,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    assert "max-age=0" in cookie.lower()
    assert COOKIE not in laptop.cookies
    assert await email_of_viewer(laptop) is None
    assert not await Session.exists(token_hash=digest(secret))


async def test_signing_out_everywhere_else_keeps_only_the_session_in_use(
    browser: Browser, gql: GraphQL, people: People
) -> None:
    rita, olly = await people.make("Rita Resident"), await people.make("Olly Other")
    laptop, phone = await signed_in(browser(), rita), await signed_in(browser(), rita)

    result = payload(await send(laptop, "RevokeOtherSessions"))
    assert result["errors"] == []
    assert len(result["viewer"]["sessions"]) == 1
    assert await email_of_viewer(laptop) == rita.user.email
    assert await email_of_viewer(phone) is None
    assert (await gql("Viewer", as_=rita.token))["viewer"] is None
    # Nobody else is touched.
    assert (await gql("Viewer", as_=olly.token))["viewer"]["email"] == olly.user.email


@pytest.mark.parametrize(
    ("name", "variables"),
    [
        pytest.param("ChangePassword", {"input": change()}, id="changePassword"),
        pytest.param("RevokeSession", {"input": {"sessionId": ids.encode("Session", 1)}}, id="revokeSession"),
        pytest.param("RevokeOtherSessions", {}, id="revokeOtherSessions"),
    ],
)
async def test_anonymous_requests_are_unauthenticated(
    gql: GraphQL, people: People, name: str, variables: dict[str, Any]
) -> None:
    await people.make("Rita Resident")
    error = error_of(await gql(name, **variables))
    assert error["code"] == "UNAUTHENTICATED"
    assert await Session.all().count() == 1
    assert (await gql("ViewerSessions"))["viewer"] is None


# ------------------------------------------------------------ API tokens expire


async def test_an_api_token_lasts_ninety_days_and_is_refused_after(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    made = payload(await gql("CreateApiToken", as_=rita.token, input={"label": "Reporting script"}))
    assert made["expiresAt"] == (clock.now() + timedelta(days=90)).isoformat()
    token = made["token"]

    clock.advance(days=90, seconds=-1)
    assert (await gql("Viewer", as_=token))["viewer"]["email"] == rita.user.email
    clock.advance(seconds=1)
    # An expired token is no one: anonymous where that is allowed, refused where it is not.
    assert (await gql("Viewer", as_=token))["viewer"] is None
    refused = error_of(await gql("CreateApiToken", as_=token, input={"label": "Another"}))
    assert refused["code"] == "UNAUTHENTICATED"


async def test_an_api_token_may_be_made_to_last_less(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    made = payload(
        await gql("CreateApiToken", as_=rita.token, input={"label": "One-off export", "expiresInDays": 7})
    )
    assert made["expiresAt"] == (clock.now() + timedelta(days=7)).isoformat()
    clock.advance(days=7)
    assert (await gql("Viewer", as_=made["token"]))["viewer"] is None


@pytest.mark.parametrize("days", [0, -5, 91])
async def test_an_api_token_cannot_be_made_to_last_longer_than_allowed(
    gql: GraphQL, people: People, days: int
) -> None:
    rita = await people.make("Rita Resident")
    error = error_of(
        await gql("CreateApiToken", as_=rita.token, input={"label": "Forever", "expiresInDays": days})
    )
    assert (error["field"], error["code"]) == ("expiresInDays", "INVALID")
    assert error["message"] == "The number of days must be between 1 and 90"
    assert await Session.filter(user_id=rita.user.id).count() == 1


async def test_the_longest_an_api_token_lasts_is_a_setting(
    settings: Settings, clock: ManualClock, people: People
) -> None:
    app = create_app(dataclasses.replace(settings, api_token_days=30), clock=clock, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=settings.public_url
    ) as http:
        gql = GraphQL(http)
        rita = await people.make("Rita Resident")
        made = payload(await gql("CreateApiToken", as_=rita.token, input={"label": "Reporting script"}))
        assert made["expiresAt"] == (clock.now() + timedelta(days=30)).isoformat()
        longer = error_of(
            await gql("CreateApiToken", as_=rita.token, input={"label": "Longer", "expiresInDays": 31})
        )
        assert longer["field"] == "expiresInDays"
        assert longer["message"] == "The number of days must be between 1 and 30"


def test_api_token_days_is_read_from_the_environment(tmp_path: Path) -> None:
    environ = {"DATA_DIR": str(tmp_path), "SECRET_KEY": "k"}
    assert Settings.from_environment(environ).api_token_days == 90
    assert Settings.from_environment({**environ, "API_TOKEN_DAYS": "30"}).api_token_days == 30
    for wrong in ("ninety", "0", "-1"):
        with pytest.raises(ConfigurationError, match="API_TOKEN_DAYS must be a whole number"):
            Settings.from_environment({**environ, "API_TOKEN_DAYS": wrong})
