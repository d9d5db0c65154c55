"""Configuration from the environment, with embedded defaults that need none."""

from __future__ import annotations

import math
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "production", "test")
DEFAULT_API_TOKEN_DAYS = 90
# A GraphQL request is a few kilobytes; a megabyte leaves room for long descriptions.
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
# Long enough to spot a slip just after publishing; short enough that few have read the first words.
DEFAULT_RESPONSE_CORRECTION_MINUTES = 30


class ConfigurationError(ValueError):
    """A setting in the environment that cannot be used; the message names it."""


@dataclass(frozen=True)
class ContactDetails:
    """How people reach whoever runs this Rungs, for its contact page: each part may be unset."""

    # Who runs the service, as the contact page names them.
    operator: str = "the team that runs Rungs"
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class RateLimits:
    """How many of each write that notifies people one person may make in an hour: well
    above what the busiest honest resident or officer does, far below a flood."""

    proposals: int = 20
    comments: int = 120
    responses: int = 300
    updates: int = 120


DEFAULT_RATE_LIMITS = RateLimits()
DEFAULT_TIME_ZONE = "Europe/London"

# OpenStreetMap's own tiles, with the credit their licence asks for beside every map.
DEFAULT_MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
DEFAULT_MAP_ATTRIBUTION_URL = "https://www.openstreetmap.org/copyright"
# Great Britain, whole: where a map starts when nothing on it says where to look.
DEFAULT_MAP_CENTRE = (54.0, -2.5)
DEFAULT_MAP_ZOOM = 6
MAX_MAP_ZOOM = 19
DEFAULT_EMERGENCY_GUIDANCE = "In an emergency call 999; to report a crime call 101 or report online."


@dataclass(frozen=True)
class MapSettings:
    """Where the web interface's maps get their tiles, whom they credit, where they start, and
    the address search it may offer. The browser fetches tiles and searches itself, so these
    are the only outside hosts the pages' Content-Security-Policy lets it reach."""

    # A tile address with {z}, {x} and {y} (and {s} for a host's letter); None: no maps at all.
    tile_url: str | None = DEFAULT_MAP_TILE_URL
    attribution: str = DEFAULT_MAP_ATTRIBUTION
    attribution_url: str | None = DEFAULT_MAP_ATTRIBUTION_URL
    centre: tuple[float, float] = DEFAULT_MAP_CENTRE
    zoom: int = DEFAULT_MAP_ZOOM
    # A search address with {query}, answering as Nominatim does; None: no address search.
    geocoding_url: str | None = None

    @property
    def tile_source(self) -> str | None:
        """The tiles' origin as a policy source: a host letter {s} becomes a wildcard."""
        return _source_of(self.tile_url.replace("{s}", "*")) if self.tile_url else None

    @property
    def geocoding_source(self) -> str | None:
        return _source_of(self.geocoding_url) if self.geocoding_url else None


DEFAULT_MAP = MapSettings()


@dataclass(frozen=True)
class Guidance:
    """What residents read before proposing and after: emergencies and crimes go elsewhere."""

    emergency: str = DEFAULT_EMERGENCY_GUIDANCE
    # The force's page for reporting a crime online; None: the words alone.
    crime_report_url: str | None = None


