"""Sessions as the account service keeps them: looked up by digest, refreshed sparingly; and what
the service forgets in time: unconfirmed addresses, old sign-in attempts and devices."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.auth import throttle
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.errors import Invalid
from backend.models import KnownDevice, LoginAttempt, Notification, Session, User
from backend.services import accounts
from backend.services.actors import Actor
from support import People


async def test_reading_with_a_session_does_not_write_more_than_hourly(
    people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    signed_in = await accounts.create_api_token(Actor(user=rita.user), label="script", now=clock.now())
    created_at = clock.now()

    clock.advance(minutes=59)
    session = await accounts.authenticate(signed_in.secret, now=clock.now())
    assert session is not None and session.user.id == rita.user.id
    assert (await Session.get(id=signed_in.session.id)).last_seen_at == created_at

    clock.advance(minutes=2)
    await accounts.authenticate(signed_in.secret, now=clock.now())
    assert (await Session.get(id=signed_in.session.id)).last_seen_at == clock.now()


async def test_a_session_is_found_only_by_its_secret_and_only_while_it_lasts(
    people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    signed_in = await accounts.log_in(
        Actor(), email=rita.user.email, password="correct horse battery staple", now=clock.now()
    )
    assert await accounts.authenticate(signed_in.session.token_hash, now=clock.now()) is None
    assert await accounts.authenticate(signed_in.secret.upper(), now=clock.now()) is None
    assert await accounts.authenticate("", now=clock.now()) is None

    clock.advance(seconds=accounts.SESSION_LIFETIME.total_seconds() - 1)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is not None
    clock.advance(seconds=1)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is None


async def test_an_api_token_lasts_ninety_days_by_default(people: People, clock: ManualClock) -> None:
    rita = await people.make("Rita Resident")
    signed_in = await accounts.create_api_token(Actor(user=rita.user), label="script", now=clock.now())
    assert signed_in.session.expires_at - clock.now() == timedelta(days=90)
    clock.advance(days=90, seconds=-1)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is not None
    clock.advance(seconds=1)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is None


async def test_an_api_token_lasts_the_days_asked_for_up_to_the_longest_allowed(
    people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    actor = Actor(user=rita.user)
    week = await accounts.create_api_token(actor, label="script", now=clock.now(), days=7, longest_days=30)
    assert week.session.expires_at == clock.now() + timedelta(days=7)
    longest = await accounts.create_api_token(actor, label="script", now=clock.now(), longest_days=30)
    assert longest.session.expires_at == clock.now() + timedelta(days=30)
    for days in (0, -1, 31):
        with pytest.raises(Invalid) as refused:
            await accounts.create_api_token(
                actor, label="script", now=clock.now(), days=days, longest_days=30
            )
        assert refused.value.field == "expiresInDays"
        assert refused.value.message == "The number of days must be between 1 and 30"


async def test_addresses_nobody_confirmed_are_forgotten_once_their_links_are_of_no_use(
    people: People, clock: ManualClock, sealer: Sealer
) -> None:
    await people.make("Rita Resident")

    async def register(address: str) -> None:
        await accounts.register(
            Actor(),
            email=address,
            password="tangerine viaduct shoelace",
            display_name="Someone",
            home_area_id=None,
            now=clock.now(),
            sealer=sealer,
        )

    await register("early@example.org")
    await register("again@example.org")
    await register("rita.resident@example.org")
    clock.advance(hours=23)
    await register("late@example.org")
    # Registered again: the newer link keeps the address.
    await register("again@example.org")
    await accounts.forget_unconfirmed_addresses(clock.now())
    assert await User.all().count() == 4
    clock.advance(hours=2)
    await accounts.forget_unconfirmed_addresses(clock.now())
    assert sorted(await User.all().values_list("email", flat=True)) == [
        "again@example.org",
        "late@example.org",
        "rita.resident@example.org",
    ]
    # What pointed at the forgotten row (its mail, its link) goes with it.
    assert await Notification.filter(recipient__email="early@example.org").count() == 0


async def test_pruning_forgets_old_attempts_and_devices_unused_for_a_year(
    clock: ManualClock, clean_db: None
) -> None:
    key = throttle.account_key("sam@example.org")
    client = await throttle.client_of(key, address="192.0.2.1", device=None)
    await throttle.count_attempt("mail", key, client, now=clock.now())
    await throttle.signed_in(key, client, device="a device secret", now=clock.now())
    clock.advance(minutes=16)
    assert await throttle.prune(clock.now()) == 1
    assert await LoginAttempt.all().count() == 0
    assert await KnownDevice.all().count() == 1
    clock.advance(days=366)
    assert await throttle.prune(clock.now()) == 1
    assert await KnownDevice.all().count() == 0
