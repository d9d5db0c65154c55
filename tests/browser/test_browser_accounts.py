"""Registering, signing in and out, sign-in links, profiles and unsubscribe links, through the web
interface."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from browsing import (
    DEMO_PASSWORD,
    SIGN_IN_LINK,
    Server,
    choose,
    error_summary,
    field_error,
    header,
    register,
    sign_in,
    sign_in_link,
    signed_in_as,
    summary_lines,
    text_of,
)
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser


def test_a_new_resident_registers_signs_out_and_signs_in_again(page: Page, server: Server) -> None:
    register(page, server, "Jo Whitfield", "jo.whitfield@example.org")
    expect(page).to_have_url(re.compile(r"#/profile$"))
    # Focus moves to the new page's heading, as it would on a page load.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    header(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status").filter(has_text="You are signed out.")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(header(page)).not_to_contain_text("Jo Whitfield")

    sign_in(page, "jo.whitfield@example.org")
    signed_in_as(page, "Jo Whitfield")
    expect(page.get_by_text("Welcome back, Jo Whitfield.")).to_be_visible()

    # The session is a cookie: a reload keeps it.
    page.reload()
    signed_in_as(page, "Jo Whitfield")


def test_signing_out_while_the_profile_still_loads_stays_signed_out_where_it_went(
    page: Page, server: Server
) -> None:
    register(page, server, "Kit Marlowe", "kit.marlowe@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    # The profile's list of sessions is held back, so the page is still loading when the
    # person signs out; it answers only once they are on the home page.
    held: list[Route] = []

    def hold_sessions(route: Route) -> None:
        if "ViewerSessions" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/graphql", hold_sessions)
    page.reload()
    expect(page.get_by_text("Loading your profile…")).to_be_visible()
    header(page).get_by_role("button", name="Sign out").click()
    notice = page.get_by_role("status").filter(has_text="You are signed out.")
    expect(notice).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/$"))

    with page.expect_response(lambda response: "ViewerSessions" in (response.request.post_data or "")):
        held.pop().continue_()
    # The page left behind finishes loading, and must neither redirect nor draw anything.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    expect(page).to_have_url(re.compile(r"#/$"))
    expect(notice).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Your profile")


def test_registering_an_address_that_has_an_account_mails_its_owner_a_sign_in_link(
    page: Page, new_page: Callable[[], Page], server: Server
) -> None:
    before = server.mail_names()
    page.goto("/#/register")
    form = page.get_by_role("form", name="Create your account")
    form.get_by_label("Your name").fill("Someone Else")
    form.get_by_label("Email address").fill("sam.patel@resident.demo")
    form.get_by_label("Password").fill("tangerine viaduct shoelace")
    form.get_by_role("button", name="Create account").click()
    # The same answer as for a new address: nothing tells whether the address has an account.
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()

    mail = server.wait_for_mail("sam.patel@resident.demo", ignore=before, containing="already have")
    assert mail["Subject"] == "You already have a Rungs account"
    owner = new_page()
    owner.goto(sign_in_link(mail))
    signed_in_as(owner, "Sam Patel")
    # The account is as it was: its own password still opens it.
    header(owner).get_by_role("button", name="Sign out").click()
    expect(header(owner).get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(owner, "sam.patel@resident.demo")
    signed_in_as(owner, "Sam Patel")


def test_an_empty_registration_form_is_told_every_fault_at_once(page: Page) -> None:
    page.goto("/#/register")
    form = page.get_by_role("form", name="Create your account")
    form.get_by_role("button", name="Create account").click()

    faults = {
        "displayName": "Enter your name",
        "email": "Enter your email address",
        "password": "Enter your password",
    }
    # In the summary, in the order of the form, which takes the focus...
    expect(summary_lines(form)).to_have_text(list(faults.values()))
    expect(error_summary(form)).to_be_focused()
    # ...and beside each field, tied to its control.
    for name, message in faults.items():
        expect(field_error(form, name)).to_have_text(message)
        control = form.locator(f'[data-field="{name}"] input')
        expect(control).to_have_attribute("aria-invalid", "true")
        error_id = field_error(form, name).get_attribute("id")
        assert error_id in (control.get_attribute("aria-describedby") or "").split()
    # Each line of the summary takes the keyboard to its field.
    summary_lines(form).get_by_role("link", name="Enter your email address").click()
    expect(form.get_by_label("Email address")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#/register$"))


def test_a_guessable_password_is_refused_at_registration(page: Page) -> None:
    page.goto("/#/register")
    form = page.get_by_role("form", name="Create your account")
    form.get_by_label("Your name").fill("Lee Morgan")
    form.get_by_label("Email address").fill("lee.morgan@example.org")
    form.get_by_label("Password").fill("password12")
    form.get_by_role("button", name="Create account").click()
    expect(field_error(form, "password")).to_contain_text("too easy to guess")
    expect(form.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_a_wrong_password_is_refused_with_its_message(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo", "not-the-password")
    form = page.get_by_role("form", name="Sign in with your password")
    expect(summary_lines(form)).to_have_text(["The email address or the password is wrong."])
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()

    form.get_by_label("Email address").fill("")
    form.get_by_role("button", name="Sign in").click()
    expect(field_error(form, "email")).to_have_text("Enter your email address")
    expect(form.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    expect(error_summary(form)).to_be_focused()


def test_a_sign_in_link_from_the_email_signs_in_once(
    page: Page, new_page: Callable[[], Page], server: Server
) -> None:
    before = server.mail_names()
    page.goto("/#/sign-in")
    form = page.get_by_role("form", name="Email me a sign-in link")
    form.get_by_label("Email address").fill("maggie.doyle@resident.demo")
    form.get_by_role("button", name="Email me a sign-in link").click()
    answer = "A mail is on its way to that address, with a sign-in link if it has an account."
    expect(form.get_by_role("status")).to_contain_text(answer)

    # An unknown address gets the very same answer.
    form.get_by_label("Email address").fill("nobody@example.org")
    form.get_by_role("button", name="Email me a sign-in link").click()
    expect(form.get_by_role("status")).to_contain_text(answer)

    mail = server.wait_for_mail("maggie.doyle@resident.demo", ignore=before, containing=SIGN_IN_LINK)
    found = re.search(r"\S+/#/sign-in/link\?token=\S+", text_of(mail))
    assert found, text_of(mail)
    link = found.group(0)
    assert link.startswith(f"{server.url}/#/sign-in/link?token=")

    page.goto(link)
    signed_in_as(page, "Maggie Doyle")
    assert "token" not in page.url

    other = new_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("This sign-in link cannot be used")
    expect(other.get_by_role("alert")).to_contain_text("expired or was used already")
    expect(header(other).get_by_role("link", name="Sign in")).to_be_visible()


def test_profile_changes_persist(page: Page, server: Server) -> None:
    register(page, server, "Ana Ferreira", "ana.ferreira@example.org")
    page.goto("/#/profile")
    about = page.get_by_role("form", name="Profile")
    expect(page.locator("#your-id")).to_have_text(re.compile(r"\S{4,}"))

    about.get_by_label("Your name").fill("   ")
    about.get_by_role("button", name="Save profile").click()
    expect(field_error(about, "displayName")).to_have_text("Enter your name")

    about.get_by_label("Your name").fill("Ana F. Ferreira")
    choose(about.get_by_label("Home area"), "Old Town")
    skills = about.get_by_role("textbox", name="Skills")
    skills.fill("First aid")
    skills.press("Enter")
    # Text typed but not yet added is saved too.
    skills.fill("Translation")
    about.get_by_role("button", name="Save profile").click()
    expect(about.get_by_role("status")).to_have_text("Your profile is saved.")
    signed_in_as(page, "Ana F. Ferreira")

    preferences = page.get_by_role("form", name="Notification preferences")
    preferences.get_by_label("Email me my notifications").uncheck()
    preferences.get_by_role("group", name="Progress digest").get_by_label("Daily").check()
    preferences.get_by_role("button", name="Save preferences").click()
    expect(preferences.get_by_role("status")).to_have_text("Your notification preferences are saved.")

    page.reload()
    about = page.get_by_role("form", name="Profile")
    expect(about.get_by_label("Your name")).to_have_value("Ana F. Ferreira")
    expect(about.get_by_label("Home area").locator("option:checked")).to_contain_text("Old Town")
    expect(about.get_by_role("list", name="Skills").locator("li > span")).to_have_text(
        ["First aid", "Translation"]
    )
    expect(about.get_by_role("button", name="Remove Translation")).to_be_visible()
    preferences = page.get_by_role("form", name="Notification preferences")
    expect(preferences.get_by_label("Email me my notifications")).not_to_be_checked()
    digest = preferences.get_by_role("group", name="Progress digest")
    expect(digest.get_by_label("Daily")).to_be_checked()
    expect(digest.get_by_label("Weekly")).not_to_be_checked()


def test_unexpected_errors_show_in_the_page_banner(page: Page) -> None:
    page.goto("/#/sign-in")
    form = page.get_by_role("form", name="Sign in with your password")
    expect(form).to_be_visible()
    message = "Unexpected error; quote request 5f2c when reporting it."
    masked = {"data": None, "errors": [{"message": message}]}
    page.route("**/graphql", lambda route: route.fulfill(json=masked))
    form.get_by_label("Email address").fill("sam.patel@resident.demo")
    form.get_by_label("Password").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    banner = page.locator("#banner").get_by_role("alert")
    expect(banner).to_contain_text(message)
    expect(form.get_by_role("button", name="Sign in")).to_be_enabled()

    # The banner goes with the next navigation.
    page.unroute("**/graphql")
    header(page).get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(banner).to_have_count(0)


def test_a_resident_downloads_their_data_and_erases_their_account(page: Page, server: Server) -> None:
    register(page, server, "Erin Leaving", "erin.leaving@example.org")
    page.goto("/#/profile")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a copy of your data").click()
    copy = json.loads(Path(download.value.path()).read_text())
    assert copy["profile"]["email"] == "erin.leaving@example.org"

    form = page.get_by_role("form", name="Erase your account")
    question = page.get_by_role("group", name="Erase your account for good?")
    form.get_by_label("Your password").fill(DEMO_PASSWORD)
    # Erasing asks first, and taking it back leaves the account as it was.
    form.get_by_role("button", name="Erase my account").click()
    expect(question).to_be_visible()
    expect(question.get_by_role("heading")).to_be_focused()
    question.get_by_role("button", name="No, keep my account").click()
    expect(question).to_be_hidden()
    expect(form.get_by_label("Your password")).to_be_focused()
    expect(header(page).get_by_role("button", name="Sign out")).to_be_visible()

    form.get_by_label("Your password").fill("not my password")
    form.get_by_role("button", name="Erase my account").click()
    question.get_by_role("button", name="Yes, erase my account").click()
    expect(field_error(form, "password")).to_have_text("Your password is wrong")

    form.get_by_label("Your password").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Erase my account").click()
    question.get_by_role("button", name="Yes, erase my account").click()
    expect(page.get_by_text("Your account is erased.")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()

    sign_in(page, "erin.leaving@example.org")
    expect(summary_lines(page.get_by_role("form", name="Sign in with your password"))).to_have_text(
        ["The email address or the password is wrong."]
    )


def mail_with_an_unsubscribe_link(server: Server, turning_off: str, timeout: float = 30.0) -> EmailMessage:
    """A mail the demo's news sent, whose unsubscribe address turns off `turning_off` (its
    code in the token: "email", "reminders", "digest")."""
    deadline = time.monotonic() + timeout
    while True:
        for path in sorted(server.mail_dir.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage)
            if f".{turning_off}." in (message["List-Unsubscribe"] or ""):
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail that unsubscribes from {turning_off} in {server.mail_dir}")
        time.sleep(0.1)


def test_an_unsubscribe_link_opened_signed_out_turns_off_what_it_says_once_confirmed(
    page: Page, server: Server
) -> None:
    mail = mail_with_an_unsubscribe_link(server, "email")
    address = mail["List-Unsubscribe"].strip("<>")
    assert address.startswith(f"{server.url}/unsubscribe/")
    assert f'href="{address}"' in mail.get_body(("html",)).get_content()  # type: ignore[union-attr]

    page.goto(address)

    expect(page.get_by_role("heading", level=1)).to_have_text("Turn off email notifications?")
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Turn off email notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email notifications turned off")
    expect(page.get_by_role("status").filter(has_text="Done")).to_contain_text(
        "you will get no more email notifications from Rungs"
    )

    page.get_by_role("link", name="your notification preferences").click()
    form = page.get_by_role("form", name="Sign in with your password")
    form.get_by_label("Email address").fill(mail["To"])
    form.get_by_label("Password").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    preferences = page.get_by_role("form", name="Notification preferences")
    expect(preferences.get_by_label("Email me my notifications")).not_to_be_checked()


def test_a_tampered_unsubscribe_link_says_it_cannot_be_used(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/unsubscribe/1.email.not-signed")

    expect(page.get_by_role("heading", level=1)).to_have_text("This unsubscribe link cannot be used")
    expect(page.get_by_role("alert")).to_contain_text("This unsubscribe link is not valid")
    expect(page.get_by_role("button", name=re.compile("Turn off"))).to_have_count(0)
