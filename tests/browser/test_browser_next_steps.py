"""The viewer's place on the ladder and their next steps, on the home page and the profile:
a newcomer is offered a problem to follow, follows it, and stands on the first rung."""

from __future__ import annotations

import re

import pytest
from browsing import Server, register, serious_accessibility_violations, sign_in, signed_in_as
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

LADDER = "The ladder of participation, lowest rung first"


def ladder_card(page: Page) -> Locator:
    return page.get_by_role("region", name="Your place on the ladder")


def test_a_newcomer_follows_the_problem_offered_and_climbs_onto_the_ladder(
    page: Page, server: Server
) -> None:
    register(page, server, "Tom Newcomer", "tom.newcomer@example.org")
    page.goto("/#/")
    card = ladder_card(page)
    expect(card.get_by_text("Not yet: you have not taken part in the last 12 months")).to_be_visible()
    rungs = card.get_by_role("list", name=LADDER).get_by_role("listitem")
    expect(rungs).to_have_text(
        ["Following", "Conversation", "Participation", "Activist", "Volunteer", "Co-designer"]
    )
    expect(card.locator("[aria-current]")).to_have_count(0)
    steps = card.get_by_role("list", name="Next steps").get_by_role("listitem")
    expect(steps).not_to_have_count(0)
    expect(steps.first).to_contain_text("Takes you to: Following")
    assert serious_accessibility_violations(page) == []

    follow = steps.first.get_by_role("link", name=re.compile("^Follow: "))
    title = follow.inner_text().removeprefix("Follow: ")
    follow.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    take_part = page.get_by_role("region", name="Take part")
    take_part.get_by_role("button", name="Follow").click()
    expect(take_part.get_by_role("button", name="Unfollow")).to_be_visible()

    page.goto("/#/profile")
    card = ladder_card(page)
    expect(card.get_by_text("Following: you follow problems and read their updates")).to_be_visible()
    expect(card.locator('[aria-current="step"]')).to_have_text("Following (you)")
    # What is offered now leads higher, and the problem followed is not offered again.
    offered = card.get_by_role("list", name="Next steps").get_by_role("listitem")
    expect(offered).not_to_have_count(0)
    expect(offered.filter(has_text="Takes you to: Following")).to_have_count(0)
    expect(offered.filter(has_text=title)).to_have_count(0)
    assert serious_accessibility_violations(page) == []


def test_a_resident_sees_their_rung_marked_on_the_home_page(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    card = ladder_card(page)
    current = card.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text(re.compile(r"\(you\)$"))
    name = current.inner_text().removesuffix(" (you)")
    expect(card.get_by_text(re.compile(f"^{name}: you "))).to_be_visible()
    for link in card.get_by_role("list", name="Next steps").get_by_role("link").all():
        expect(link).to_have_attribute("href", re.compile(r"^/#/(problems|tasks|groups)/"))
