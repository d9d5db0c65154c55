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


class ConfigurationError(ValueError):
    """A setting in the environment that cannot be used; the message names it."""


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
    # True when the key came from the environment rather than the data directory's file.
    secret_key_configured: bool = True

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

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
            secret_key_configured=bool(env.get("SECRET_KEY")),
        )


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


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