DEFAULT_GUIDANCE = Guidance()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    mail_url: str | None
    mail_from: str
    public_url: str
    environment: str
    secret_key: str
    allowed_origins: tuple[str, ...] = field(default=())
    default_response_days: int = 14
    # The longest an API token lasts, and what it gets when its maker names no shorter time.
    api_token_days: int = DEFAULT_API_TOKEN_DAYS
    # True when the key came from the environment rather than the data directory's file.
    secret_key_configured: bool = True
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    # None: introspection follows the environment (on in development only).
    graphql_introspection: bool | None = None
    # Whether anonymous clients may send only the documents of graphql/operations/ (by id or
    # by their exact text); signed-in ones may always send their own.
    persisted_documents_only: bool = False
    rate_limits: RateLimits = DEFAULT_RATE_LIMITS
    # Where the service's people live: times are stored in UTC and shown in this zone.
    time_zone: str = DEFAULT_TIME_ZONE
    # How long after publishing an official response its text may still be corrected; a
    # note under it is the way to correct it afterwards.
    response_correction_minutes: int = DEFAULT_RESPONSE_CORRECTION_MINUTES
    map: MapSettings = DEFAULT_MAP
    # Anonymous public reads answered from Redis while nothing they show has changed.
    public_answer_cache: bool = True
    guidance: Guidance = DEFAULT_GUIDANCE
    contact: ContactDetails = field(default_factory=ContactDetails)

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def introspection(self) -> bool:
        """Whether the schema may be queried through `__schema` and `__type`."""
        if self.graphql_introspection is None:
            return self.is_development
        return self.graphql_introspection

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def embedded_redis_socket(self) -> Path:
        return self.data_dir / "redis.sock"

    @property
    def job_queue_url(self) -> str:
        """The Redis holding the job queue: REDIS_URL, else the embedded server's socket."""
        return self.redis_url or f"unix://{self.embedded_redis_socket}"

    @property
    def origins(self) -> frozenset[str]:
        """Origins allowed to send GraphQL requests: the public URL's own, plus any named."""
        return frozenset((origin_of(self.public_url), *self.allowed_origins))

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        default_environment: str = "production",
        default_public_url: str = "http://127.0.0.1:8000",
    ) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("DATA_DIR", "var")).resolve()
        environment = env.get("ENVIRONMENT", default_environment)
        if environment not in ENVIRONMENTS:
            raise ConfigurationError(
                f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}"
            )
        _check_scheme(env, "DATABASE_URL", ("sqlite", "postgres", "postgresql"))
        _check_scheme(env, "REDIS_URL", ("redis", "rediss", "unix"))
        _check_scheme(env, "MAIL_URL", ("smtp", "smtps"))
        _refuse_database_in_memory(env)
        return cls(
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or f"sqlite://{data_dir / 'rungs.sqlite3'}",
            redis_url=env.get("REDIS_URL") or None,
            mail_url=env.get("MAIL_URL") or None,
            mail_from=env.get("MAIL_FROM", "Rungs <no-reply@rungs.localhost>"),
            public_url=env.get("PUBLIC_URL", default_public_url).rstrip("/"),
            environment=environment,
            secret_key=env.get("SECRET_KEY") or _embedded_secret_key(data_dir),
            allowed_origins=tuple(
                origin.strip().rstrip("/")
                for origin in env.get("ALLOWED_ORIGINS", "").split(",")
                if origin.strip()
            ),
            default_response_days=_whole_number(env, "DEFAULT_RESPONSE_DAYS", 14),
            api_token_days=_whole_number(env, "API_TOKEN_DAYS", DEFAULT_API_TOKEN_DAYS),
            secret_key_configured=bool(env.get("SECRET_KEY")),
            max_request_bytes=_whole_number(env, "MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
            graphql_introspection=_flag(env, "GRAPHQL_INTROSPECTION"),
            persisted_documents_only=_flag(env, "PERSISTED_DOCUMENTS_ONLY") or False,
            rate_limits=RateLimits(
                proposals=_whole_number(env, "PROPOSALS_PER_HOUR", RateLimits.proposals),
                comments=_whole_number(env, "COMMENTS_PER_HOUR", RateLimits.comments),
                responses=_whole_number(env, "RESPONSES_PER_HOUR", RateLimits.responses),
                updates=_whole_number(env, "UPDATES_PER_HOUR", RateLimits.updates),
            ),
            time_zone=_time_zone(env),
            response_correction_minutes=_whole_number(
                env, "RESPONSE_CORRECTION_MINUTES", DEFAULT_RESPONSE_CORRECTION_MINUTES
            ),
            map=_map_settings(env),
            public_answer_cache=_flag(env, "PUBLIC_ANSWER_CACHE") is not False,
            guidance=Guidance(
                emergency=env.get("EMERGENCY_GUIDANCE", "").strip() or DEFAULT_EMERGENCY_GUIDANCE,
                crime_report_url=_web_address(env, "CRIME_REPORT_URL"),
            ),
            contact=ContactDetails(
                operator=env.get("CONTACT_OPERATOR", "").strip() or ContactDetails.operator,
                email=env.get("CONTACT_EMAIL", "").strip() or None,
                phone=env.get("CONTACT_PHONE", "").strip() or None,
                address=env.get("CONTACT_ADDRESS", "").strip() or None,
            ),
        )


def _time_zone(env: Mapping[str, str]) -> str:
    value = env.get("TIME_ZONE", "").strip() or DEFAULT_TIME_ZONE
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"TIME_ZONE must name a time zone of the IANA database, like Europe/London, not {value!r}"
        ) from None
    return value


