"""What residents notice: their own activity, the trust pages, focus that stays where the
change is, notifications read on opening, sign-in links that lead back, names by initials,
and a first page that waits on few round trips."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from browsing import (
    SIGN_IN_LINK,
    Server,
    header,
    serious_accessibility_violations,
    sign_in,
    sign_in_link,
    signed_in_as,
)
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SAM = ("sam.patel@resident.demo", "Sam Patel")
PRIYA = ("priya.shah@police.demo", "Sgt Priya Shah")
# Added to every request and every answer while measuring a first visit.
LATENCY_MS = 150


def signed_in(page: Page, person: tuple[str, str]) -> None:
    sign_in(page, person[0])
    signed_in_as(page, person[1])


def test_a_resident_sees_what_they_proposed_support_and_follow(page: Page) -> None:
    signed_in(page, SAM)
    # The board starts in their home area.
    expect(header(page).get_by_role("link", name="Problems")).to_have_attribute(
        "href", re.compile(r"\?area=")
    )
    header(page).get_by_role("link", name="My activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My activity")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    proposals = page.get_by_role("list", name="My proposals")
    speeding = proposals.get_by_role("listitem").filter(has_text="Speeding on Mill Lane")
    expect(speeding).to_contain_text("Proposed")
    expect(speeding).to_contain_text("Answer overdue: it was due")
    expect(speeding).to_contain_text("Stage: Raised")
    expect(page.get_by_role("list", name="Proposals I support").get_by_role("listitem")).not_to_have_count(0)
    following = page.get_by_role("list", name="Problems I follow")
    expect(following.get_by_role("listitem").filter(has_text="Answer due by")).not_to_have_count(0)
    # Each one leads to its problem.
    speeding.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Speeding on Mill Lane"))

    page.goto("/#/")
    home_area = page.get_by_role("region", name="Riverside")
    expect(home_area.get_by_role("link", name="Problems in Riverside")).to_be_visible()


def test_the_trust_pages_are_linked_from_the_footer_and_reached_by_keyboard(page: Page) -> None:
    page.goto("/#/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    footer = page.get_by_role("contentinfo")
    # From the top of the page, backwards: the footer's links are the last stops.
    page.locator("body").focus()
    for name in ("Contact us", "Accessibility statement", "Privacy notice"):
        page.keyboard.press("Shift+Tab")
        expect(footer.get_by_role("link", name=name)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_role("main")).to_contain_text("how to take a copy or erase it")
    expect(page.get_by_role("heading", name="How long we keep it")).to_be_visible()

    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    footer.get_by_role("link", name="Contact us").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    expect(page.get_by_role("main")).to_contain_text("Rungs here is run by")

    # Registration and proposing link the privacy notice too.
    page.goto("/#/register")
    expect(page.get_by_role("main").get_by_role("link", name="the privacy notice")).to_be_visible()


def test_focus_stays_on_what_a_submit_changed(page: Page) -> None:
    signed_in(page, SAM)
    page.goto("/#/profile")
    form = page.get_by_role("form", name="Profile")
    form.get_by_role("button", name="Save profile").click()
    status = form.get_by_role("status")
    expect(status).to_have_text("Your profile is saved.")
    expect(status).to_be_focused()

    preferences = page.get_by_role("form", name="Notification preferences")
    preferences.get_by_role("button", name="Save preferences").click()
    expect(preferences.get_by_role("status")).to_be_focused()


def test_opening_a_notification_marks_it_read(page: Page) -> None:
    signed_in(page, PRIYA)
    page.goto("/#/notifications")
    page.get_by_label("Unread only").check()
    first = page.locator(".notification.is-unread").first
    title = first.locator(".notification-title").inner_text().removeprefix("Unread: ")
    before = int(
        header(page)
        .get_by_role("link", name=re.compile(r"^Notifications"))
        .locator(".count-badge")
        .inner_text()
    )
    first.get_by_role("link", name="Open").click()
    expect(page).not_to_have_url(re.compile("#/notifications"))
    expect(header(page).get_by_role("link", name=f"Notifications, {before - 1} unread")).to_be_visible()

    page.goto("/#/notifications")
    page.get_by_label("Unread only").check()
    expect(page.locator(".notification.is-unread").filter(has_text=title)).to_have_count(0)


def test_a_progress_digest_links_the_pages_it_lists(page: Page) -> None:
    # The demo writes everyone's first digest: Sam's lists a problem he follows and a task near him.
    signed_in(page, SAM)
    page.goto("/#/notifications")
    digest = page.locator(".notification").filter(has_text="Your progress digest")
    body = digest.locator(".notification-body")
    expect(body.get_by_role("link")).to_have_count(2)
    # Each address is the whole link, without the punctuation of the sentence around it.
    for link, page_kind in zip(body.get_by_role("link").all(), ("problems", "tasks"), strict=True):
        address = link.inner_text()
        assert re.fullmatch(rf"http://127\.0\.0\.1(:\d+)?/#/{page_kind}/\w+", address), address
        assert link.get_attribute("href") == address
    expect(body).to_contain_text("5 places free: http://")


def test_an_emailed_sign_in_link_leads_back_to_the_page_asked_for(page: Page, server: Server) -> None:
    page.goto("/#/mine")
    expect(page).to_have_url(re.compile(r"#/sign-in\?next=%2Fmine$"))
    before = server.mail_names()
    form = page.get_by_role("form", name="Email me a sign-in link")
    form.get_by_label("Email address").fill(SAM[0])
    form.get_by_role("button", name="Email me a sign-in link").click()
    expect(form.get_by_role("status")).to_contain_text("A mail is on its way")
    expect(form.get_by_role("status")).to_be_focused()

    page.goto(sign_in_link(server.wait_for_mail(SAM[0], ignore=before, containing=SIGN_IN_LINK)))
    expect(page).to_have_url(re.compile(r"#/mine$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My activity")


def test_a_name_shown_by_initials_to_visitors_once_chosen(page: Page, new_page: Callable[..., Page]) -> None:
    signed_in(page, SAM)
    page.goto("/#/profile")
    form = page.get_by_role("form", name="Profile")
    form.get_by_label("Show me to the public by my initials").check()
    form.get_by_role("button", name="Save profile").click()
    expect(form.get_by_role("status")).to_have_text("Your profile is saved.")

    visitor = new_page()
    visitor.goto("/#/problems?q=Speeding+Mill+Lane")
    visitor.get_by_role("list", name="Problems").get_by_role("link").first.click()
    expect(visitor.locator(".page-head")).to_contain_text("proposed by S. P.")
    expect(visitor.locator("main")).not_to_contain_text("Sam Patel")


# ------------------------------------------------------------------ speed as felt


def first_visit(page: Page, route: str, first_content: Callable[[Page], Locator]) -> tuple[int, float]:
    """Opens `route` afresh at LATENCY_MS a round trip; answers how many rounds of requests,
    one after another, the page made before its first content showed (the favicon aside),
    and how long that took."""
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    asked: list[tuple[float, str]] = []

    def on_request(event: dict[str, Any]) -> None:
        asked.append((event["timestamp"], event["request"]["url"]))

    network.on("Network.requestWillBeSent", on_request)
    started = time.monotonic()
    page.goto(f"/#{route}")
    expect(first_content(page)).to_be_visible()
    elapsed = time.monotonic() - started
    # Requests asked for within a fraction of a round trip of each other go out together;
    # a longer gap means the next ones waited on an answer.
    rounds = 0
    last = None
    for moment, url in sorted(asked):
        if url.endswith("/favicon.svg"):
            continue
        if last is None or moment - last > LATENCY_MS / 1000 * 0.6:
            rounds += 1
        last = moment
    return rounds, elapsed


def board_card(page: Page) -> Locator:
    return page.get_by_role("list", name="Problems").get_by_role("heading").first


def problem_facts(page: Page) -> Locator:
    return page.locator("#problem-facts")


def test_a_first_page_waits_on_two_round_trips_and_its_query(
    page: Page, new_page: Callable[..., Page]
) -> None:
    board_rounds, board_time = first_visit(page, "/problems", board_card)
    link = board_card(page).get_by_role("link").get_attribute("href")
    assert link is not None
    problem_rounds, problem_time = first_visit(new_page(), link.removeprefix("#"), problem_facts)
    print(
        f"\nfirst content at {LATENCY_MS} ms a round trip: the board in {board_time * 1000:.0f} ms "
        f"({board_rounds} rounds), a problem in {problem_time * 1000:.0f} ms ({problem_rounds} rounds)"
    )
    # The page; then its modules, styles and the Viewer query side by side; then the query.
    assert board_rounds == 3
    assert problem_rounds == 3


@pytest.mark.parametrize("route", ["/mine", "/privacy", "/accessibility", "/contact", "/"])
def test_the_new_pages_pass_the_accessibility_checks_on_a_narrow_phone(
    new_page: Callable[..., Page], route: str
) -> None:
    page = new_page(320)
    sign_in(page, SAM[0])
    # The header's links sit behind the menu button on a phone.
    expect(page.get_by_role("status").filter(has_text="Welcome back, Sam Patel.")).to_be_visible()
    page.goto(f"/#{route}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
