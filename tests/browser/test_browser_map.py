"""Residents on a map and on a phone: placing a pin (a tap, their location, an address) when
proposing, the force's guidance before and after, the place on a problem's page, the board as a
map, character counts, and the board's filters behind a button at 360 px.

The server here names the force's own guidance, an online crime report page, a map centre and
an address search; the browser answers the address search itself, and tiles come from a local
stand-in (or fail, where a test says so), so nothing leaves the machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from browsing import (
    board,
    error_summary,
    field_error,
    open_problem,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    signed_in_as,
    summary_lines,
    titles,
)
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

GUIDANCE = "In an emergency call 999. To report a crime call 101, or use our online form."
GEOCODER = "https://geocoder.test"
UNDERPASS = "Drug dealing in the Riverside Park underpass"
# How many problems the visitor may see have a place, asked as the board asks.
PLACED = """
async () => {
  const query = '{ problems(first: 100) { edges { node { location { latitude } } } } }';
  const answer = await fetch('/graphql', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query }),
  });
  return (await answer.json()).data.problems.edges.filter((edge) => edge.node.location).length;
}
"""


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {
        "EMERGENCY_GUIDANCE": GUIDANCE,
        "CRIME_REPORT_URL": "https://police.test/report",
        "MAP_CENTRE": "54.5237,-1.5591",
        "MAP_ZOOM": "14",
        "GEOCODING_URL": f"{GEOCODER}/search?format=jsonv2&q={{query}}",
    }


def answer_address_search(route: Route) -> None:
    """The address search, as Nominatim answers: Market Square for any words."""
    found = [{"lat": "54.52362", "lon": "-1.55258", "display_name": "Market Square, Old Town"}]
    route.fulfill(
        body=json.dumps(found), content_type="application/json", headers={"Access-Control-Allow-Origin": "*"}
    )


def start_proposing(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    page.goto("/#/problems/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a problem")


def fill_the_proposal(page: Page, title: str) -> None:
    form = page.get_by_role("form", name="Propose a problem")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Description").fill("Glass on the pavement every Sunday morning, by the bins.")
    form.get_by_label("Category").select_option(label="Environment")


def location_fact(page: Page) -> str:
    facts = page.locator("#problem-facts")
    return facts.locator(".fact-row", has=page.get_by_text("Location", exact=True)).locator("dd").inner_text()


def test_a_resident_taps_the_map_to_place_the_pin_and_proposes(page: Page) -> None:
    start_proposing(page)
    # The force's words on emergencies and crimes come before the form.
    guidance = page.locator("#emergency-guidance")
    expect(guidance).to_contain_text(GUIDANCE)
    expect(guidance.get_by_role("link", name="Report a crime online (opens in a new tab)")).to_have_attribute(
        "href", "https://police.test/report"
    )
    form = page.get_by_role("form", name="Propose a problem")
    assert guidance.bounding_box()["y"] < form.bounding_box()["y"]  # type: ignore[index]

    title = "Broken glass by the bins behind Riverside Parade"
    fill_the_proposal(page, title)
    tap_map = form.get_by_role("region", name="Map: tap where the problem is to place the pin")
    expect(tap_map).to_be_visible()
    tap_map.click(position={"x": 180, "y": 90})
    latitude = form.get_by_label("Latitude")
    longitude = form.get_by_label("Longitude")
    expect(latitude).to_have_value(re.compile(r"^54\.5\d+$"))
    expect(longitude).to_have_value(re.compile(r"^-1\.5\d+$"))
    expect(form.get_by_text(re.compile(r"^Pin placed on the map: latitude 54\.5"))).to_be_attached()
    expect(form.locator(".leaflet-marker-icon")).to_have_count(1)
    placed = f"{latitude.input_value()}, {longitude.input_value()}"
    assert serious_accessibility_violations(page) == []
    screenshot(page, "propose-with-map")

    form.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # The confirmation repeats the guidance: a crime is not a neighbourhood problem.
    confirmation = page.get_by_role("status").filter(has_text="Your proposal is published.")
    expect(confirmation).to_contain_text(GUIDANCE)
    # The proposer sees the place exactly as placed, in words and on a map.
    assert location_fact(page) == placed
    expect(page.get_by_role("region", name="Where it is, on a map")).to_be_visible()
    expect(page.locator("#problem-facts ~ .map-slot .leaflet-marker-icon")).to_have_count(1)
    assert serious_accessibility_violations(page) == []


def test_typing_moves_the_pin_and_the_pin_can_be_removed(page: Page) -> None:
    start_proposing(page)
    form = page.get_by_role("form", name="Propose a problem")
    expect(form.get_by_role("region", name=re.compile("^Map: tap"))).to_be_visible()
    expect(form.locator(".leaflet-marker-icon")).to_have_count(0)
    form.get_by_label("Latitude").fill("54.5301")
    form.get_by_label("Longitude").fill("-1.5512")
    form.get_by_label("Longitude").press("Tab")
    expect(form.locator(".leaflet-marker-icon")).to_have_count(1)
    form.get_by_role("button", name="Remove the pin").click()
    expect(form.locator(".leaflet-marker-icon")).to_have_count(0)
    expect(form.get_by_label("Latitude")).to_have_value("")
    expect(form.get_by_label("Longitude")).to_have_value("")


def test_my_location_fills_in_the_place(new_page: Callable[..., Page]) -> None:
    page = new_page(geolocation={"latitude": 54.5301, "longitude": -1.5512}, permissions=["geolocation"])
    start_proposing(page)
    form = page.get_by_role("form", name="Propose a problem")
    form.get_by_role("button", name="Use my location").click()
    expect(form.get_by_label("Latitude")).to_have_value("54.5301")
    expect(form.get_by_label("Longitude")).to_have_value("-1.5512")
    expect(
        form.get_by_text("Pin placed where you are: latitude 54.5301, longitude -1.5512.")
    ).to_be_attached()


def test_an_address_search_places_the_pin_when_one_is_configured(page: Page) -> None:
    page.context.route(f"{GEOCODER}/**", answer_address_search)
    start_proposing(page)
    form = page.get_by_role("form", name="Propose a problem")
    search = form.get_by_label("Find an address or postcode")
    search.fill("Market Square")
    # Enter searches; it does not send the proposal.
    search.press("Enter")
    expect(form.get_by_text("Found Market Square, Old Town.")).to_be_visible()
    expect(form.get_by_label("Latitude")).to_have_value("54.52362")
    expect(form.get_by_label("Longitude")).to_have_value("-1.55258")
    expect(error_summary(form)).to_be_hidden()


def test_pages_work_with_the_place_in_words_when_tiles_cannot_load(new_page: Callable[..., Page]) -> None:
    page = new_page(tiles="failing")
    start_proposing(page)
    form = page.get_by_role("form", name="Propose a problem")
    expect(
        form.get_by_text(
            "The map could not be loaded. Use your location, or type the latitude and longitude below."
        )
    ).to_be_visible()
    title = "Graffiti on the footbridge over the Skerne"
    fill_the_proposal(page, title)
    form.get_by_label("Latitude").fill("54.5251")
    form.get_by_label("Longitude").fill("-1.5532")
    form.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert location_fact(page) == "54.5251, -1.5532"
    expect(
        page.get_by_text("The map could not be loaded; the location above gives the place.")
    ).to_be_visible()


def test_the_board_shows_the_problems_in_view_on_a_map(page: Page) -> None:
    page.goto("/#/problems")
    expect(titles(page).first).to_be_visible()
    placed = page.evaluate(PLACED)
    assert placed >= 10
    page.get_by_role("button", name="Map", exact=True).click()
    expect(page).to_have_url(re.compile(r"view=map"))
    expect(page.get_by_role("button", name="Map", exact=True)).to_have_attribute("aria-pressed", "true")
    on_the_map = page.get_by_role("region", name="Problems on the map")
    expect(on_the_map).to_be_visible()
    expect(board(page)).to_be_hidden()
    expect(on_the_map.locator(".leaflet-marker-icon")).to_have_count(placed)
    expect(
        page.get_by_text(re.compile(rf"^{placed} of the \d+ problems in view have a place on the map"))
    ).to_be_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "board-map")

    # The filters narrow the map as they narrow the list.
    page.get_by_role("searchbox", name="Search").fill("underpass")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(on_the_map.locator(".leaflet-marker-icon")).to_have_count(1)
    on_the_map.get_by_alt_text(UNDERPASS).click()
    on_the_map.get_by_role("link", name=UNDERPASS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNDERPASS)
    expect(page.get_by_role("region", name="Where it is, on a map")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("region", name="Problems on the map")).to_be_visible()
    page.get_by_role("button", name="List", exact=True).click()
    expect(titles(page)).to_have_text([UNDERPASS])
    expect(page).not_to_have_url(re.compile(r"view=map"))


def test_long_fields_count_their_characters_and_never_cut_them(page: Page) -> None:
    start_proposing(page)
    form = page.get_by_role("form", name="Propose a problem")
    title = form.locator('[data-field="title"]')
    expect(title.locator(".character-count")).to_have_text("You can enter up to 200 characters")
    form.get_by_label("Title").fill("Broken glass")
    expect(title.locator(".character-count")).to_have_text("You have 188 characters remaining")
    too_long = "Broken glass " * 16
    form.get_by_label("Title").fill(too_long)
    # Nothing is cut: the count says by how much it is over.
    assert form.get_by_label("Title").input_value() == too_long
    expect(title.locator(".character-count")).to_have_text("You have 7 characters too many")
    # Screen readers hear the count once the typing pauses, politely.
    expect(title.locator('[aria-live="polite"]')).to_have_text("You have 7 characters too many")
    expect(form.get_by_label("Title")).to_have_accessible_description(
        re.compile("You can enter up to 200 characters")
    )
    form.get_by_role("button", name="Send proposal").click()
    expect(field_error(form, "title")).to_have_text("Title must be 200 characters or fewer")
    expect(summary_lines(form).first).to_have_text("Title must be 200 characters or fewer")
    expect(form.locator('[data-field="description"] .character-count')).to_have_text(
        "You can enter up to 10,000 characters"
    )

    open_problem(page, UNDERPASS)
    comment = page.get_by_role("form", name="Add a comment")
    comment.get_by_label("Your comment").fill("The lights are still out.")
    expect(comment.locator(".character-count")).to_have_text("You have 1,975 characters remaining")
    comment.get_by_role("button", name="Post comment").click()
    expect(comment.get_by_role("status")).to_have_text("Your comment is posted.")
    expect(comment.locator(".character-count")).to_have_text("You can enter up to 2,000 characters")


def test_on_a_phone_results_come_first_and_the_filters_wait_behind_a_button(
    new_page: Callable[..., Page],
) -> None:
    page = new_page(360)
    page.goto("/#/problems")
    first = board(page).get_by_role("listitem").first
    expect(first).to_be_visible()
    # Within the first screenful of a phone, where it was some 1,400 px down.
    assert first.bounding_box()["y"] < 700  # type: ignore[index]
    filters = page.get_by_role("search", name="Filter problems")
    expect(filters).to_be_hidden()
    button = page.get_by_role("button", name="Filters", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "board-360")

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(filters).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()
    filters.get_by_label("Overdue only").check()
    expect(titles(page)).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    button.click()
    expect(filters).to_be_hidden()

    wide = new_page(1280)
    wide.goto("/#/problems")
    expect(wide.get_by_role("search", name="Filter problems")).to_be_visible()
    expect(wide.get_by_role("button", name="Filters", exact=True)).to_be_hidden()
