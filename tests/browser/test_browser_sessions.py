"""Changing the password, and seeing and ending one's sessions and API tokens, on the profile page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browsing import (
    DEMO_PASSWORD,
    Server,
    field_error,
    header,
    register,
    serious_accessibility_violations,
    sign_in,
    signed_in_as,
)
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new passphrase"


def sessions_table(page: Page) -> Locator:
    return page.get_by_role("table", name="Browsers and API tokens signed in to your account")


def rows(page: Page) -> Locator:
    return sessions_table(page).locator("tbody tr")


def test_a_resident_changes_their_password_and_is_signed_out_everywhere_else(
    page: Page, new_page: Callable[[], Page], server: Server
) -> None:
    register(page, server, "Kit Marsh", "kit.marsh@example.org")
    phone = new_page()
    sign_in(phone, "kit.marsh@example.org")
    signed_in_as(phone, "Kit Marsh")
    # Registering ended on the profile page: read it afresh, with the phone's session.
    expect(page).to_have_url(re.compile(r"#/profile$"))
    page.reload()
    expect(rows(page)).to_have_count(2)
    before = server.mail_names()

    form = page.get_by_role("form", name="Change your password")
    form.get_by_label("Current password").fill("not my password")
    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()
    expect(field_error(form, "currentPassword")).to_have_text("Your current password is wrong")
    expect(form.get_by_role("alert")).to_be_focused()

    form.get_by_label("Current password").fill(DEMO_PASSWORD)
    form.get_by_label("New password").fill("short")
    form.get_by_role("button", name="Change password").click()
    expect(field_error(form, "newPassword")).to_have_text("Your new password must be at least 10 characters")
    expect(field_error(form, "currentPassword")).to_be_hidden()

    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("status")).to_have_text(
        "Your password is changed. You are still signed in here, and signed out everywhere else."
    )
    expect(form.get_by_label("Current password")).to_have_value("")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("This browser")

    mail = server.wait_for_mail("kit.marsh@example.org", ignore=before)
    assert mail["Subject"] == "Your Rungs password was changed"

    phone.reload()
    expect(header(phone).get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(phone, "kit.marsh@example.org", NEW_PASSWORD)
    signed_in_as(phone, "Kit Marsh")


def test_a_resident_makes_an_api_token_and_ends_sessions_one_by_one_or_all_at_once(
    page: Page, new_page: Callable[[], Page], server: Server
) -> None:
    register(page, server, "Lee Rowan", "lee.rowan@example.org")
    laptop = new_page()
    sign_in(laptop, "lee.rowan@example.org")
    signed_in_as(laptop, "Lee Rowan")
    expect(page).to_have_url(re.compile(r"#/profile$"))
    page.reload()
    expect(rows(page)).to_have_count(2)

    tokens = page.get_by_role("form", name="Create an API token")
    tokens.get_by_label("Token name").fill("Weekly report")
    tokens.get_by_label("Lasts for (days)").fill("91")
    tokens.get_by_role("button", name="Create token").click()
    expect(field_error(tokens, "expiresInDays")).to_have_text("The number of days must be between 1 and 90")
    tokens.get_by_label("Lasts for (days)").fill("a month")
    tokens.get_by_role("button", name="Create token").click()
    expect(field_error(tokens, "expiresInDays")).to_have_text("The number of days must be a whole number")

    tokens.get_by_label("Lasts for (days)").fill("30")
    tokens.get_by_role("button", name="Create token").click()
    status = tokens.get_by_role("status")
    expect(status).to_contain_text("Token “Weekly report” created. It works until ")
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^[A-Za-z0-9_-]{32,}$"))
    found = re.search(r"until (\d{1,2} \w{3} \d{4})", status.inner_text())
    assert found, status.inner_text()
    token_row = rows(page).filter(has_text="API token “Weekly report”")
    # The table shows the same expiry as the token's creation did.
    expect(token_row).to_contain_text(found.group(1))
    expect(rows(page)).to_have_count(3)

    other_browser = rows(page).filter(has_not_text="This browser").filter(has_not_text="API token")
    other_browser.get_by_role("button", name=re.compile("^Sign out .*, signed in ")).click()
    signed_in_where = page.get_by_role("region", name="Where you are signed in")
    expect(signed_in_where.get_by_role("status")).to_have_text(re.compile(r"^Signed out: .+\.$"))
    expect(rows(page)).to_have_count(2)
    laptop.reload()
    expect(header(laptop).get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(rows(page)).to_have_count(1)
    expect(token_row).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out everywhere else")).to_be_disabled()

    rows(page).get_by_role("button", name=re.compile("the one you are using$")).click()
    expect(page.get_by_role("status").filter(has_text="You are signed out.")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()


def test_the_profile_page_fits_a_narrow_phone_and_passes_the_accessibility_checks(
    page: Page, server: Server
) -> None:
    register(page, server, "Mo Ashby", "mo.ashby@example.org")
    expect(page).to_have_url(re.compile(r"#/profile$"))
    page.set_viewport_size({"width": 320, "height": 700})
    expect(rows(page)).to_have_count(1)
    tokens = page.get_by_role("form", name="Create an API token")
    tokens.get_by_label("Token name").fill("Phone script")
    tokens.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_be_visible()
    expect(rows(page)).to_have_count(2)
    password = page.get_by_role("form", name="Change your password")
    password.get_by_role("button", name="Change password").click()
    expect(field_error(password, "currentPassword")).to_be_visible()

    # Nothing sticks out sideways: each entry of the table reads as a list of labelled facts.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    expect(rows(page).first.locator("td").first).to_have_css("display", "block")
    assert serious_accessibility_violations(page) == []
