"""The web interface sends its documents by persisted id, and a page whose ids the server no
longer knows (documents changed by a deploy since it loaded) sends their text instead."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browsing import Server, titles
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

pytestmark = pytest.mark.browser

PERSISTED_ID = re.compile(r'"sha256:[0-9a-f]{64}"')
# What Chromium reports of the answers of 400 to the stale ids, and nothing else may appear.
REFUSED = "Failed to load resource: the server responded with a status of 400"


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    # A context of its own rather than `new_page`'s: the stale page's refused ids show in the
    # console as failed loads, which `new_page` counts as script errors.
    opened = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def watched(context: BrowserContext) -> tuple[Page, list[dict[str, Any]], list[str], list[str]]:
    """A page, the GraphQL bodies it sends, the other paths it asks for, and its console errors."""
    page = context.new_page()
    bodies: list[dict[str, Any]] = []
    paths: list[str] = []
    problems: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/graphql"):
            bodies.append(request.post_data_json)
        else:
            paths.append(request.url)

    page.on("request", on_request)
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(error.message))
    return page, bodies, paths, problems


def test_a_page_sends_its_documents_by_id(context: BrowserContext) -> None:
    page, bodies, paths, problems = watched(context)
    page.goto("/#/problems")
    expect(titles(page).first).to_be_visible()
    names = [body["operationName"] for body in bodies]
    assert "Viewer" in names and "Problems" in names, names
    for body in bodies:
        assert "query" not in body, body
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", body["documentId"]), body
    assert not [path for path in paths if "/operations/" in path]
    assert problems == []


def test_a_page_whose_ids_the_server_does_not_know_sends_the_text(context: BrowserContext) -> None:
    def stale(route: Route) -> None:
        # The page as a server with other documents built it: ids this server has never had.
        response = route.fetch()
        route.fulfill(response=response, body=PERSISTED_ID.sub(f'"sha256:{"0" * 64}"', response.text()))

    context.route(re.compile(r"/(index\.html)?$"), stale)
    page, bodies, paths, problems = watched(context)
    page.goto("/#/problems")
    expect(titles(page).first).to_be_visible()

    problems_sent = [body for body in bodies if body["operationName"] == "Problems"]
    # Once by the stale id, refused; then, and from then on, as text fetched from /operations/.
    assert len(problems_sent) >= 2
    assert "documentId" in problems_sent[0] and "query" not in problems_sent[0]
    assert all(body["query"].startswith("query Problems") for body in problems_sent[1:])
    assert any(path.endswith("/operations/Problems.graphql") for path in paths)
    assert problems and all(REFUSED in problem for problem in problems), json.dumps(problems)

    # Later requests of a document refused once go straight to its text.
    before = len(bodies)
    page.goto("/#/")
    # The board's titles stay on screen until the home page replaces them.
    expect(page.get_by_role("heading", name="Areas", exact=True)).to_be_visible()
    with page.expect_request(_asks_for("Problems")):
        page.goto("/#/problems")
    expect(titles(page).first).to_be_visible()
    later = [body for body in bodies[before:] if body["operationName"] == "Problems"]
    assert later and all("documentId" not in body for body in later)


def _asks_for(operation: str) -> Callable[[Request], bool]:
    def asks(request: Request) -> bool:
        body = request.post_data_json if request.url.endswith("/graphql") else None
        return isinstance(body, dict) and body.get("operationName") == operation

    return asks
