"""The limits' settings, read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.settings import DEFAULT_MAX_REQUEST_BYTES, ConfigurationError, RateLimits, Settings


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environment({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k", **environ})


def test_the_limits_default_to_what_the_readme_says(tmp_path: Path) -> None:
    settings = settings_from(tmp_path)
    assert settings.max_request_bytes == DEFAULT_MAX_REQUEST_BYTES == 1_048_576
    assert settings.rate_limits == RateLimits(proposals=20, comments=120, responses=300, updates=120)


def test_the_limits_are_read_from_the_environment(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        MAX_REQUEST_BYTES="65536",
        PROPOSALS_PER_HOUR="5",
        COMMENTS_PER_HOUR="50",
        RESPONSES_PER_HOUR="600",
        UPDATES_PER_HOUR="60",
    )
    assert settings.max_request_bytes == 65536
    assert settings.rate_limits == RateLimits(proposals=5, comments=50, responses=600, updates=60)


def test_introspection_follows_the_environment_unless_set(tmp_path: Path) -> None:
    assert settings_from(tmp_path, ENVIRONMENT="development").introspection
    assert not settings_from(tmp_path, ENVIRONMENT="production").introspection
    assert settings_from(tmp_path, ENVIRONMENT="production", GRAPHQL_INTROSPECTION="true").introspection
    assert not settings_from(tmp_path, ENVIRONMENT="development", GRAPHQL_INTROSPECTION="false").introspection


def test_anonymous_clients_may_send_any_document_unless_told_otherwise(tmp_path: Path) -> None:
    assert not settings_from(tmp_path).persisted_documents_only
    assert settings_from(tmp_path, PERSISTED_DOCUMENTS_ONLY="true").persisted_documents_only
    assert not settings_from(tmp_path, PERSISTED_DOCUMENTS_ONLY="false").persisted_documents_only


def test_the_cache_of_public_reads_is_on_unless_turned_off(tmp_path: Path) -> None:
    assert settings_from(tmp_path).public_answer_cache
    assert settings_from(tmp_path, PUBLIC_ANSWER_CACHE="true").public_answer_cache
    assert not settings_from(tmp_path, PUBLIC_ANSWER_CACHE="false").public_answer_cache


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("PUBLIC_ANSWER_CACHE", "off", "PUBLIC_ANSWER_CACHE must be true or false, not 'off'"),
        ("GRAPHQL_INTROSPECTION", "yes", "GRAPHQL_INTROSPECTION must be true or false, not 'yes'"),
        ("PERSISTED_DOCUMENTS_ONLY", "1", "PERSISTED_DOCUMENTS_ONLY must be true or false, not '1'"),
        ("MAX_REQUEST_BYTES", "1MB", "MAX_REQUEST_BYTES must be a whole number of at least 1, not '1MB'"),
        ("PROPOSALS_PER_HOUR", "0", "PROPOSALS_PER_HOUR must be a whole number of at least 1, not '0'"),
    ],
)
def test_a_setting_that_cannot_be_used_is_refused_by_name(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        settings_from(tmp_path, **{name: value})
    assert str(refused.value) == message


def test_the_correction_window_defaults_to_30_minutes_and_is_read_from_the_environment(
    tmp_path: Path,
) -> None:
    assert settings_from(tmp_path).response_correction_minutes == 30
    assert settings_from(tmp_path, RESPONSE_CORRECTION_MINUTES="10").response_correction_minutes == 10
    with pytest.raises(ConfigurationError, match="RESPONSE_CORRECTION_MINUTES must be a whole number"):
        settings_from(tmp_path, RESPONSE_CORRECTION_MINUTES="half an hour")
