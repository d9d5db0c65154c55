"""One template per notification kind: the first line is the title, the rest the body."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from backend.models.enums import NotificationKind

_environment = Environment(
    loader=PackageLoader("backend.mail", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text mail and notifications, never HTML
    keep_trailing_newline=False,
)


def render(kind: NotificationKind, context: dict[str, Any]) -> tuple[str, str]:
    text = _environment.get_template(f"{kind.value.lower()}.txt").render(**context)
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()
