"""Notification templates: the first line of what a template renders is the title, the rest the body.

Each template's opening comment lists the context it needs; rendering fails on anything
missing (StrictUndefined), so pass every name, None where the template allows it.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

_environment = Environment(
    loader=PackageLoader("backend.mail", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text mail and notifications, never HTML
    keep_trailing_newline=False,
)


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    text = _environment.get_template(template).render(**context)
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()
