"""The maps' and the guidance's settings, read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.headers import content_security_policy
from backend.settings import (
    DEFAULT_EMERGENCY_GUIDANCE,
    DEFAULT_MAP,
    ConfigurationError,
    Guidance,
    MapSettings,
    Settings,
)


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environment({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k", **environ})


def test_maps_default_to_openstreetmap_with_its_credit_and_no_address_search(tmp_path: Path) -> None:
    settings = settings_from(tmp_path)
    assert settings.map == DEFAULT_MAP
    assert settings.map.tile_url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert settings.map.attribution == "© OpenStreetMap contributors"
    assert settings.map.attribution_url == "https://www.openstreetmap.org/copyright"
    assert settings.map.geocoding_url is None
    assert settings.guidance == Guidance(emergency=DEFAULT_EMERGENCY_GUIDANCE, crime_report_url=None)
    assert settings.guidance.emergency.startswith("In an emergency call 999; to report a crime call 101")


def test_the_force_sets_its_own_maps_and_words(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        MAP_ATTRIBUTION="Maps © Example",
        MAP_CENTRE="54.5237, -1.5591",
        MAP_ZOOM="12",
        GEOCODING_URL="https://search.example.org/search?format=jsonv2&q={query}",
        EMERGENCY_GUIDANCE="Call 999 if a life is in danger; report crimes on 101.",
        CRIME_REPORT_URL="https://www.northshire.police.example/report",
    )
    assert settings.map == MapSettings(
        tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        attribution="Maps © Example",
        # Another credit does not keep OpenStreetMap's link.
        attribution_url=None,
        centre=(54.5237, -1.5591),
        zoom=12,
        geocoding_url="https://search.example.org/search?format=jsonv2&q={query}",
    )
    assert settings.guidance == Guidance(
        emergency="Call 999 if a life is in danger; report crimes on 101.",
        crime_report_url="https://www.northshire.police.example/report",
    )


def test_an_empty_tile_address_turns_the_maps_off(tmp_path: Path) -> None:
    assert settings_from(tmp_path, MAP_TILE_URL="").map.tile_url is None


def test_the_pages_may_reach_the_tile_host_and_the_address_search_and_nothing_else(tmp_path: Path) -> None:
    default = content_security_policy(settings_from(tmp_path).map)
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in default
    assert "connect-src 'self';" in default
    configured = content_security_policy(
        settings_from(
            tmp_path,
            MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
            GEOCODING_URL="https://search.example.org/search?q={query}",
        ).map
    )
    assert "img-src 'self' data: https://*.tiles.example.org;" in configured
    assert "connect-src 'self' https://search.example.org;" in configured
    off = content_security_policy(settings_from(tmp_path, MAP_TILE_URL="").map)
    assert "img-src 'self' data:;" in off


@pytest.mark.parametrize(
    "name, value, message",
    [
        (
            "MAP_TILE_URL",
            "tiles.example.org/{z}/{x}/{y}.png",
            "MAP_TILE_URL must be an address starting with https://",
        ),
        (
            "MAP_TILE_URL",
            "https://tiles.example.org/{z}/{x}.png",
            "MAP_TILE_URL must hold {z}, {x}, {y}; {y} is missing",
        ),
        (
            "GEOCODING_URL",
            "https://search.example.org/search",
            "GEOCODING_URL must hold {query}; {query} is missing",
        ),
        (
            "CRIME_REPORT_URL",
            "javascript:alert(1)",
            "CRIME_REPORT_URL must be an address starting with https://",
        ),
        ("MAP_CENTRE", "north", "MAP_CENTRE must be a latitude and a longitude, such as 54.5237,-1.5591"),
        ("MAP_CENTRE", "95,0", "MAP_CENTRE must be a latitude and a longitude"),
        ("MAP_ZOOM", "25", "MAP_ZOOM must be a whole number from 1 to 19, not '25'"),
    ],
)
def test_a_map_setting_that_cannot_be_used_is_refused_by_name(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        settings_from(tmp_path, **{name: value})
    assert str(refused.value).startswith(message)
