"""The administration tables in Chromium: a platform admin edits and removes areas,
organisations and routing rules in place, is told plainly when the rules keep something,
and fixes a routing gap the configuration check shows."""

from __future__ import annotations

import re

import pytest
from browsing import choose, screenshot, serious_accessibility_violations, sign_in, signed_in_as
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser


def administration(page: Page) -> None:
    sign_in(page, "admin@rungs.demo")
    signed_in_as(page, "Alex Admin")
    page.goto("/#/admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")


def row(table: Locator, heading: str) -> Locator:
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=heading, exact=True))


def test_an_admin_renames_an_area_and_removes_one_set_up_by_mistake(page: Page) -> None:
    administration(page)
    create = page.get_by_role("form", name="Create an area")
    create.get_by_label("Name", exact=True).fill("Brookfeild")
    choose(create.get_by_label("Part of"), "Kingsbridge")
    create.get_by_role("button", name="Create area").click()
    expect(create.get_by_role("status")).to_have_text("Created Brookfeild in Kingsbridge.")

    areas = page.get_by_role("table", name="Areas")
    expect(row(areas, "Brookfeild")).to_contain_text("14 days (from the area above)")
    areas.get_by_role("button", name="Edit Brookfeild").click()
    edit = page.get_by_role("form", name="Edit Brookfeild")
    edit.get_by_label("Name", exact=True).fill("KINGSBRIDGE CENTRAL")
    edit.get_by_label("Response time in days").fill("7")
    edit.get_by_role("button", name="Save changes").click()
    # A sibling has that name already, whatever the case.
    expect(edit.get_by_role("alert")).to_contain_text("An area in Kingsbridge has this name already")
    edit.get_by_label("Name", exact=True).fill("Brookfield")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved Brookfield.")).to_be_visible()
    expect(row(areas, "Brookfield")).to_contain_text("7 days")

    row(areas, "Northshire").get_by_role("button", name="Remove Northshire").click()
    areas.get_by_role("button", name="Yes, remove Northshire").click()
    expect(page.get_by_text("Northshire has areas inside it; remove those first.")).to_be_visible()
    expect(row(areas, "Northshire")).to_have_count(1)

    row(areas, "Brookfield").get_by_role("button", name="Remove Brookfield").click()
    areas.get_by_role("button", name="Yes, remove Brookfield").click()
    expect(page.get_by_text("Removed Brookfield.")).to_be_visible()
    expect(row(areas, "Brookfield")).to_have_count(0)
    expect(
        page.get_by_role("form", name="Set a routing rule")
        .get_by_label("Area")
        .locator("option", has_text="Brookfield")
    ).to_have_count(0)


def test_an_admin_corrects_an_organisation_and_removes_one_that_answers_for_nothing(page: Page) -> None:
    administration(page)
    create = page.get_by_role("form", name="Create an organisation")
    create.get_by_label("Name").fill("Northshire Food Bnk")
    create.get_by_label("Kind").select_option("CHARITY")
    create.get_by_role("button", name="Create organisation").click()
    expect(create.get_by_role("status")).to_have_text("Created Northshire Food Bnk (Charity).")

    organisations = page.get_by_role("table", name="Organisations")
    organisations.get_by_role("button", name="Edit Northshire Food Bnk").click()
    edit = page.get_by_role("form", name="Edit Northshire Food Bnk")
    edit.get_by_label("Name").fill("northshire police")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_role("alert")).to_contain_text("An organisation with this name exists already.")
    edit.get_by_label("Name").fill("Northshire Food Bank")
    edit.get_by_label("Kind").select_option("COMMUNITY_GROUP")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved Northshire Food Bank.")).to_be_visible()
    expect(row(organisations, "Northshire Food Bank")).to_contain_text("Community group")

    row(organisations, "Northshire Police").get_by_role("button", name="Remove Northshire Police").click()
    organisations.get_by_role("button", name="Yes, remove Northshire Police").click()
    expect(page.get_by_text(re.compile("Routing rules send proposals to Northshire Police"))).to_be_visible()

    row(organisations, "Northshire Food Bank").get_by_role(
        "button", name="Remove Northshire Food Bank"
    ).click()
    organisations.get_by_role("button", name="Yes, remove Northshire Food Bank").click()
    expect(page.get_by_text("Removed Northshire Food Bank.")).to_be_visible()
    expect(row(organisations, "Northshire Food Bank")).to_have_count(0)


