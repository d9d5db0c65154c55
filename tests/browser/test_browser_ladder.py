"""The participation ladder on an area page, in Chromium: the rungs now as a chart and a table,
who moved over a chosen period, and the ladder month by month, from the demo's year of
snapshots; at a phone's width too, and without serious accessibility faults."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browsing import screenshot, serious_accessibility_violations
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

RUNGS = ["None", "Passive", "Conversation", "Participation", "Activist", "Volunteer", "Co-designer"]


def open_area(page: Page, name: str) -> Locator:
    page.goto("/#/")
    area_id = page.evaluate(
        """async (name) => (await (await fetch('/graphql', {
             method: 'POST', headers: { 'Content-Type': 'application/json' },
             body: JSON.stringify({ query: '{ areas(first: 100) { edges { node { id name } } } }' }),
           })).json()).data.areas.edges.find((edge) => edge.node.name === name).node.id""",
        name,
    )
    page.goto(f"/#/areas/{area_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.get_by_role("region", name="Participation ladder")


def counts(ladder: Locator) -> list[int]:
    return [
        int(cell)
        for cell in ladder.get_by_role("table", name="People on each rung")
        .locator("tbody td")
        .all_inner_texts()
    ]


def test_the_area_page_charts_the_ladder_its_movement_and_its_year(new_page: Callable[..., Page]) -> None:
    page = new_page()
    ladder = open_area(page, "Kingsbridge")

    expect(ladder.locator(".ladder-bars canvas")).to_be_visible()
    rows = ladder.get_by_role("table", name="People on each rung").locator("tbody th")
    expect(rows).to_have_count(len(RUNGS))
    for row, rung in zip(rows.all(), RUNGS, strict=True):
        expect(row).to_contain_text(rung)
    assert sum(counts(ladder)[1:]) > 20

    moves = ladder.locator("#ladder-moves li")
    expect(moves.first).to_be_visible()
    three_months = moves.all_inner_texts()
    assert any("came onto the ladder" in move for move in three_months), three_months
    ladder.get_by_label("Since").select_option(label="The last 12 months")
    expect(moves.first).to_be_visible()
    expect(ladder.locator("#ladder-moves")).not_to_have_text("\n".join(three_months))

    expect(ladder.locator(".ladder-months canvas")).to_be_visible()
    ladder.get_by_text("The numbers month by month").click()
    months = ladder.get_by_role("region", name="The ladder month by month").locator("tbody tr")
    expect(months).to_have_count(12)
    expect(months.last.locator("td")).to_have_text([str(count) for count in counts(ladder)])
    screenshot(page, "area-ladder")
    assert serious_accessibility_violations(page) == []


def test_the_ladder_fits_a_phone(new_page: Callable[..., Page]) -> None:
    page = new_page(320)
    ladder = open_area(page, "Riverside")
    expect(ladder.locator(".ladder-bars canvas")).to_be_visible()
    expect(ladder.locator(".ladder-months canvas")).to_be_visible()
    ladder.get_by_text("The numbers month by month").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "area-ladder-phone")
