"""Signing in and out: session cookies, bearer tokens, throttling and sign-in links."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from backend.auth import throttle
from backend.auth.tokens import Sealer, digest
from backend.clock import ManualClock
from backend.models import KnownDevice, LoginAttempt, MagicLinkToken, Notification, Session, User
from backend.models.enums import CredentialKind, NotificationKind
from backend.services import notifications
from backend.settings import Settings
from support import PASSWORD, GraphQL, People, QueryCounter, RecordingMailer, error_of, operation, payload

COOKIE = "rungs_session"
DEVICE = "rungs_device"
HUGE = "x" * 100_000
THIS_CLIENT = ("127.0.0.1", 50000)

Browser = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def browser(app: Starlette, settings: Settings) -> AsyncIterator[Browser]:
    """Opens another browser (its own cookie jar) on the same app, from a chosen client address."""
    opened: list[httpx.AsyncClient] = []

    def open_browser(address: tuple[str, int] = THIS_CLIENT) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=address)
        http = httpx.AsyncClient(transport=transport, base_url=settings.public_url)
        opened.append(http)
        return http

    yield open_browser
    for http in opened:
        await http.aclose()


async def send(http: httpx.AsyncClient, name: str, **variables: Any) -> httpx.Response:
    response = await http.post("/graphql", json={"query": operation(name), "variables": variables})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.json()["errors"]
    return response


async def log_in(http: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await send(http, "LogIn", input={"email": email, "password": password})
    result: dict[str, Any] = response.json()["data"]
    return result


async def email_of_viewer(http: httpx.AsyncClient, *, cookie: str | None = None) -> str | None:
    """Who the request is answered as: with the browser's own cookies, or with only `cookie`."""
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie is not None else None
    response = await http.post("/graphql", json={"query": operation("Viewer")}, headers=headers)
    me = response.json()["data"]["viewer"]
    return me["email"] if me else None