def test_an_admin_gives_a_routing_rule_another_owner_and_removes_it(page: Page) -> None:
    administration(page)
    routing = page.get_by_role("form", name="Set a routing rule")
    choose(routing.get_by_label("Area"), "Kingsbridge Central")
    routing.get_by_label("Category of problem").select_option("FRAUD")
    choose(routing.get_by_label("Owned by"), "Northshire Police (Police)")
    routing.get_by_role("button", name="Set routing rule").click()
    expect(routing.get_by_role("status")).to_contain_text(
        "Fraud proposals in Kingsbridge Central are now owned by Northshire Police."
    )

    rules = page.get_by_role("table", name="Routing rules")
    rules.get_by_role("button", name="Edit the Fraud rule of Kingsbridge Central").click()
    edit = page.get_by_role("form", name="Edit the Fraud rule of Kingsbridge Central")
    choose(
        edit.get_by_label("Owner of Fraud proposals in Kingsbridge Central"),
        "Kingsbridge Borough Council (Council)",
    )
    edit.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_text(
            "Fraud proposals in Kingsbridge Central are now owned by Kingsbridge Borough Council."
        )
    ).to_be_visible()
    changed = rules.get_by_role("row").filter(has_text="Kingsbridge Central").filter(has_text="Fraud")
    expect(changed).to_contain_text("Kingsbridge Borough Council")
    assert serious_accessibility_violations(page) == []

    changed.get_by_role("button", name="Remove the Fraud rule of Kingsbridge Central").click()
    rules.get_by_role("button", name="Yes, remove the Fraud rule of Kingsbridge Central").click()
    expect(
        page.get_by_text("Fraud proposals in Kingsbridge Central no longer have an owner of their own there.")
    ).to_be_visible()
    expect(changed).to_have_count(0)


def test_an_admin_fixes_a_routing_gap_the_configuration_check_shows(page: Page) -> None:
    administration(page)
    check = page.get_by_role("region", name="Configuration check")
    gap = check.get_by_role("listitem").filter(has_text=re.compile(r"^Millfield"))
    expect(gap).to_contain_text("Environment, Vulnerability, Other")
    screenshot(page, "admin-check")

    routing = page.get_by_role("form", name="Set a routing rule")
    for category, owner, left in (
        ("Environment", "Kingsbridge Borough Council (Council)", "Vulnerability, Other"),
        ("Vulnerability", "Riverside Youth Trust (Charity)", "Other"),
    ):
        gap.get_by_role("button", name="Add a routing rule for Millfield").click()
        expect(routing.get_by_label("Category of problem")).to_be_focused()
        expect(routing.get_by_label("Area").locator("option:checked")).to_contain_text("Millfield")
        expect(routing.get_by_label("Category of problem").locator("option:checked")).to_have_text(category)
        choose(routing.get_by_label("Owned by"), owner)
        routing.get_by_role("button", name="Set routing rule").click()
        expect(routing.get_by_role("status")).to_contain_text(
            f"{category} proposals in Millfield are now owned by"
        )
        expect(gap.locator(".gap-categories")).to_have_text(left)

    gap.get_by_role("button", name="Add a routing rule for Millfield").click()
    choose(routing.get_by_label("Owned by"), "Northshire Police (Police)")
    routing.get_by_role("button", name="Set routing rule").click()
    expect(routing.get_by_role("status")).to_contain_text(
        "Other proposals in Millfield are now owned by Northshire Police."
    )
    expect(gap).to_have_count(0)
    # The areas above it still have their gaps.
    expect(check.get_by_role("listitem").filter(has_text=re.compile(r"^Harrowgate in"))).to_be_visible()
    expect(
        page.get_by_role("table", name="Routing rules").get_by_role("row").filter(has_text="Millfield")
    ).to_have_count(3)
