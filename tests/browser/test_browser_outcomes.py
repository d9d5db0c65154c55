"""Outcomes through the web interface: measures with their charts and tables, recording a
reading, closing a problem, the community's review of the closing, and the area's exports.

The demo data's underpass problem has two measures with a year of monthly readings; the youth
club problem is closed and disputed; the footpath lights one is closed with most agreeing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from browsing import field_error, screenshot, sign_in, signed_in_as, summary_lines
from playwright.sync_api import Locator, Page, Route, expect

pytestmark = pytest.mark.browser

UNDERPASS = "Drug dealing in the Riverside Park underpass"
TEENAGERS = "Nothing for teenagers to do in Riverside after school"
DEALING = "Reports of dealing at the underpass"
SAFE = "People who feel safe in the underpass after dark"


def open_problem(page: Page, title: str) -> None:
    page.goto("/#/problems")
    search = page.get_by_role("searchbox", name="Search")
    search.fill(" ".join(title.split()[:6]))
    search.press("Enter")
    page.get_by_role("list", name="Problems").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def measure(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name="Is it getting better?").get_by_role("article", name=name)


def readings(page: Page, name: str) -> Locator:
    return page.get_by_role("table", name=f"Readings of {name}").locator("tbody tr")


def resolution(page: Page) -> Locator:
    return page.get_by_role("region", name="Resolution")


def test_an_officer_records_a_reading_and_closes_the_problem_and_a_supporter_disagrees(
    new_page: Callable[..., Page],
) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    open_problem(priya, UNDERPASS)
    dealing = measure(priya, DEALING)
    expect(dealing).to_contain_text("89% of the way to the target.")
    expect(dealing).to_contain_text("Lower is better. Baseline 24 reports a month")
    # The chart is drawn, and its readings are in the table for screen readers.
    expect(dealing.locator(".trend-chart canvas")).to_be_visible()
    expect(readings(priya, DEALING)).to_have_count(12)
    expect(readings(priya, DEALING).last).to_contain_text("8")
    expect(measure(priya, SAFE)).to_contain_text("62% of the way to the target.")
    screenshot(priya, "problem-measures")

    dealing.get_by_text(f"Record a reading of {DEALING}").click()
    form = dealing.get_by_role("form", name=f"Record a reading of {DEALING}")
    form.get_by_label("Value (reports a month)").fill("a few")
    form.get_by_role("button", name="Record reading").click()
    expect(summary_lines(form)).to_have_text(["The value must be a number, like 12 or 3.5."])
    expect(field_error(form, "value")).to_have_text("The value must be a number, like 12 or 3.5.")
    form.get_by_label("Value (reports a month)").fill("5")
    form.get_by_label("Note", exact=False).fill("Counted by the Riverside team.")
    form.get_by_role("button", name="Record reading").click()
    expect(
        priya.get_by_role("status").filter(has_text=f"The reading of {DEALING} is recorded.")
    ).to_be_visible()
    dealing = measure(priya, DEALING)
    expect(dealing).to_contain_text("The target is reached.")
    expect(readings(priya, DEALING)).to_have_count(13)
    expect(readings(priya, DEALING).last).to_contain_text("Counted by the Riverside team.")

    # The same day twice is refused, beside the date.
    dealing.get_by_text(f"Record a reading of {DEALING}").click()
    form = dealing.get_by_role("form", name=f"Record a reading of {DEALING}")
    form.get_by_label("Value (reports a month)").fill("4")
    form.get_by_role("button", name="Record reading").click()
    expect(field_error(form, "observedOn")).to_contain_text("is already recorded for this measure")
    expect(readings(priya, DEALING)).to_have_count(13)

    closing = resolution(priya)
    expect(closing).to_contain_text("The problem is open.")
    closing.get_by_text("Close this problem").click()
    form = closing.get_by_role("form", name="Close this problem")
    form.get_by_role("button", name="Close problem").click()
    expect(summary_lines(form)).to_have_text(
        [
            "Choose whether the problem is resolved.",
            "Enter a summary of what was done and what changed.",
        ]
    )
    form.get_by_label("Resolved", exact=True).check()
    form.get_by_label("Summary").fill("Dealing reports are down to five a month and the underpass is lit.")
    form.get_by_role("button", name="Close problem").click()
    expect(priya.get_by_role("status").filter(has_text="The problem is closed.")).to_be_visible()
    closing = resolution(priya)
    expect(closing).to_contain_text("Resolved")
    expect(closing).to_contain_text("Dealing reports are down to five a month")
    expect(closing.locator("#review-counts")).to_have_text("0 people agree, 0 people disagree.")
    expect(priya.locator("#problem-facts")).to_contain_text("Resolved")

    sam = new_page()
    sign_in(sam, "sam.patel@resident.demo")
    signed_in_as(sam, "Sam Patel")
    open_problem(sam, UNDERPASS)
    review = resolution(sam).get_by_role("group", name="Do you agree with how it was closed?")
    review.get_by_role("button", name="I disagree").click()
    expect(resolution(sam).locator("#review-counts")).to_have_text("0 people agree, 1 person disagrees.")
    expect(review.get_by_role("button", name="I disagree")).to_have_attribute("aria-pressed", "true")
    expect(review).to_contain_text("You disagree. You can change your mind.")
    screenshot(sam, "problem-resolution-review")
    # A change of mind moves the one review from one count to the other.
    review.get_by_role("button", name="I agree").click()
    expect(resolution(sam).locator("#review-counts")).to_have_text("1 person agrees, 0 people disagree.")
    review.get_by_role("button", name="I disagree").click()
    expect(resolution(sam).locator("#review-counts")).to_have_text("0 people agree, 1 person disagrees.")
    sam.reload()
    review = resolution(sam).get_by_role("group", name="Do you agree with how it was closed?")
    expect(review.get_by_role("button", name="I disagree")).to_have_attribute("aria-pressed", "true")
    expect(review.get_by_role("button", name="I agree")).to_have_attribute("aria-pressed", "false")

    # Whoever took no part reads the counts but is offered no buttons.
    visitor = new_page()
    visitor.goto("/#/problems")
    open_problem(visitor, UNDERPASS)
    expect(resolution(visitor).locator("#review-counts")).to_have_text("0 people agree, 1 person disagrees.")
    expect(resolution(visitor).get_by_role("button")).to_have_count(0)
    expect(measure(visitor, DEALING)).to_contain_text("The target is reached.")
    expect(measure(visitor, DEALING).get_by_text(f"Record a reading of {DEALING}")).to_have_count(0)


def test_a_disputed_closing_shows_its_counts_and_the_viewers_own_review(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    open_problem(page, TEENAGERS)
    expect(resolution(page).locator("#review-counts")).to_have_text("1 person agrees, 3 people disagree.")
    expect(resolution(page)).to_contain_text("You disagree. You can change your mind.")
    expect(measure(page, "Calls about young people causing nuisance near the shops")).to_contain_text(
        "22% of the way to the target."
    )


def test_without_the_chart_library_the_readings_table_shows(page: Page) -> None:
    def broken(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body="throw new Error('unavailable');")

    page.route(re.compile(r"/vendor/uplot/.*\.js$"), broken)
    open_problem(page, UNDERPASS)
    safe = measure(page, SAFE)
    expect(safe).to_contain_text("62% of the way to the target.")
    expect(page.get_by_role("table", name=f"Readings of {SAFE}")).to_be_visible()
    expect(readings(page, SAFE)).to_have_count(12)
    expect(safe.locator("canvas")).to_have_count(0)
    expect(safe.get_by_role("button", name="Show the readings as a table")).to_be_hidden()


def test_the_area_page_links_to_its_csv_exports(page: Page) -> None:
    page.goto("/#/")
    page.get_by_role("link", name="Riverside").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside")
    exports = page.get_by_role("region", name="Download the figures")
    for name, header in (
        ("Outcome readings", "problem"),
        ("Answers to proposals", "problem"),
    ):
        link = exports.get_by_role("link", name=name)
        href = link.get_attribute("href")
        assert href and re.fullmatch(r"/export/areas/[^/]+/(outcomes|accountability)\.csv", href), href
        answer = page.request.get(href)
        assert answer.status == 200
        assert answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(answer.text().lstrip("\ufeff"))))
        assert rows[0] and header in ",".join(rows[0]).lower()
        if name == "Outcome readings":
            # A year of monthly readings, and one more if the journey above has run.
            assert sum(1 for row in rows if DEALING in row) >= 12
    screenshot(page, "area-exports")