def session_cookie(response: httpx.Response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{COOKIE}=")]
    return header


def cookie_attributes(header: str) -> dict[str, str]:
    parts = [part.strip() for part in header.split(";")]
    attributes = {}
    for part in parts[1:]:
        name, _, value = part.partition("=")
        attributes[name.lower()] = value
    return attributes


# ------------------------------------------------------------ cookies


async def test_the_session_cookie_is_http_only_same_site_lax_and_secure(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Rita Resident")
    for name, variables in [
        ("LogIn", {"email": "rita.resident@example.org", "password": PASSWORD}),
    ]:
        response = await send(client, name, input=variables)
        header = session_cookie(response)
        attributes = cookie_attributes(header)
        assert "httponly" in attributes, header
        assert attributes["samesite"].lower() == "lax", header
        assert "secure" in attributes, header
        assert attributes["path"] == "/", header
        assert int(attributes["max-age"]) > 0


async def test_the_session_secret_is_kept_only_as_a_digest(client: httpx.AsyncClient, people: People) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    secret = client.cookies[COOKIE]
    assert len(secret) >= 32
    for row in await Session.all().values():
        assert not any(secret in str(value) for value in row.values())


async def test_signing_in_rotates_the_session(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Sam Smith", email="sam@example.org")
    await log_in(client, "sam@example.org")
    before = client.cookies[COOKIE]
    assert await email_of_viewer(client) == "sam@example.org"

    result = await log_in(client, "sam@example.org")
    assert result["logIn"]["errors"] == []
    after = client.cookies[COOKIE]
    assert after != before

    elsewhere = browser()
    assert await email_of_viewer(elsewhere, cookie=before) is None
    assert await email_of_viewer(elsewhere, cookie=after) == "sam@example.org"
    assert await Session.filter(kind=CredentialKind.COOKIE).count() == 1


async def test_a_session_planted_before_sign_in_is_worth_nothing_after(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    # Someone signs in in a browser, keeps the cookie, and leaves it for the victim.
    await people.make("Mallory Mischief")
    await log_in(client, "mallory.mischief@example.org")
    planted = client.cookies[COOKIE]
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")

    assert await email_of_viewer(browser(), cookie=planted) is None
    assert await email_of_viewer(client) == "rita.resident@example.org"


async def test_a_session_expires_after_thirty_days(
    client: httpx.AsyncClient, people: People, clock: ManualClock
) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    clock.advance(days=29)
    assert await email_of_viewer(client) == "rita.resident@example.org"
    clock.advance(days=2)
    assert await email_of_viewer(client) is None


@pytest.mark.parametrize(
    "cookie",
    [pytest.param("", id="empty"), pytest.param("forged", id="forged"), pytest.param(HUGE, id="100-kB")],
)
async def test_an_unknown_session_cookie_is_anonymous(client: httpx.AsyncClient, cookie: str) -> None:
    assert await email_of_viewer(client, cookie=cookie) is None


# -------------------------------------------------------------- logIn


async def test_logging_in(client: httpx.AsyncClient, people: People) -> None:
    rita = await people.make("Rita Resident")
    before = await Session.filter(user_id=rita.user.id, kind=CredentialKind.COOKIE).count()
    result = (await log_in(client, " Rita.Resident@Example.org "))["logIn"]
    assert result["errors"] == []
    assert result["viewer"]["email"] == "rita.resident@example.org"
    assert result["viewer"]["user"]["displayName"] == "Rita Resident"
    assert await email_of_viewer(client) == "rita.resident@example.org"
    assert await Session.filter(user_id=rita.user.id, kind=CredentialKind.COOKIE).count() == before + 1


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("rita.resident@example.org", "not the password", id="wrong-password"),
        pytest.param("nobody@example.org", PASSWORD, id="unknown-address"),
        pytest.param("rita.resident@example.org", HUGE, id="100-kB-password"),
        pytest.param("rita.resident@example.org", PASSWORD.upper(), id="password-in-capitals"),
    ],
)
async def test_a_wrong_sign_in_says_only_that_it_is_wrong(
    client: httpx.AsyncClient, people: People, email: str, password: str
) -> None:
    await people.make("Rita Resident")
    result = await log_in(client, email, password)
    error = error_of(result)
    assert error["code"] == "UNAUTHENTICATED"
    assert error["field"] is None
    assert error["message"] == "The email address or the password is wrong."
    assert COOKIE not in client.cookies


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        pytest.param("", PASSWORD, "email", id="empty-email"),
        pytest.param("   ", PASSWORD, "email", id="blank-email"),
        pytest.param("rita.resident@example.org", "", "password", id="empty-password"),
        pytest.param(HUGE + "@example.org", PASSWORD, "email", id="100-kB-email"),
        pytest.param("rita\x00@example.org", PASSWORD, "email", id="nul-in-email"),
        pytest.param("not an address", PASSWORD, "email", id="malformed-email"),
    ],
)
async def test_log_in_refuses_bad_input(
    client: httpx.AsyncClient, people: People, email: str, password: str, field: str
) -> None:
    await people.make("Rita Resident")
    sessions_before = await Session.all().count()
    attempts_before = await LoginAttempt.all().count()
    error = error_of(await log_in(client, email, password))
    assert (error["code"], error["field"]) == ("INVALID", field)
    assert COOKIE not in client.cookies
    assert await Session.all().count() == sessions_before
    # What cannot be an attempt at an account is not counted as one.
    assert await LoginAttempt.all().count() == attempts_before


async def test_sign_in_attempts_are_limited_per_account_and_client_counting_every_alias(
    client: httpx.AsyncClient, browser: Browser, people: People, clock: ManualClock
) -> None:
    await people.make("Sam", email="sam@x.org")
    aliases = ["Sam@x.org", "sam+a@x.org", "SAM@X.ORG", " sam@x.org", "sam+news@X.org"]
    for attempt in range(throttle.LIMITS["password"].per_pair):
        error = error_of(await log_in(client, aliases[attempt % len(aliases)], "wrong password"))
        assert error["code"] == "UNAUTHENTICATED", attempt

    # Over the limit even the right password is refused from this client, whichever alias is typed.
    for alias in ("sam@x.org", "Sam+other@X.org"):
        error = error_of(await log_in(client, alias, PASSWORD))
        assert error["code"] == "RATE_LIMITED"
        assert "link sent by email" in error["message"]
    assert COOKIE not in client.cookies

    # Another account from the same client is not held up, nor the same account from another.
    await people.make("Rita Resident")
    assert (await log_in(client, "rita.resident@example.org"))["logIn"]["errors"] == []
    elsewhere = browser(("203.0.113.7", 40000))
    assert (await log_in(elsewhere, "sam@x.org"))["logIn"]["viewer"]["email"] == "sam@x.org"

    clock.advance(minutes=16)
    assert (await log_in(client, "sam@x.org"))["logIn"]["viewer"]["email"] == "sam@x.org"


