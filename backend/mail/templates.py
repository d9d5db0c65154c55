"""Notification templates: the first line of what a template renders is the title, the rest the body.

Each template's opening comment lists the context it needs; rendering fails on anything
missing (StrictUndefined), so pass every name, None where the template allows it.

Each kind's HTML part (`<kind>.html`, beside its `.txt`) renders from the same context and
extends `base.html`; it is the mail's own news only. When the mail goes out, `letter.html`
puts it in the page every mail shares: the title as its heading, the link to open, and how
to turn this kind of mail off.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

_environment = Environment(
    loader=PackageLoader("backend.mail", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text mail and notifications, never HTML
    keep_trailing_newline=False,
)

# Titles, names, descriptions and notes are people's own words: escaped, always.
_html_environment = Environment(
    loader=PackageLoader("backend.mail", "templates"),
    undefined=StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    text = _environment.get_template(template).render(**context)
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def render_html(template: str, context: dict[str, Any]) -> str:
    """A kind's HTML part, without the page around it (see `render_letter`)."""
    return _html_environment.get_template(template).render(**context).strip()


def render_letter(
    news: str,
    *,
    title: str,
    link: str | None,
    unsubscribe: str | None,
    turns_off: str | None,
    preferences: str,
) -> str:
    """The whole HTML mail: `news` (a kind's HTML part, as `render_html` made it) in the page
    every mail shares."""
    return _html_environment.get_template("letter.html").render(
        news=Markup(news),  # escaped as render_html rendered it
        title=title,
        link=link,
        unsubscribe=unsubscribe,
        turns_off=turns_off,
        preferences=preferences,
    )
