"""Sessions as the account service keeps them: looked up by digest, refreshed sparingly."""

from __future__ import annotations

from backend.clock import ManualClock
from backend.models import Session
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


async def test_an_api_token_lasts_a_year(people: People, clock: ManualClock) -> None:
    rita = await people.make("Rita Resident")
    signed_in = await accounts.create_api_token(Actor(user=rita.user), label="script", now=clock.now())
    assert signed_in.session.expires_at - clock.now() == accounts.API_TOKEN_LIFETIME
    clock.advance(days=364)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is not None
    clock.advance(days=1, seconds=1)
    assert await accounts.authenticate(signed_in.secret, now=clock.now()) is None
