"""What the web interface learns about the installation: guidance and maps, from the settings."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from starlette.applications import Starlette

from backend.app import create_app
from backend.clock import ManualClock
from backend.settings import Guidance, MapSettings, Settings
from conftest import PUBLIC_URL
from support import GraphQL

pytestmark = pytest.mark.usefixtures("clean_db")


async def test_anyone_learns_the_default_guidance_and_openstreetmap(gql: GraphQL) -> None:
    site = (await gql("Site"))["site"]
    assert site == {
        "emergencyGuidance": "In an emergency call 999; to report a crime call 101 or report online.",
        "crimeReportUrl": None,
        "map": {
            "tileUrl": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "attribution": "© OpenStreetMap contributors",
            "attributionUrl": "https://www.openstreetmap.org/copyright",
            "centre": {"latitude": 54.0, "longitude": -2.5},
            "zoom": 6,
            "geocodingUrl": None,
        },
    }


def app_with(settings: Settings, **changes: object) -> Starlette:
    return create_app(dataclasses.replace(settings, **changes), clock=ManualClock(), manage_database=False)


async def test_the_configured_words_maps_and_hosts_reach_the_browser(settings: Settings) -> None:
    app = app_with(
        settings,
        guidance=Guidance(
            emergency="Ring 999 in an emergency.", crime_report_url="https://police.example/report"
        ),
        map=MapSettings(
            tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
            attribution="Tiles © Example",
            attribution_url=None,
            centre=(54.5237, -1.5591),
            zoom=13,
            geocoding_url="https://search.example.org/?q={query}",
        ),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        site = (await GraphQL(client)("Site"))["site"]
        page = await client.get("/")
    assert site["emergencyGuidance"] == "Ring 999 in an emergency."
    assert site["crimeReportUrl"] == "https://police.example/report"
    assert site["map"]["centre"] == {"latitude": 54.5237, "longitude": -1.5591}
    assert site["map"]["geocodingUrl"] == "https://search.example.org/?q={query}"
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert "connect-src 'self' https://search.example.org;" in policy


async def test_no_map_when_the_tiles_are_turned_off(settings: Settings) -> None:
    app = app_with(settings, map=MapSettings(tile_url=None))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        site = (await GraphQL(client)("Site"))["site"]
        page = await client.get("/")
    assert site["map"] is None
    assert "tile.openstreetmap.org" not in page.headers["content-security-policy"]


async def test_the_map_library_is_served_from_our_own_origin(client: httpx.AsyncClient) -> None:
    library = await client.get("/vendor/leaflet/leaflet.js")
    assert library.status_code == 200 and "Leaflet" in library.text
    styles = await client.get("/vendor/leaflet/leaflet.css")
    assert styles.status_code == 200 and ".leaflet-container" in styles.text
    marker = await client.get("/vendor/leaflet/images/marker-icon.png")
    assert marker.status_code == 200 and marker.headers["content-type"] == "image/png"