def _map_settings(env: Mapping[str, str]) -> MapSettings:
    # Set but empty turns the maps off; unset keeps OpenStreetMap's tiles.
    tile_url = env.get("MAP_TILE_URL", DEFAULT_MAP_TILE_URL).strip()
    if tile_url:
        _web_address(env, "MAP_TILE_URL", placeholders=("{z}", "{x}", "{y}"))
    return MapSettings(
        tile_url=tile_url or None,
        attribution=env.get("MAP_ATTRIBUTION", "").strip() or DEFAULT_MAP_ATTRIBUTION,
        attribution_url=(
            _web_address(env, "MAP_ATTRIBUTION_URL")
            if "MAP_ATTRIBUTION" in env or "MAP_ATTRIBUTION_URL" in env
            else DEFAULT_MAP_ATTRIBUTION_URL
        ),
        centre=_map_centre(env),
        zoom=_whole_number(env, "MAP_ZOOM", DEFAULT_MAP_ZOOM, most=MAX_MAP_ZOOM),
        geocoding_url=_web_address(env, "GEOCODING_URL", placeholders=("{query}",)),
    )


def _map_centre(env: Mapping[str, str]) -> tuple[float, float]:
    value = env.get("MAP_CENTRE", "").strip()
    if not value:
        return DEFAULT_MAP_CENTRE
    try:
        latitude, longitude = (float(part) for part in value.split(","))
    except ValueError:
        latitude = longitude = math.nan
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ConfigurationError(
            f"MAP_CENTRE must be a latitude and a longitude, such as 54.5237,-1.5591, not {value!r}"
        )
    return latitude, longitude


def _web_address(env: Mapping[str, str], name: str, *, placeholders: tuple[str, ...] = ()) -> str | None:
    """An http(s) address from the environment, holding each of `placeholders`; None when unset."""
    value = env.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigurationError(f"{name} must be an address starting with https://, not {value!r}")
    missing = [placeholder for placeholder in placeholders if placeholder not in value]
    if missing:
        raise ConfigurationError(
            f"{name} must hold {', '.join(placeholders)}; {', '.join(missing)} is missing"
        )
    return value


def _source_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _whole_number(env: Mapping[str, str], name: str, default: int, *, most: int | None = None) -> int:
    value = env.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1, not {value!r}")
    if most is not None and int(value) > most:
        raise ConfigurationError(f"{name} must be a whole number from 1 to {most}, not {value!r}")
    return int(value)


def _flag(env: Mapping[str, str], name: str) -> bool | None:
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value not in ("true", "false"):
        raise ConfigurationError(f"{name} must be true or false, not {env[name]!r}")
    return value == "true"


def _check_scheme(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> None:
    value = env.get(name)
    if value and urlsplit(value).scheme not in schemes:
        allowed = ", ".join(f"{scheme}://" for scheme in schemes)
        raise ConfigurationError(f"{name} must start with one of {allowed}")


def _refuse_database_in_memory(env: Mapping[str, str]) -> None:
    value = env.get("DATABASE_URL", "")
    if urlsplit(value).scheme == "sqlite" and value[len("sqlite://") :].split("?", 1)[0] in ("", ":memory:"):
        # Each command would migrate, fill or read a database of its own that is gone when it ends.
        raise ConfigurationError(
            "DATABASE_URL names an in-memory SQLite database, which is lost when the command ends; "
            "name a file (sqlite:///path/to/rungs.sqlite3) or leave it unset"
        )


def usable_data_dir(data_dir: Path) -> Path:
    """The data directory, created if need be; refused, naming DATA_DIR, if Rungs cannot write there."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except (FileExistsError, NotADirectoryError):
        raise ConfigurationError(f"DATA_DIR {data_dir} is a file (or inside one), not a folder") from None
    except OSError as error:
        raise ConfigurationError(
            f"DATA_DIR {data_dir} is not a folder Rungs can write to ({error.strerror or error})"
        ) from None
    return data_dir


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _embedded_secret_key(data_dir: Path) -> str:
    """A key kept in the data directory, so sealed mail and sessions survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    usable_data_dir(data_dir)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
