"""What a person does in the interface, step by step, for the browser tests."""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from backend.demo import DEMO_PASSWORD

# Set BROWSER_SCREENSHOTS to a directory to keep screenshots of the main screens.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    def mail_names(self) -> set[str]:
        return {path.name for path in self.mail_dir.glob("*.eml")}

    def wait_for_mail(
        self, to: str, *, ignore: set[str], containing: str | None = None, timeout: float = 15.0
    ) -> EmailMessage:
        """The first new mail to `to` whose subject or text holds `containing`, when given: the
        demo's own news may reach the same person meanwhile. The worker delivers within a second
        or two."""
        deadline = time.monotonic() + timeout
        while True:
            for path in sorted(self.mail_dir.glob("*.eml")):
                if path.name in ignore:
                    continue
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] == to and (
                    containing is None or containing in f"{message['Subject']}\n{text_of(message)}"
                ):
                    return message  # type: ignore[return-value]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} in {self.mail_dir} after {timeout} s")
            time.sleep(0.05)

    def log(self) -> str:
        return "".join(self.output[-60:])


def text_of(mail: EmailMessage) -> str:
    """A mail's plain-text part (every mail has an HTML part beside it)."""
    body = mail.get_body(("plain",))
    assert body is not None, mail
    text: str = body.get_content()
    return text


def header(page: Page) -> Locator:
    return page.get_by_role("banner")


def field_error(form: Locator, name: str) -> Locator:
    """The error shown next to the control for the input field `name`."""
    return form.locator(f'[data-field="{name}"] .field-error')


def error_summary(form: Locator) -> Locator:
    """The summary at the top of a form that lists every error it was refused with."""
    return form.get_by_role("alert")


def summary_lines(form: Locator) -> Locator:
    return error_summary(form).get_by_role("listitem")


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/#/sign-in")
    form = page.get_by_role("form", name="Sign in with your password")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()


def signed_in_as(page: Page, name: str) -> None:
    expect(header(page).get_by_role("link", name=name)).to_be_visible()
    expect(header(page).get_by_role("button", name="Sign out")).to_be_visible()


# What every mail with a sign-in link holds.
SIGN_IN_LINK = "/#/sign-in/link?"


def sign_in_link(mail: EmailMessage) -> str:
    found = re.search(r"\S+/#/sign-in/link\?\S*token=\S+", text_of(mail))
    assert found, text_of(mail)
    return found.group(0)


def register(page: Page, server: Server, name: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Registers, then confirms the address with the link from the mail, which signs in."""
    before = server.mail_names()
    page.goto("/#/")
    header(page).get_by_role("link", name="Register").click()
    form = page.get_by_role("form", name="Create your account")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=email)).to_be_visible()
    page.goto(sign_in_link(server.wait_for_mail(email, ignore=before, containing=SIGN_IN_LINK)))
    signed_in_as(page, name)


def board(page: Page) -> Locator:
    return page.get_by_role("list", name="Problems")


def titles(page: Page) -> Locator:
    return board(page).get_by_role("heading", level=2)


def open_problem(page: Page, title: str) -> None:
    """From the board, by searching for words from the problem's title."""
    page.goto("/#/problems")
    # On a phone the board's filters, its search among them, wait behind a button.
    search = page.get_by_role("searchbox", name="Search")
    filters = page.get_by_role("button", name="Filters", exact=True)
    expect(search.or_(filters).first).to_be_visible()
    if filters.is_visible() and filters.get_attribute("aria-expanded") == "false":
        filters.click()
    search.fill(" ".join(title.split()[:6]))
    search.press("Enter")
    expect(titles(page)).to_have_text([title])
    board(page).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def choose(select: Locator, text: str) -> None:
    """Chooses the option showing `text` (area choosers indent their options as a tree)."""
    option = select.locator("option", has_text=text)
    expect(option.first).to_be_attached()
    value = select.locator("option").evaluate_all(
        "(options, text) => options.find("
        "(o) => o.textContent.replace(/[\\s└]+/g, ' ').trim() === text)?.value",
        text,
    )
    assert value, f"no option {text!r}"
    select.select_option(value)


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def serious_accessibility_violations(page: Page) -> list[str]:
    """What axe-core finds wrong on the page as it is now, at the serious or critical level."""
    # No CSSOM preload: to read the stylesheets that styles.css imports, axe-core copies them
    # into inline <style> elements, which the page's Content-Security-Policy rightly refuses.
    # Only its screen-orientation rule needs them.
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
