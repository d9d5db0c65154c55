"""Configuration from the environment, with embedded defaults that need none."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "production", "test")
DEFAULT_API_TOKEN_DAYS = 90
# A GraphQL request is a few kilobytes; a megabyte leaves room for long descriptions.
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024


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
    rate_limits: RateLimits = DEFAULT_RATE_LIMITS
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
            rate_limits=RateLimits(
                proposals=_whole_number(env, "PROPOSALS_PER_HOUR", RateLimits.proposals),
                comments=_whole_number(env, "COMMENTS_PER_HOUR", RateLimits.comments),
                responses=_whole_number(env, "RESPONSES_PER_HOUR", RateLimits.responses),
                updates=_whole_number(env, "UPDATES_PER_HOUR", RateLimits.updates),
            ),
            contact=ContactDetails(
                operator=env.get("CONTACT_OPERATOR", "").strip() or ContactDetails.operator,
                email=env.get("CONTACT_EMAIL", "").strip() or None,
                phone=env.get("CONTACT_PHONE", "").strip() or None,
                address=env.get("CONTACT_ADDRESS", "").strip() or None,
            ),
        )


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1, not {value!r}")
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
