"""One-click unsubscribe: the address a mail carries turns off the setting that sent it, by the
page's button or by a mail client's own RFC 8058 request; following it (GET) changes nothing,
and a token that is not ours is answered with a clear 400, never an error.
"""

from __future__ import annotations

import httpx
import pytest

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.models import Notification, User
from backend.models.enums import Delivery, DigestFrequency, NotificationKind
from backend.services import notifications, unsubscribe
from backend.services.notification_kinds import Preference
from support import PASSWORD, People, RecordingMailer

PUBLIC_URL = "https://rungs.test"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}
JSON = {"Accept": "application/json"}
DIGEST = {
    "frequency": "weekly",
    "since": "Monday 2 March",
    "groups": [],
    "upcoming": [],
    "next_step": None,
    "problems": [
        {
            "title": "Broken lamps on the towpath",
            "status": "accepted: analysis",
            "news": ["Riverside Council accepted it"],
            "url": "https://rungs.test/#/problems/UHJvYmxlbToz",
        }
    ],
}


async def settings_of(user: User) -> tuple[bool, bool, DigestFrequency]:
    fresh = await User.get(id=user.id)
    return fresh.email_notifications, fresh.task_reminders, fresh.digest


async def follower(people: People) -> User:
    user = (await people.make("Fay Follower")).user
    await User.filter(id=user.id).update(digest=DigestFrequency.WEEKLY)
    return user


async def digest_for(user: User, clock: ManualClock, week: str) -> Notification | None:
    return await notifications.notify(
        NotificationKind.PROGRESS_DIGEST,
        user,
        subject="digest",
        occurrence=week,
        now=clock.now(),
        context=DIGEST,
    )


def path_of(address: str) -> str:
    assert address.startswith(f"{PUBLIC_URL}/unsubscribe/"), address
    return address.removeprefix(PUBLIC_URL)


async def test_a_mail_clients_one_click_request_turns_off_the_kind_the_mail_was(
    client: httpx.AsyncClient, people: People, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    fay = await follower(people)
    await digest_for(fay, clock, "2026-W10")
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (letter,) = mailer.letters
    assert letter.unsubscribe is not None

    # What a mail client sends (RFC 8058): a POST to the List-Unsubscribe address, no cookies.
    answer = await client.post(path_of(letter.unsubscribe), data=ONE_CLICK)

    assert answer.status_code == 200
    assert answer.json() == {
        "valid": True,
        "preference": "DIGEST",
        "turnsOff": "progress digests",
        "preferences": f"{PUBLIC_URL}/#/profile",
        "turnedOff": True,
    }
    assert await settings_of(fay) == (True, True, DigestFrequency.NEVER)
    next_week = await digest_for(fay, clock, "2026-W11")
    assert next_week is not None
    await notifications.deliver_due(mailer, sealer, clock=clock)
    skipped = await Notification.get(id=next_week.id)
    assert skipped.delivery == Delivery.SKIPPED
    assert len(mailer.letters) == 1


async def test_following_the_link_changes_nothing_and_opens_the_page(
    client: httpx.AsyncClient, people: People
) -> None:
    fay = await follower(people)
    token = unsubscribe.token(fay.id, Preference.DIGEST)

    opened = await client.get(f"/unsubscribe/{token}")
    asked = await client.get(f"/unsubscribe/{token}", headers=JSON)

    assert opened.status_code == 303
    assert opened.headers["location"] == f"/#/unsubscribe/{token}"
    assert opened.headers["cache-control"] == "private, no-store"
    assert asked.status_code == 200
    assert asked.json()["turnsOff"] == "progress digests"
    assert asked.json()["turnedOff"] is False
    assert await settings_of(fay) == (True, True, DigestFrequency.WEEKLY)


@pytest.mark.parametrize(
    ("preference", "turns_off", "after"),
    [
        (Preference.EMAIL, "email notifications", (False, True, DigestFrequency.WEEKLY)),
        (Preference.TASK_REMINDERS, "task reminders", (True, False, DigestFrequency.WEEKLY)),
        (Preference.DIGEST, "progress digests", (True, True, DigestFrequency.NEVER)),
    ],
)
async def test_the_pages_button_turns_off_that_setting_alone_and_again_changes_nothing(
    client: httpx.AsyncClient,
    people: People,
    preference: Preference,
    turns_off: str,
    after: tuple[bool, bool, DigestFrequency],
) -> None:
    fay = await follower(people)
    address = path_of(unsubscribe.address(fay.id, preference))

    first = await client.post(address, data=ONE_CLICK)
    again = await client.post(address, data=ONE_CLICK)

    assert [first.status_code, again.status_code] == [200, 200]
    assert first.json()["turnsOff"] == again.json()["turnsOff"] == turns_off
    assert await settings_of(fay) == after


def tampered(token: str, other_user: int) -> list[str]:
    user_id, code, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [
        f"{user_id}.{code}.{flipped}",
        f"{other_user}.{code}.{signature}",
        f"{user_id}.email.{signature}",
        f"{user_id}.{code}.{signature[:-4]}",
        f"{user_id}.{code}",
        f"{user_id}.everything.{signature}",
        f"-{user_id}.{code}.{signature}",
        f"{'9' * 40}.{code}.{signature}",
        f"{user_id}..",
        "%C3%A9t%C3%A9",
        "x" * 300,
    ]


async def test_a_tampered_token_is_answered_clearly_and_turns_nothing_off(
    client: httpx.AsyncClient, people: People
) -> None:
    fay = await follower(people)
    other = (await people.make("Olly Other")).user
    token = unsubscribe.token(fay.id, Preference.DIGEST)
    before = await settings_of(other)

    for bad in tampered(token, other.id):
        asked = await client.get(f"/unsubscribe/{bad}", headers=JSON)
        posted = await client.post(f"/unsubscribe/{bad}", data=ONE_CLICK)
        opened = await client.get(f"/unsubscribe/{bad}")

        # The page's question is answered; the request to turn something off is refused.
        assert [asked.status_code, posted.status_code] == [200, 400], bad
        assert asked.json()["valid"] is posted.json()["valid"] is False, bad
        assert posted.json()["error"].startswith("This unsubscribe link is not valid"), bad
        # The page says so; following a link never answers with an error of its own.
        assert opened.status_code == 303, bad
    assert await settings_of(fay) == (True, True, DigestFrequency.WEEKLY)
    assert await settings_of(other) == before


async def test_the_link_of_an_erased_account_is_not_valid(
    client: httpx.AsyncClient, people: People, clock: ManualClock
) -> None:
    from backend.services import accounts
    from backend.services.actors import Actor

    fay = await follower(people)
    address = path_of(unsubscribe.address(fay.id, Preference.EMAIL))
    await accounts.erase_account(Actor(user=fay), password=PASSWORD, now=clock.now())

    asked = await client.get(address, headers=JSON)
    posted = await client.post(address, data=ONE_CLICK)

    assert [asked.json()["valid"], posted.status_code] == [False, 400]
