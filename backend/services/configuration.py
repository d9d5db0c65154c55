"""What the services read from the settings, in one place: set once by whatever starts them
(the app factory, the worker's startup, the `rungs` command, the test fixtures) from the
same `Settings`, and read where it is needed, so no setting travels through signatures and
none has a default of its own here that could differ from `Settings`. A process runs with
one configuration: starting a second app in it with other settings changes it for both."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from backend.settings import RateLimits, Settings


@dataclass(frozen=True)
class Configuration:
    # The web interface's address, without a trailing slash: mail and the API make the
    # stored paths (`/#/problems/...`) into links with it.
    public_url: str
    # The response time of a proposal in an area that sets none, nor any area above it.
    default_response_days: int
    # How many proposals, comments, responses and updates a person may write in an hour.
    rate_limits: RateLimits
    # The zone times are shown in (mail, calendars); they are stored in UTC.
    time_zone: ZoneInfo
    # Private calendar addresses are derived from it (services/volunteer_tasks/calendar.py).
    secret_key: str

    @classmethod
    def of(cls, settings: Settings) -> Configuration:
        return cls(
            public_url=settings.public_url,
            default_response_days=settings.default_response_days,
            rate_limits=settings.rate_limits,
            time_zone=ZoneInfo(settings.time_zone),
            secret_key=settings.secret_key,
        )


_current: Configuration | None = None


def configure(settings: Settings) -> Configuration:
    global _current
    _current = Configuration.of(settings)
    return _current


def current() -> Configuration:
    if _current is None:
        raise RuntimeError("the services are not configured: call configuration.configure(settings) first")
    return _current


def address(path: str | None) -> str | None:
    """The link to a page of the web interface, from its path (`/#/problems/...`). A link
    sealed whole, before links were kept as paths, is returned as it is."""
    if path is None or not path.startswith("/"):
        return path
    return f"{current().public_url}{path}"
