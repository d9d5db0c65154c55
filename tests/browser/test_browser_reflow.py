"""A phone layout that holds (WCAG 1.4.10 Reflow): at 320 px wide, no page of the interface is
wider than the screen, signed out or signed in as the demo's admin, officer or resident. At
360 px, a common phone, axe-core finds nothing serious on any page, signed out or as a resident,
and each page's screenshot is kept when BROWSER_SCREENSHOTS names a folder.

Every route the router knows is visited; a new screen's route must be added to ROUTES, or
the first test fails. Each page is loaded once per visitor: at 320 px for the reflow, then,
for axe, widened to 360 px (no style changes between the two widths but the sizes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import DEMO_PASSWORD, Server, screenshot, serious_accessibility_violations, sign_in
from playwright.sync_api import Page, expect

from backend.services import unsubscribe
from backend.services.notification_kinds import Preference

PHONE_WIDTH = 320
COMMON_PHONE_WIDTH = 360
APP = Path(__file__).resolve().parents[2] / "frontend_static" / "js" / "app.js"

# Each route of the router, and how to fill in its parameters from the demo data.
ROUTES: dict[str, list[str]] = {
    "/": ["/"],
    "/sign-in": ["/sign-in"],
    "/sign-in/link": ["/sign-in/link"],
    "/register": ["/register"],
    "/profile": ["/profile"],
    "/notifications": ["/notifications"],
    "/queue": ["/queue"],
    "/areas/:id": ["/areas/{area}"],
    "/problems": [
        "/problems",
        "/problems?status=PROPOSED&category=DRUGS&overdue=1",
        "/problems?area={area}&since=2026-01-01&referred=1&due=1&onTime=0&reason=OTHER",
        "/problems?view=map",
    ],
    "/problems/new": ["/problems/new"],
    "/problems/:id": [
        "/problems/{awaiting}",
        "/problems/{accepted}",
        "/problems/{duplicate}",
        "/problems/{measured}",
        "/problems/{closed}",
    ],
    "/groups/:id": ["/groups/{group}", "/groups/{closed_group}"],
    "/volunteer": ["/volunteer", "/volunteer?where=remote&open=1&skill=design"],
    "/tasks/:id": ["/tasks/{task}", "/tasks/{past_task}"],
    "/organisations": ["/organisations"],
    "/organisations/:id": ["/organisations/{organisation}"],
    "/admin": ["/admin"],
    "/mine": ["/mine"],
    "/privacy": ["/privacy"],
    "/accessibility": ["/accessibility"],
    "/contact": ["/contact"],
    # A link that works, and one whose signature is wrong.
    "/unsubscribe/:token": ["/unsubscribe/{unsubscribe}", "/unsubscribe/1.digest.not-signed"],
    "not found": ["/no/such/page"],
}

PEOPLE = {
    "signed out": None,
    "admin": ("admin@rungs.demo", "Alex Admin"),
    "officer": ("priya.shah@police.demo", "Sgt Priya Shah"),
    "resident": ("sam.patel@resident.demo", "Sam Patel"),
}

# The first of each kind the viewer can see, for the routes that show one thing.
EXAMPLES = """
query {
  area: areas(first: 1) { edges { node { id } } }
  organisation: organisations(first: 1) { edges { node { id } } }
  awaiting: problems(first: 1, filter: { statuses: [PROPOSED, REFERRED] }) { edges { node { id } } }
  accepted: problems(first: 1, filter: { statuses: [ACCEPTED, IN_PROGRESS] }) { edges { node { id } } }
  duplicate: problems(first: 1, filter: { statuses: [DUPLICATE, DECLINED] }) { edges { node { id } } }
  group: workingGroups(first: 1) { edges { node { id } } }
  closed_group: workingGroups(first: 1, status: CLOSED) { edges { node { id } } }
  measured: problems(first: 1, filter: { search: "underpass" }) { edges { node { id } } }
  closed: problems(first: 1, filter: { statuses: [RESOLVED, UNRESOLVED] }) { edges { node { id } } }
  task: volunteerTasks(first: 1, filter: { skills: ["gardening"] }) { edges { node { id } } }
  past_task: volunteerTasks(first: 1, filter: { skills: ["litter picking"] }) { edges { node { id } } }
}
"""

# Whatever sticks out past the right edge, widest first, to say what to fix.
OVERFLOWING = """
(width) => {
  const named = (element) => [
    element.tagName.toLowerCase(),
    element.id ? `#${element.id}` : '',
    typeof element.className === 'string' && element.className.trim()
      ? `.${element.className.trim().split(/\\s+/).join('.')}`
      : '',
  ].join('');
  return [...document.querySelectorAll('body *')]
    .map((element) => ({ element, right: element.getBoundingClientRect().right }))
    .filter(({ element, right }) => right > width + 0.5 && element.getClientRects().length > 0)
    .sort((a, b) => b.right - a.right)
    .slice(0, 5)
    .map(({ element, right }) => `${named(element)} to ${Math.round(right)} px`);
}
"""


def examples(page: Page) -> dict[str, str]:
    body: dict[str, Any] = page.evaluate(
        """async (query) => (await fetch('/graphql', {
             method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query }),
           })).json()""",
        EXAMPLES,
    )
    assert "errors" not in body, body
    return {name: found["edges"][0]["node"]["id"] for name, found in body["data"].items()}


def unsubscribe_token(server: Server) -> str:
    """An unsubscribe token for the demo's first person, signed with the server's own key."""
    key = (server.data_dir / "secret_key").read_text().strip()
    return unsubscribe.token(1, Preference.DIGEST, secret_key=key)


def settled(page: Page) -> None:
    """The screen has drawn what it loads: nothing busy, nothing still loading."""
    page.wait_for_function(
        "() => document.querySelector('#main .view')"
        " && !document.querySelector('[aria-busy=\"true\"], .loading')"
    )


def test_every_route_of_the_router_is_checked() -> None:
    defined = set(re.findall(r"defineRoute\('([^']+)'", APP.read_text()))
    assert defined, "no routes found in app.js"
    assert defined <= set(ROUTES), f"add these routes to ROUTES: {sorted(defined - set(ROUTES))}"


def visit_every_page(page: Page, server: Server, who: str) -> Iterator[str]:
    """Signs `who` in (or not), then loads every page of ROUTES in turn, at the page's width when
    the loop began, yielding each path once the page has drawn."""
    viewport = page.viewport_size
    assert viewport is not None
    person = PEOPLE[who]
    if person is not None:
        email, name = person
        sign_in(page, email, DEMO_PASSWORD)
        # The header's account links are behind the menu button on a phone.
        expect(page.get_by_text(f"Welcome back, {name}.")).to_be_visible()
    else:
        page.goto("/#/")
    ids = {**examples(page), "unsubscribe": unsubscribe_token(server)}
    for paths in ROUTES.values():
        for template in paths:
            path = template.format(**ids)
            page.set_viewport_size(viewport)
            # A fresh load of the page, as from a link elsewhere: from the app's own document,
            # going to another #/ route would only redraw the screen.
            page.goto("about:blank")
            page.goto(f"/#{path}")
            settled(page)
            yield path


def widen(page: Page, width: int) -> None:
    """Makes the page `width` px wide and waits for the frames in which it follows: the maps and
    charts resize on the size changes they observe."""
    viewport = page.viewport_size
    assert viewport is not None
    page.set_viewport_size({**viewport, "width": width})
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


# Whom axe checks as well, at COMMON_PHONE_WIDTH, on the same load of each page.
CHECKED_BY_AXE = {"signed out", "resident"}


@pytest.mark.parametrize("who", list(PEOPLE))
def test_no_page_is_wider_than_a_phone_nor_has_a_serious_fault_for_axe(
    new_page: Callable[..., Page], server: Server, who: str
) -> None:
    page = new_page(PHONE_WIDTH)
    too_wide: list[str] = []
    faults: list[str] = []
    for path in visit_every_page(page, server, who):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            culprits = ", ".join(page.evaluate(OVERFLOWING, PHONE_WIDTH))
            too_wide.append(f"{path} is {width} px wide: {culprits}")
        if who in CHECKED_BY_AXE:
            widen(page, COMMON_PHONE_WIDTH)
            screenshot(page, f"{COMMON_PHONE_WIDTH}-{who.replace(' ', '-')}-{_file_name(path)}")
            faults += [f"{path}: {fault}" for fault in serious_accessibility_violations(page)]
    # Both lists are told at once: a page too wide does not hide what axe found.
    found = [
        f"{who}, at {width} px:\n" + "\n".join(lines)
        for width, lines in ((PHONE_WIDTH, too_wide), (COMMON_PHONE_WIDTH, faults))
        if lines
    ]
    assert not found, "\n".join(found)


def _file_name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