async def test_gmail_addresses_count_dotted_and_googlemail_spellings_as_one_account(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Sam", email="samsmith@gmail.com")
    aliases = ["sam.smith@gmail.com", "S.A.M.Smith@googlemail.com", "samsmith+x@gmail.com"]
    for attempt in range(throttle.LIMITS["password"].per_pair):
        await log_in(client, aliases[attempt % len(aliases)], "wrong password")
    error = error_of(await log_in(client, "samsmith@gmail.com", PASSWORD))
    assert error["code"] == "RATE_LIMITED"


async def test_a_successful_sign_in_clears_the_clients_failed_attempts(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Sam", email="sam@x.org")
    for _ in range(throttle.LIMITS["password"].per_pair - 1):
        await log_in(client, "sam@x.org", "wrong password")
    assert (await log_in(client, "sam@x.org"))["logIn"]["errors"] == []
    for _ in range(throttle.LIMITS["password"].per_pair - 1):
        assert error_of(await log_in(client, "sam@x.org", "wrong password"))["code"] == "UNAUTHENTICATED"
    assert (await log_in(client, "sam@x.org"))["logIn"]["errors"] == []


async def test_sign_in_attempts_are_limited_per_client(
    client: httpx.AsyncClient, browser: Browser, people: People, clock: ManualClock
) -> None:
    await people.make("Rita Resident")
    for attempt in range(throttle.PER_CLIENT):
        error = error_of(await log_in(client, f"guess{attempt}@example.org", "wrong password"))
        assert error["code"] == "UNAUTHENTICATED", attempt
    error = error_of(await log_in(client, "rita.resident@example.org"))
    assert error["code"] == "RATE_LIMITED"

    other_client = browser(("203.0.113.7", 40000))
    assert (await log_in(other_client, "rita.resident@example.org"))["logIn"]["errors"] == []

    clock.advance(minutes=16)
    assert (await log_in(client, "rita.resident@example.org"))["logIn"]["errors"] == []


def attacker(browser: Browser, n: int) -> httpx.AsyncClient:
    return browser((f"198.51.{n // 250}.{n % 250 + 1}", 40000))


async def test_failures_from_many_clients_never_lock_out_the_owner(
    client: httpx.AsyncClient,
    browser: Browser,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    await people.make("Sam", email="sam@x.org")
    laptop = client
    assert (await log_in(laptop, "sam@x.org"))["logIn"]["errors"] == []
    await send(laptop, "LogOut")

    # Wrong passwords from more addresses than the account's ceiling for strangers allows.
    for n in range(throttle.LIMITS["password"].per_account + 1):
        await log_in(attacker(browser, n), "sam@x.org", "wrong password")
    assert error_of(await log_in(attacker(browser, 999), "sam@x.org"))["code"] == "RATE_LIMITED"

    # The browser Sam signed in with before is not held up by anyone else's failures...
    assert (await log_in(laptop, "sam@x.org"))["logIn"]["viewer"]["email"] == "sam@x.org"

    # ...and on a new phone, the emailed link always works: password failures never block it.
    phone = browser(("192.0.2.55", 40000))
    assert error_of(await log_in(phone, "sam@x.org"))["code"] == "RATE_LIMITED"
    assert await request_link(phone, "sam@x.org") == {"requestMagicLink": {"errors": []}}
    token = await mailed_token(mailer, sealer, clock, "sam@x.org")
    assert payload(await use_link(phone, token))["viewer"]["email"] == "sam@x.org"
    # Having signed in there, the phone is a known device from now on.
    await send(phone, "LogOut")
    assert (await log_in(phone, "sam@x.org"))["logIn"]["errors"] == []


async def test_a_known_device_is_not_held_up_by_others_failures_from_its_own_network(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Sam", email="sam@x.org")
    assert (await log_in(client, "sam@x.org"))["logIn"]["errors"] == []
    # Someone behind the same address (a shared network) uses up its allowance for everyone.
    neighbour = browser()
    for n in range(throttle.PER_CLIENT + 1):
        await log_in(neighbour, f"guess{n}@x.org", "wrong password")
    assert error_of(await log_in(neighbour, "sam@x.org"))["code"] == "RATE_LIMITED"
    assert (await log_in(client, "sam@x.org"))["logIn"]["errors"] == []


async def test_a_known_device_is_still_limited_by_its_own_failures(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Sam", email="sam@x.org")
    await log_in(client, "sam@x.org")
    for _ in range(throttle.LIMITS["password"].per_pair):
        assert error_of(await log_in(client, "sam@x.org", "wrong password"))["code"] == "UNAUTHENTICATED"
    assert error_of(await log_in(client, "sam@x.org"))["code"] == "RATE_LIMITED"


async def test_a_forged_device_cookie_counts_as_no_device(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Sam", email="sam@x.org")
    for n in range(throttle.LIMITS["password"].per_account + 1):
        await log_in(attacker(browser, n), "sam@x.org", "wrong password")
    forger = browser()
    forger.cookies.set(DEVICE, "made-up-device")
    assert error_of(await log_in(forger, "sam@x.org"))["code"] == "RATE_LIMITED"


async def test_the_device_cookie_is_http_only_same_site_lax_secure_and_long_lived(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Rita Resident")
    response = await send(client, "LogIn", input={"email": "rita.resident@example.org", "password": PASSWORD})
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{DEVICE}=")]
    attributes = cookie_attributes(header)
    assert {"httponly", "secure"} <= attributes.keys()
    assert attributes["samesite"].lower() == "lax"
    assert int(attributes["max-age"]) >= 300 * 24 * 3600
    device = client.cookies[DEVICE]
    # Signing out ends the session, not the device; signing in again keeps the same device.
    await send(client, "LogOut")
    await log_in(client, "rita.resident@example.org")
    assert client.cookies[DEVICE] == device
    assert await KnownDevice.all().count() == 1
    assert device not in str(await KnownDevice.all().values())


async def test_sign_in_attempts_keep_no_address_in_clear(client: httpx.AsyncClient, people: People) -> None:
    await people.make("Rita Resident")
    await log_in(client, "Rita.Resident+news@example.org", "wrong password")
    await request_link(client, "rita.resident@example.org")
    rows = str([*await LoginAttempt.all().values(), *await KnownDevice.all().values()])
    assert "rita" not in rows.lower()
    assert await LoginAttempt.all().count() == 2
    # Erasure code names the account by its key to forget it.
    await throttle.forget_attempts("account", throttle.account_key("rita.resident@example.org"))
    assert await LoginAttempt.all().count() == 0


# ------------------------------------------------------------- logOut


async def test_logging_out_ends_the_session(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    secret = client.cookies[COOKIE]

    response = await send(client, "LogOut")
    assert response.json()["data"] == {"logOut": {"errors": []}}
    attributes = cookie_attributes(session_cookie(response))
    assert attributes["max-age"] == "0"
    # Cleared with the attributes it was set with, so the browser replaces it.
    assert {"httponly", "secure", "samesite", "path"} <= attributes.keys()
    assert COOKIE not in client.cookies
    assert await email_of_viewer(client) is None
    # The secret itself is dead, not only forgotten by this browser.
    assert await email_of_viewer(browser(), cookie=secret) is None
    assert not await Session.exists(token_hash=digest(secret))


async def test_logging_out_in_one_browser_leaves_the_others_signed_in(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Rita Resident")
    laptop, phone = client, browser()
    await log_in(laptop, "rita.resident@example.org")
    await log_in(phone, "rita.resident@example.org")
    await send(laptop, "LogOut")
    assert await email_of_viewer(laptop) is None
    assert await email_of_viewer(phone) == "rita.resident@example.org"


async def test_logging_out_anonymously_is_unauthenticated(client: httpx.AsyncClient) -> None:
    response = await send(client, "LogOut")
    error = error_of(response.json()["data"])
    assert error["code"] == "UNAUTHENTICATED"


# ------------------------------------------------------------ bearer tokens


async def test_an_api_token_works_as_a_bearer_token_until_logged_out(
    client: httpx.AsyncClient, browser: Browser, people: People
) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    created = payload(
        (await send(client, "CreateApiToken", input={"label": "Reporting script"})).json()["data"]
    )
    token = created["token"]

    api_client = GraphQL(browser())
    me = await api_client("Viewer", as_=token)
    assert me["viewer"]["email"] == "rita.resident@example.org"

    response = await api_client.client.post(
        "/graphql", json={"query": operation("LogOut")}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json()["data"] == {"logOut": {"errors": []}}
    # A bearer client has no cookie to clear.
    assert "set-cookie" not in response.headers
    assert (await api_client("Viewer", as_=token))["viewer"] is None
    assert not await Session.filter(kind=CredentialKind.API_TOKEN, label="Reporting script").exists()

    # The browser session it was made from lives on.
    assert await email_of_viewer(client) == "rita.resident@example.org"


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer forged", id="forged"),
        pytest.param("Bearer ", id="empty"),
        pytest.param("Bearer " + HUGE, id="100-kB"),
        pytest.param("Basic cml0YTpwYXNzd29yZA==", id="basic"),
    ],
)
async def test_an_unknown_bearer_token_is_anonymous(
    gql: GraphQL, client: httpx.AsyncClient, authorization: str
) -> None:
    body = await gql.raw(operation("Viewer"), headers={"Authorization": authorization})
    assert body == {"data": {"viewer": None}}


async def test_an_api_token_is_not_a_cookie_and_outlives_one(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    clock.advance(days=60)
    assert (await gql("Viewer", as_=rita.token))["viewer"]["email"] == "rita.resident@example.org"


# -------------------------------------------------------------- magic links


async def request_link(http: httpx.AsyncClient, email: str) -> dict[str, Any]:
    result: dict[str, Any] = (await send(http, "RequestMagicLink", input={"email": email})).json()["data"]
    return result


async def mailed_token(mailer: RecordingMailer, sealer: Sealer, clock: ManualClock, address: str) -> str:
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (letter,) = mailer.to(address)
    mailer.letters.remove(letter)
    match = re.search(r"[?&]token=([A-Za-z0-9_-]+)", letter.body)
    assert match, letter.body
    return match.group(1)


async def use_link(http: httpx.AsyncClient, token: str) -> dict[str, Any]:
    result: dict[str, Any] = (await send(http, "LogInWithMagicLink", input={"token": token})).json()["data"]
    return result


async def test_a_sign_in_link_signs_in_once(
    client: httpx.AsyncClient,
    browser: Browser,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    await people.make("Rita Resident")
    assert await request_link(client, "Rita.Resident@example.org") == {"requestMagicLink": {"errors": []}}
    token = await mailed_token(mailer, sealer, clock, "rita.resident@example.org")

    phone = browser()
    response = await send(phone, "LogInWithMagicLink", input={"token": token})
    result = payload(response.json()["data"])
    assert result["errors"] == []
    assert result["viewer"]["email"] == "rita.resident@example.org"
    assert "secure" in cookie_attributes(session_cookie(response))
    assert await email_of_viewer(phone) == "rita.resident@example.org"

    again = error_of(await use_link(browser(), token))
    assert (again["code"], again["field"]) == ("INVALID", "token")


async def test_a_sign_in_link_rotates_the_session_it_is_used_in(
    client: httpx.AsyncClient,
    browser: Browser,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    before = client.cookies[COOKIE]
    await request_link(client, "rita.resident@example.org")
    await use_link(client, await mailed_token(mailer, sealer, clock, "rita.resident@example.org"))
    assert client.cookies[COOKIE] != before
    assert await email_of_viewer(browser(), cookie=before) is None
    assert await email_of_viewer(client) == "rita.resident@example.org"


async def test_asking_for_a_link_answers_the_same_whether_or_not_the_account_exists(
    client: httpx.AsyncClient, people: People, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    known = await request_link(client, "rita.resident@example.org")
    unknown = await request_link(client, "nobody@example.org")
    assert known == unknown == {"requestMagicLink": {"errors": []}}

    (link,) = await Notification.filter(kind=NotificationKind.MAGIC_LINK)
    assert link.recipient_id == rita.user.id
    # The address without an account is told so, with the way to register, and no link.
    (no_account,) = await Notification.filter(kind=NotificationKind.NO_ACCOUNT)
    assert no_account.sealed_link is None
    assert no_account.url == "/#/register"
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (letter,) = mailer.to("nobody@example.org")
    assert "token=" not in letter.body
    # Account mail is not listed among anyone's notifications.
    assert await Notification.filter(listed=True).count() == 0


async def test_asking_for_a_link_does_the_same_work_whether_or_not_the_account_exists(
    client: httpx.AsyncClient, people: People
) -> None:
    await people.make("Rita Resident")
    await request_link(client, "warm.up@example.org")
    with QueryCounter() as known:
        await request_link(client, "rita.resident@example.org")
    with QueryCounter() as unknown:
        await request_link(client, "nobody@example.org")
    assert known.count > 0
    # The same statements, in the same order; only the values sent with them differ.
    assert [s.partition(": [")[0] for s in known.statements] == [
        s.partition(": [")[0] for s in unknown.statements
    ]


async def test_asking_for_links_is_limited_the_same_for_known_and_unknown_addresses(
    client: httpx.AsyncClient, browser: Browser, people: People, clock: ManualClock
) -> None:
    await people.make("Rita Resident")
    limits = throttle.LIMITS["mail"]
    for address in ("rita.resident@example.org", "nobody@example.org"):
        for _ in range(limits.per_pair):
            assert await request_link(client, address) == {"requestMagicLink": {"errors": []}}
        error = error_of(await request_link(client, address))
        assert error["code"] == "RATE_LIMITED"
        assert "use the newest one" in error["message"]
        # From elsewhere, up to the ceiling that bounds the mail one address can be sent.
        for n in range(limits.per_account - limits.per_pair - 1):
            assert await request_link(attacker(browser, n), address) == {"requestMagicLink": {"errors": []}}
        assert error_of(await request_link(attacker(browser, 99), address))["code"] == "RATE_LIMITED"
    clock.advance(minutes=16)
    assert await request_link(client, "Rita.Resident@example.org") == {"requestMagicLink": {"errors": []}}


async def test_a_known_device_gets_its_link_however_many_others_asked_for(
    client: httpx.AsyncClient,
    browser: Browser,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    await people.make("Rita Resident")
    await log_in(client, "rita.resident@example.org")
    for n in range(throttle.LIMITS["mail"].per_account + 1):
        await request_link(attacker(browser, n), "rita.resident@example.org")
    assert await request_link(client, "rita.resident@example.org") == {"requestMagicLink": {"errors": []}}


async def test_a_sign_in_link_is_stored_hashed_and_mailed_sealed(
    client: httpx.AsyncClient,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    await people.make("Rita Resident")
    await request_link(client, "rita.resident@example.org")

    (waiting,) = await Notification.filter(kind=NotificationKind.MAGIC_LINK)
    assert waiting.sealed_link is not None
    assert "token=" not in waiting.sealed_link
    unsealed = sealer.unseal(waiting.sealed_link)
    assert unsealed is not None
    match = re.search(r"token=([A-Za-z0-9_-]+)", unsealed)
    assert match
    raw_before_delivery = match.group(1)

    async def stored_anywhere(raw: str) -> bool:
        rows = [*await MagicLinkToken.all().values(), *await Notification.all().values()]
        return any(raw in str(value) for row in rows for value in row.values())

    assert not await stored_anywhere(raw_before_delivery)

    mailed = await mailed_token(mailer, sealer, clock, "rita.resident@example.org")
    assert mailed == raw_before_delivery
    assert not await stored_anywhere(mailed)
    (token,) = await MagicLinkToken.all()
    assert token.token_hash != mailed


async def test_a_sign_in_link_expires_after_fifteen_minutes(
    client: httpx.AsyncClient,
    browser: Browser,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    rita = await people.make("Rita Resident")
    await request_link(client, "rita.resident@example.org")
    late = await mailed_token(mailer, sealer, clock, "rita.resident@example.org")
    await request_link(client, "rita.resident@example.org")
    in_time = await mailed_token(mailer, sealer, clock, "rita.resident@example.org")

    clock.advance(minutes=14)
    assert payload(await use_link(browser(), in_time))["errors"] == []
    clock.advance(minutes=2)
    error = error_of(await use_link(browser(), late))
    assert (error["code"], error["field"]) == ("INVALID", "token")
    assert await Session.filter(user_id=rita.user.id, kind=CredentialKind.COOKIE).count() == 1


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("forged", id="forged"),
        pytest.param(HUGE, id="100-kB"),
        pytest.param("tok\x00en", id="nul"),
    ],
)
async def test_a_sign_in_link_that_was_never_sent_is_invalid(
    client: httpx.AsyncClient, people: People, token: str
) -> None:
    await people.make("Rita Resident")
    error = error_of(await use_link(client, token))
    assert (error["code"], error["field"]) == ("INVALID", "token")
    assert COOKIE not in client.cookies


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("", id="empty"),
        pytest.param("rita", id="no-at-sign"),
        pytest.param("rita@", id="no-domain"),
        pytest.param("rita\x00@example.org", id="nul"),
        pytest.param(HUGE + "@example.org", id="100-kB"),
    ],
)
async def test_asking_for_a_link_refuses_malformed_addresses(
    client: httpx.AsyncClient, people: People, email: str
) -> None:
    await people.make("Rita Resident")
    error = error_of(await request_link(client, email))
    assert (error["code"], error["field"]) == ("INVALID", "email")
    assert await MagicLinkToken.all().count() == 0
    assert await Notification.all().count() == 0


async def test_one_sign_in_link_used_twice_at_once_makes_one_session(
    browser: Browser,
    client: httpx.AsyncClient,
    people: People,
    mailer: RecordingMailer,
    sealer: Sealer,
    clock: ManualClock,
) -> None:
    rita = await people.make("Rita Resident")
    await request_link(client, "rita.resident@example.org")
    token = await mailed_token(mailer, sealer, clock, "rita.resident@example.org")
    sessions_before = await Session.filter(user_id=rita.user.id).count()

    results = await asyncio.gather(use_link(browser(), token), use_link(browser(), token))
    outcomes = sorted("ok" if payload(r)["errors"] == [] else error_of(r)["code"] for r in results)
    assert outcomes == ["INVALID", "ok"]
    assert await Session.filter(user_id=rita.user.id).count() == sessions_before + 1


async def test_signing_in_with_a_bearer_token_leaves_the_token_working(
    client: httpx.AsyncClient, gql: GraphQL, people: People
) -> None:
    rita = await people.make("Rita Resident")
    signed_in = await gql("LogIn", as_=rita.token, input={"email": rita.user.email, "password": PASSWORD})
    assert payload(signed_in)["viewer"]["email"] == rita.user.email
    # The API client's token is not a browser session: a sign-in does not rotate it away.
    still = await gql("Viewer", as_=rita.token)
    assert still["viewer"]["email"] == rita.user.email


async def test_registrations_count_against_the_clients_allowance(gql: GraphQL) -> None:
    for n in range(throttle.PER_CLIENT):
        result = await gql(
            "Register", input={"email": f"new{n}@example.org", "password": PASSWORD, "displayName": "New"}
        )
        assert payload(result)["errors"] == [], n
    refused = await gql(
        "Register", input={"email": "one.more@example.org", "password": PASSWORD, "displayName": "One"}
    )
    assert error_of(refused)["code"] == "RATE_LIMITED"
    assert await User.filter(email="one.more@example.org").count() == 0
