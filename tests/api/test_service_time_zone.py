"""The web interface shows times in the service's zone, whatever zone the browser is in:
the API says which one it is, from the TIME_ZONE setting."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from backend.app import create_app
from backend.clock import ManualClock
from backend.settings import Settings
from conftest import PUBLIC_URL
from support import GraphQL

pytestmark = pytest.mark.usefixtures("clean_db")


async def test_the_service_names_its_default_zone_to_anyone(gql: GraphQL) -> None:
    assert await gql("ServiceTimeZone") == {"timeZone": "Europe/London"}


async def test_the_service_names_the_zone_it_is_set_to(settings: Settings) -> None:
    app = create_app(
        dataclasses.replace(settings, time_zone="America/New_York"),
        clock=ManualClock(),
        manage_database=False,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        assert await GraphQL(client)("ServiceTimeZone") == {"timeZone": "America/New_York"}
