"""Officers at work: the queue they land on after signing in, answering from it, and figures
that link to the proposals they count."""

from __future__ import annotations

import re
from collections.abc import Callable

from browsing import header, screenshot, serious_accessibility_violations, sign_in, signed_in_as
from playwright.sync_api import Page, expect

MOTORBIKES = "Motorbikes tearing up Harrowgate North playing fields"
SPEEDING = "Speeding on Mill Lane past Riverside Primary"


def queue_titles(page: Page) -> list[str]:
    queue = page.get_by_role("list", name="Proposals awaiting your answer")
    expect(queue).to_be_visible()
    return queue.get_by_role("heading", level=2).all_inner_texts()


def test_an_officer_lands_on_the_queue_and_answers_from_it(new_page: Callable[[], Page]) -> None:
    tom = new_page()
    sign_in(tom, "tom.reed@police.demo")
    signed_in_as(tom, "PCSO Tom Reed")
    expect(tom.get_by_role("heading", level=1)).to_have_text("Awaiting your answer")
    expect(tom).to_have_url(re.compile(r"#/queue$"))
    to_answer = header(tom).get_by_role("link", name=re.compile(r"^To answer"))
    expect(to_answer).to_have_attribute("aria-current", "page")
    # Overdue first, then the soonest due; the police own these, the council's are not Tom's.
    titles = queue_titles(tom)
    assert titles[:2] == [SPEEDING, MOTORBIKES], titles
    assert "Fly-tipping behind the Old Town car park" not in titles
    count = len(titles)
    expect(
        tom.get_by_text(re.compile(rf"^{count} proposals awaiting your answer, 2 overdue\.$"))
    ).to_be_visible()
    expect(to_answer).to_have_accessible_name(f"To answer, {count} awaiting your answer")
    assert serious_accessibility_violations(tom) == []
    screenshot(tom, "queue")

    card = tom.get_by_role("listitem").filter(has=tom.get_by_role("heading", name=MOTORBIKES))
    expect(card).to_contain_text("Overdue")
    card.get_by_role("link", name="Answer this proposal").click()
    expect(tom.get_by_role("heading", level=1)).to_have_text(MOTORBIKES)
    form = tom.get_by_role("form", name="Respond to this proposal")
    form.get_by_label("Accept").check()
    form.get_by_label("Your response").fill("Accepted. We'll patrol the fields on weekend afternoons.")
    form.get_by_role("button", name="Publish response").click()
    expect(tom.get_by_role("status").filter(has_text="Your response is published.")).to_be_visible()

    to_answer.click()
    expect(tom.get_by_role("heading", level=1)).to_have_text("Awaiting your answer")
    expect(
        tom.get_by_role("list", name="Proposals awaiting your answer").get_by_role("heading", name=MOTORBIKES)
    ).to_have_count(0)
    expect(
        tom.get_by_text(re.compile(rf"^{count - 1} proposals awaiting your answer, 1 overdue\.$"))
    ).to_be_visible()
    expect(to_answer).to_have_accessible_name(f"To answer, {count - 1} awaiting your answer")


def test_a_resident_has_no_queue(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    expect(page).not_to_have_url(re.compile(r"#/queue"))
    expect(header(page).get_by_role("link", name=re.compile(r"^To answer"))).to_have_count(0)


def board_count(page: Page) -> int:
    summary = page.get_by_text(re.compile(r"^(Showing \d+ of \d+ problems?|No problems)$"))
    expect(summary).to_be_visible()
    found = re.search(r"of (\d+) problem", summary.inner_text())
    return int(found.group(1)) if found else 0


def test_each_figure_of_an_area_links_to_the_problems_it_counts(page: Page) -> None:
    # An admin sees every proposal, restricted ones too, as the figures count them.
    sign_in(page, "admin@rungs.demo")
    signed_in_as(page, "Alex Admin")
    page.goto("/#/")
    areas = page.get_by_role("region", name="Areas")
    areas.get_by_role("link", name=re.compile(r"^Kingsbridge(?! Central)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kingsbridge")
    figures = page.get_by_role("region", name="How proposals here are answered")
    expect(figures).to_contain_text("All proposals, since the platform began")
    links = figures.get_by_role("link")
    expect(links.first).to_be_visible()
    counted = [(link.inner_text(), link.get_attribute("href")) for link in links.all()]
    # Every figure but the median links; "of N due" and each decline reason link too.
    assert len(counted) >= 10, counted
    for text, href in counted:
        assert href is not None
        page.goto(f"/{href}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Problems")
        shown = int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]
        assert board_count(page) == shown, (text, href)
    expect(page.locator(".figure-filters")).to_be_visible()


def test_the_area_page_shows_the_rules_in_force_and_where_they_come_from(page: Page) -> None:
    page.goto("/#/")
    page.get_by_role("region", name="Areas").get_by_role("link", name=re.compile(r"^Riverside")).click()
    rules = page.locator("#rules-in-force")
    youth = rules.get_by_role("row").filter(has_text="Vulnerability")
    expect(youth).to_contain_text("Riverside Youth Trust")
    expect(youth).to_contain_text("Riverside itself")
    environment = rules.get_by_role("row").filter(has_text="Environment")
    expect(environment).to_contain_text("Kingsbridge Borough Council")
    expect(environment).to_contain_text("Kingsbridge (inherited)")
    expect(rules.get_by_role("row").filter(has_text="Drugs")).to_contain_text("Northshire (inherited)")
