"""Administration through the web interface: platform admins, organisation admins, and everyone else."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import (
    choose,
    field_error,
    header,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    signed_in_as,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"


def test_an_admin_creates_an_area_under_northshire(page: Page) -> None:
    sign_in(page, "admin@rungs.demo")
    signed_in_as(page, "Alex Admin")
    header(page).get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    form = page.get_by_role("form", name="Create an area")
    expect(form.get_by_label("Part of").locator("option", has_text="Northshire")).to_be_attached()
    screenshot(page, "admin")

    form.get_by_role("button", name="Create area").click()
    expect(field_error(form, "name")).to_have_text("Enter a name")
    expect(form.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_be_focused()

    form.get_by_label("Name", exact=True).fill("Brookfield")
    choose(form.get_by_label("Part of"), "Northshire")
    form.get_by_label("Response time in days").fill("0")
    form.get_by_role("button", name="Create area").click()
    expect(field_error(form, "responseDays")).to_have_text("The response time must be between 1 and 365")
    expect(field_error(form, "name")).to_be_hidden()

    form.get_by_label("Response time in days").fill("10")
    form.get_by_role("button", name="Create area").click()
    expect(form.get_by_role("status")).to_have_text("Created Brookfield in Northshire.")
    expect(form.get_by_label("Name", exact=True)).to_have_value("")
    # The new area is at once a choice in the other forms.
    routing = page.get_by_role("form", name="Set a routing rule")
    expect(routing.get_by_label("Area").locator("option", has_text="Brookfield")).to_be_attached()

    header(page).get_by_role("link", name="Areas").click()
    # The administration page has an "Areas" section too: wait until it has given way.
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(page.get_by_role("form", name="Create an area")).to_have_count(0)
    areas = page.get_by_role("region", name="Areas")
    card = areas.get_by_role("link", name=re.compile(r"^Brookfield"))
    expect(card).to_contain_text("Part of Northshire")
    expect(card).to_contain_text("Answers within 10 days")
    screenshot(page, "home")

    card.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brookfield")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Northshire")


def test_the_home_page_shows_more_areas_on_request(page: Page) -> None:
    sign_in(page, "admin@rungs.demo")
    signed_in_as(page, "Alex Admin")
    create_area = (OPERATIONS / "CreateArea.graphql").read_text()
    for name in ("Ashdown", "Bellfield", "Canal Quarter", "Dunmore", "Eastgate"):
        response = page.request.post(
            "/graphql", data={"query": create_area, "variables": {"input": {"name": name}}}
        )
        assert response.json()["data"]["createArea"]["errors"] == []

    page.goto("/#/")
    page.reload()
    areas = page.get_by_role("region", name="Areas")
    cards = areas.get_by_role("listitem")
    expect(cards).to_have_count(12)
    summary = areas.get_by_text(re.compile(r"^Showing 12 of \d+ areas$"))
    total = int(re.findall(r"\d+", summary.inner_text())[-1])
    assert total > 12
    areas.get_by_role("button", name="Show more areas").click()
    expect(cards).to_have_count(total)
    expect(areas.get_by_role("button", name="Show more areas")).to_be_hidden()
    expect(areas.get_by_text(f"Showing {total} of {total} areas")).to_be_visible()
    # The keyboard carries on from the first area that was added.
    expect(cards.nth(12).get_by_role("link")).to_be_focused()


def test_an_admin_finds_a_resident_by_name_and_gives_them_an_area_role(new_page: Callable[[], Page]) -> None:
    resident = new_page()
    sign_in(resident, "kofi.mensah@resident.demo")
    signed_in_as(resident, "Kofi Mensah")

    admin = new_page()
    sign_in(admin, "admin@rungs.demo")
    signed_in_as(admin, "Alex Admin")
    admin.goto("/#/admin")
    form = admin.get_by_role("form", name="Give someone a role in an area")
    choose(form.get_by_label("Area"), "Riverside")
    form.get_by_role("button", name="Assign role").click()
    expect(field_error(form, "userId")).to_have_text("Find and choose the person")

    finder = form.get_by_role("searchbox", name="Find a person")
    finder.fill("nobody-at-all")
    finder.press("Enter")
    expect(form.get_by_text("Nobody with an account matches that.")).to_be_visible()
    finder.fill("kofi")
    form.get_by_role("button", name="Find").click()
    expect(form.get_by_label("Person", exact=True)).to_have_value(re.compile(".+"))
    expect(form.get_by_label("Person", exact=True).locator("option:checked")).to_have_text(
        "Kofi Mensah (kofi.mensah@resident.demo)"
    )
    form.get_by_role("button", name="Assign role").click()
    expect(form.get_by_role("status").last).to_have_text("Kofi Mensah is now coordinator of Riverside.")

    roles = admin.get_by_role("table", name="Area roles")
    expect(roles.get_by_role("row").filter(has_text="Kofi Mensah")).to_contain_text("Coordinator")
    resident.goto("/#/profile")
    expect(resident.get_by_role("region", name="Your roles")).to_contain_text("Riverside")

    # Taken away from the table, after asking once more.
    roles.get_by_role("button", name="Remove Kofi Mensah as coordinator of Riverside").click()
    roles.get_by_role("button", name="Keep").click()
    expect(roles.get_by_role("row").filter(has_text="Kofi Mensah")).to_have_count(1)
    roles.get_by_role("button", name="Remove Kofi Mensah as coordinator of Riverside").click()
    roles.get_by_role("button", name="Yes, remove Kofi Mensah as coordinator of Riverside").click()
    expect(admin.get_by_text("Kofi Mensah is no longer coordinator of Riverside.")).to_be_visible()
    expect(roles.get_by_role("row").filter(has_text="Kofi Mensah")).to_have_count(0)
    resident.reload()
    expect(resident.get_by_role("region", name="Your roles")).not_to_contain_text("Riverside")


def test_an_organisation_admin_changes_and_removes_members_in_the_member_list(
    new_page: Callable[[], Page],
) -> None:
    tom = new_page()
    sign_in(tom, "tom.reed@police.demo")
    signed_in_as(tom, "PCSO Tom Reed")
    tom.goto("/#/profile")
    expect(tom.get_by_role("region", name="Your roles")).to_contain_text("Northshire Police")

    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    priya.goto("/#/admin")
    # Her one organisation is chosen already.
    members = priya.get_by_role("table", name="Members")
    row = members.get_by_role("row").filter(has_text="PCSO Tom Reed")
    expect(row).to_contain_text("tom.reed@police.demo")
    expect(row).to_contain_text("Member")
    row.get_by_role("button", name="Make admin: PCSO Tom Reed").click()
    expect(priya.get_by_text("PCSO Tom Reed is now an admin of Northshire Police.")).to_be_visible()
    expect(row).to_contain_text("Admin")
    row.get_by_role("button", name="Make member: PCSO Tom Reed").click()
    expect(row).to_contain_text("Member")

    row.get_by_role("button", name="Remove PCSO Tom Reed").click()
    members.get_by_role("button", name="Yes, remove PCSO Tom Reed").click()
    expect(priya.get_by_text("PCSO Tom Reed is no longer a member of Northshire Police.")).to_be_visible()
    expect(members.get_by_role("row").filter(has_text="PCSO Tom Reed")).to_have_count(0)
    assert serious_accessibility_violations(priya) == []

    tom.reload()
    expect(tom.get_by_role("region", name="Your roles")).not_to_contain_text("Northshire Police")


def test_an_organisation_admin_adds_a_member_who_is_notified(new_page: Callable[[], Page]) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    header(priya).get_by_role("link", name="Administration").click()
    expect(priya.get_by_role("heading", level=2)).to_have_text(["Members"])
    expect(priya.get_by_role("form", name="Create an area")).to_have_count(0)
    form = priya.get_by_role("form", name="Add an organisation member")
    organisation = form.get_by_label("Organisation")
    expect(organisation).to_have_value(re.compile(".+"))
    expect(organisation.locator("option")).to_have_text(
        ["Choose an organisation", "Northshire Police (Police)"]
    )
    choose(organisation, "Northshire Police (Police)")
    form.get_by_label("Their email address").fill("maggie.doyle@resident.demo")
    form.get_by_role("button", name="Add member").click()
    expect(form.get_by_role("status")).to_contain_text(
        "maggie.doyle@resident.demo is now a member of Northshire Police."
    )
    form.get_by_label("Their email address").fill("maggie.doyle@resident.demo")
    form.get_by_role("button", name="Add member").click()
    expect(field_error(form, "email")).to_have_text("This person is a member already.")

    maggie = new_page()
    sign_in(maggie, "maggie.doyle@resident.demo")
    signed_in_as(maggie, "Maggie Doyle")
    notifications = header(maggie).get_by_role("link", name=re.compile(r"^Notifications"))
    expect(notifications).to_have_accessible_name("Notifications, 1 unread")
    notifications.click()
    # A member of the organisation now, she landed on her queue of proposals to answer first.
    item = maggie.get_by_role("listitem").filter(has_text="Sgt Priya Shah added you to Northshire Police")
    expect(item).to_be_visible()
    item.get_by_role("button", name=re.compile(r"^Mark .* as read$")).click()
    expect(maggie.get_by_text("You are all caught up.")).to_be_visible()
    expect(header(maggie).get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_a_resident_does_not_see_administration(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    expect(header(page).get_by_role("link", name="Administration")).to_have_count(0)

    page.goto("/#/admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    expect(page.get_by_text("Your account has neither role.")).to_be_visible()
    expect(page.get_by_role("form")).to_have_count(0)


def test_administration_asks_visitors_to_sign_in_first(page: Page) -> None:
    page.goto("/#/admin")
    expect(page).to_have_url(re.compile(r"#/sign-in\?next=%2Fadmin$"))
    sign_in_form = page.get_by_role("form", name="Sign in with your password")
    sign_in_form.get_by_label("Email address").fill("admin@rungs.demo")
    sign_in_form.get_by_label("Password").fill("lantern orchard velvet")
    sign_in_form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"#/admin$"))
    expect(page.get_by_role("form", name="Create an area")).to_be_visible()
