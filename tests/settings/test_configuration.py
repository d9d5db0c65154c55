"""The services read their configuration from the settings whatever starts them: the app,
the worker (and `rungs jobs run`), each from the same `Settings`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backend.app import create_app
from backend.services import configuration
from backend.services.configuration import Configuration
from backend.settings import ConfigurationError, RateLimits, Settings
from workers.settings import prepare


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environment({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k", **environ})


def test_the_app_configures_the_services_with_its_settings(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        PUBLIC_URL="https://rungs.example/",
        DEFAULT_RESPONSE_DAYS="21",
        PROPOSALS_PER_HOUR="3",
        TIME_ZONE="Europe/Dublin",
    )
    create_app(settings)
    assert configuration.current() == Configuration(
        public_url="https://rungs.example",
        default_response_days=21,
        rate_limits=RateLimits(proposals=3),
        time_zone=ZoneInfo("Europe/Dublin"),
        secret_key="k",
    )
    assert configuration.address("/#/register") == "https://rungs.example/#/register"


async def test_the_worker_configures_the_services_with_its_settings(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, PUBLIC_URL="https://worker.example", DEFAULT_RESPONSE_DAYS="9")
    ctx: dict[str, Any] = {}
    await prepare(ctx, settings)
    assert configuration.current() == Configuration(
        public_url="https://worker.example",
        default_response_days=9,
        rate_limits=RateLimits(),
        time_zone=ZoneInfo("Europe/London"),
        secret_key="k",
    )


def test_the_time_zone_must_be_one_the_zone_database_knows(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="TIME_ZONE must name a time zone"):
        settings_from(tmp_path, TIME_ZONE="Mars/Olympus_Mons")


def test_services_that_were_never_configured_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(configuration, "_current", None)
    with pytest.raises(RuntimeError, match="not configured"):
        configuration.current()


def test_the_configuration_cannot_change_under_the_services(settings: Settings) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        configuration.configure(settings).public_url = "https://elsewhere.example"  # type: ignore[misc]
