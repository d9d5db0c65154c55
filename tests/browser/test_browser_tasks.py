"""Volunteer tasks through the web interface: a resident signs up and withdraws, and joins a
waiting list; a lead checks volunteers in on a phone and records their hours; a member adds
a task from the group page and a lead changes and cancels it; the profile's hours and private
calendar address.

The demo data's tasks are the starting point: the youth club this week (2 of 4 places taken),
the hedges along the Canal Street path (full, Bill Turner waiting), and the evening
walk-through with the patrol, under way as the demo begins (Kofi Mensah, Amira Haddad and
Bill Turner signed up), all in Riverside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from browsing import (
    Server,
    choose,
    error_summary,
    field_error,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    signed_in_as,
)
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

CLUB = "Help run the youth club this week"
HEDGES = "Cut back the hedges along the Canal Street path"
WALK = "Evening walk-through with the patrol"
UNDERPASS_GROUP = "Riverside underpass group"
PHONE = 360


def hours_of_day(start: str, end: str) -> re.Pattern[str]:
    """From start to end on the service's clocks, named by its zone (Europe/London)."""
    return re.compile(rf"{start} \u2013 {end} (GMT|BST)")


def notice(page: Page, text: str) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


def take_part(page: Page) -> Locator:
    return page.get_by_role("region", name="Take part")


def roster(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Roster"))


def volunteer(page: Page, name: str) -> Locator:
    return roster(page).get_by_role("list", name="Volunteers").get_by_role("listitem").filter(has_text=name)


def find_task(page: Page, title: str, *, skill: str | None = None) -> None:
    """From the volunteer page in the navigation, filtered to Riverside (and a skill)."""
    page.goto("/#/")
    # On a phone the navigation is behind the menu button.
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Volunteer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer")
    filters = page.get_by_role("search", name="Filter volunteer tasks")
    choose(filters.get_by_label("Area"), "Riverside")
    if skill:
        filters.get_by_label("Skills").fill(skill)
        filters.get_by_label("Skills").press("Enter")
    expect(page).to_have_url(re.compile(r"area="))
    found = page.get_by_role("list", name="Volunteer tasks")
    found.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_resident_signs_up_withdraws_and_joins_a_waiting_list(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    find_task(page, CLUB, skill="first aid")
    place = take_part(page)
    expect(place).to_contain_text("2 of 4 places taken")
    # Times are shown on the service's clocks (Europe/London) with the zone's name.
    expect(page.locator("#task-facts")).to_contain_text(hours_of_day("18:00", "21:00"))
    place.get_by_role("button", name="Sign up").click()
    expect(notice(page, "You are signed up.")).to_be_focused()
    expect(take_part(page)).to_contain_text("You are signed up for this task.")
    expect(take_part(page)).to_contain_text("3 of 4 places taken")
    expect(page.locator(".page-head")).to_contain_text("Confirmed")
    assert serious_accessibility_violations(page) == []

    page.goto("/#/profile")
    mine = page.get_by_role("region", name="Your volunteer tasks")
    expect(mine.get_by_role("link", name=CLUB)).to_be_visible()
    mine.get_by_role("link", name=CLUB).click()

    take_part(page).get_by_role("button", name="Withdraw").click()
    expect(notice(page, "You have withdrawn")).to_be_visible()
    expect(take_part(page)).to_contain_text("2 of 4 places taken")
    expect(take_part(page).get_by_role("button", name="Sign up")).to_be_visible()

    find_task(page, HEDGES)
    expect(take_part(page)).to_contain_text("3 of 3 places taken · 1 waiting")
    take_part(page).get_by_role("button", name="Join the waiting list").click()
    expect(notice(page, "you are on the waiting list")).to_be_visible()
    expect(take_part(page)).to_contain_text("You are number 2 on the waiting list.")
    expect(page.locator(".page-head")).to_contain_text("Waiting list")
    screenshot(page, "task-waiting")
    take_part(page).get_by_role("button", name="Leave the waiting list").click()
    expect(notice(page, "You have left the waiting list.")).to_be_visible()
    expect(take_part(page)).to_contain_text("3 of 3 places taken · 1 waiting")


def test_a_lead_checks_volunteers_in_and_records_their_hours_on_a_phone(
    new_page: Callable[..., Page],
) -> None:
    priya = new_page(PHONE)
    sign_in(priya, "priya.shah@police.demo")
    expect(priya.get_by_text("Welcome back, Sgt Priya Shah.")).to_be_visible()
    find_task(priya, WALK)
    expect(roster(priya)).to_contain_text("(3 of 4)")
    volunteer(priya, "Kofi Mensah").get_by_role("button", name="Check in: Kofi Mensah").click()
    expect(notice(priya, "Kofi Mensah is checked in.")).to_be_focused()
    kofi = volunteer(priya, "Kofi Mensah")
    expect(kofi).to_contain_text("Checked in")

    hours = kofi.get_by_role("form", name="Hours given by Kofi Mensah")
    expect(hours.get_by_label("Hours given")).to_have_value("3")
    hours.get_by_label("Hours given").fill("9")
    hours.get_by_role("button", name="Record hours").click()
    # The server's limit: the task's length and two hours more.
    expect(field_error(hours, "hours")).to_contain_text("at most 5")
    hours.get_by_label("Hours given").fill("2.5")
    hours.get_by_role("button", name="Record hours").click()
    expect(notice(priya, "Kofi Mensah gave 2.5 hours.")).to_be_visible()
    expect(volunteer(priya, "Kofi Mensah")).to_contain_text("Completed")

    volunteer(priya, "Bill Turner").get_by_role("button", name="Did not come: Bill Turner").click()
    expect(notice(priya, "Bill Turner is marked as not having come.")).to_be_visible()
    expect(volunteer(priya, "Bill Turner")).to_contain_text("Did not come")
    expect(roster(priya)).to_contain_text("(3 of 4)")
    # The roster fits the phone: nothing wider than the screen.
    assert priya.evaluate("document.documentElement.scrollWidth") <= PHONE
    screenshot(priya, "task-roster-phone")
    assert serious_accessibility_violations(priya) == []

    kofi_page = new_page()
    sign_in(kofi_page, "kofi.mensah@resident.demo")
    signed_in_as(kofi_page, "Kofi Mensah")
    kofi_page.goto("/#/profile")
    # 2 hours at the underpass sweep last week, and 2.5 now.
    expect(kofi_page.locator("#hours-given")).to_contain_text("4.5 hours")


LETTERS = "Write to Canal Street about the new lighting"


def test_a_lead_assigns_a_member_of_the_group_from_the_roster_on_a_phone(
    new_page: Callable[..., Page],
) -> None:
    priya = new_page(PHONE)
    sign_in(priya, "priya.shah@police.demo")
    expect(priya.get_by_text("Welcome back, Sgt Priya Shah.")).to_be_visible()
    find_task(priya, LETTERS)
    expect(roster(priya)).to_contain_text("(1 of 6)")
    form = roster(priya).get_by_role("form", name="Assign a volunteer")
    member = form.get_by_label("Member")
    # Only the group's active members who hold no place yet: Amira Haddad has one.
    offered = member.locator("option").all_inner_texts()
    assert "Kofi Mensah" in offered and "Dana Okafor" in offered, offered
    assert "Amira Haddad" not in offered, offered
    form.get_by_role("button", name="Assign").click()
    expect(field_error(form, "userId")).to_contain_text("Choose the member to assign.")
    expect(error_summary(form)).to_be_focused()

    choose(member, "Kofi Mensah")
    form.get_by_role("button", name="Assign").click()
    expect(notice(priya, "Kofi Mensah has a place on the task.")).to_be_focused()
    expect(volunteer(priya, "Kofi Mensah")).to_contain_text("Confirmed")
    expect(roster(priya)).to_contain_text("(2 of 6)")
    offered = roster(priya).get_by_label("Member").locator("option").all_inner_texts()
    assert "Kofi Mensah" not in offered, offered
    assert priya.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert serious_accessibility_violations(priya) == []


def in_a_fortnight() -> str:
    return (date.today() + timedelta(days=14)).isoformat()


def test_a_member_adds_a_task_from_the_group_page_and_a_lead_changes_and_cancels_it(page: Page) -> None:
    sign_in(page, "priya.shah@police.demo")
    signed_in_as(page, "Sgt Priya Shah")
    page.goto("/#/")
    page.get_by_role("region", name="Areas").get_by_role("link", name=re.compile(r"^Riverside")).click()
    area_tasks = page.get_by_role("region", name="Volunteer tasks")
    expect(area_tasks.get_by_role("link", name=HEDGES)).to_be_visible()
    page.get_by_role("region", name="Working groups").get_by_role("link", name=UNDERPASS_GROUP).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNDERPASS_GROUP)

    tasks = page.get_by_role("region", name=re.compile(r"^Volunteer tasks"))
    expect(tasks.get_by_role("link", name=HEDGES)).to_be_visible()
    tasks.get_by_role("button", name="Add a volunteer task…").click()
    form = page.get_by_role("form", name="Add a volunteer task")
    form.get_by_role("button", name="Add the task").click()
    # Every fault at once: in the summary, and beside each field.
    for name in ("title", "description", "startsAt", "endsAt", "slots"):
        expect(field_error(form, name)).to_be_visible()
    expect(form.get_by_role("alert").get_by_role("listitem")).to_have_count(5)

    day = in_a_fortnight()
    form.get_by_label("Title").fill("Paint the underpass railings")
    form.get_by_label("Details").fill("Brushes and paint from the council. Old clothes recommended.")
    form.get_by_label("Starts").fill(f"{day}T10:00")
    form.get_by_label("Ends").fill(f"{day}T09:00")
    form.get_by_label("Where").fill("Riverside underpass")
    form.get_by_label("Volunteers needed").fill("0")
    form.get_by_role("button", name="Add the task").click()
    # The server's judgement, every fault at once beside its field.
    expect(field_error(form, "endsAt")).to_be_visible()
    expect(field_error(form, "slots")).to_be_visible()
    form.get_by_label("Ends").fill(f"{day}T12:30")
    form.get_by_label("Volunteers needed").fill("6")
    form.get_by_label("Part of the action").select_option(label="Patrols, and a clear path to Canal Street")
    form.get_by_role("button", name="Add the task").click()
    expect(notice(page, "“Paint the underpass railings” is posted.")).to_be_visible()

    page.get_by_role("region", name=re.compile(r"^Volunteer tasks")).get_by_role(
        "link", name="Paint the underpass railings"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paint the underpass railings")
    expect(page.locator("#task-facts")).to_contain_text(hours_of_day("10:00", "12:30"))
    expect(page.locator("#task-facts")).to_contain_text("Patrols, and a clear path to Canal Street")
    expect(take_part(page)).to_contain_text("0 of 6 places taken")

    page.get_by_role("button", name="Change the task…").click()
    change = page.get_by_role("form", name="Change the task")
    expect(change.get_by_label("Starts")).to_have_value(f"{day}T10:00")
    change.get_by_label("Volunteers needed").fill("8")
    change.get_by_label("Ends").fill(f"{day}T13:00")
    change.get_by_role("button", name="Save the changes").click()
    expect(notice(page, "The task is changed.")).to_be_visible()
    expect(take_part(page)).to_contain_text("0 of 8 places taken")
    expect(page.locator("#task-facts")).to_contain_text(hours_of_day("10:00", "13:00"))

    # Done from home after all: the place is taken away, not kept beside "From home".
    page.get_by_role("button", name="Change the task…").click()
    change = page.get_by_role("form", name="Change the task")
    change.get_by_label("Done from home").check()
    change.get_by_label("Where").fill("")
    change.get_by_role("button", name="Save the changes").click()
    expect(notice(page, "The task is changed.")).to_be_visible()
    expect(page.locator("#task-facts dt:text-is('Where') + dd")).to_have_text("From home")

    page.get_by_role("button", name="Cancel the task…").click()
    cancel = page.get_by_role("form", name="Cancel the task")
    cancel.get_by_role("button", name="Cancel the task").click()
    expect(field_error(cancel, "reason")).to_have_text("Say why the task is cancelled")
    cancel.get_by_label("Why it is cancelled").fill("The council has no paint until spring.")
    cancel.get_by_role("button", name="Cancel the task").click()
    expect(notice(page, "The task is cancelled.")).to_be_visible()
    expect(page.locator(".page-head .status-badge")).to_have_text("Cancelled")
    expect(take_part(page)).to_contain_text("The council has no paint until spring.")
    assert serious_accessibility_violations(page) == []


def test_the_profile_shows_hours_and_a_private_calendar_address_that_can_be_replaced(
    new_page: Callable[..., Page], server: Server
) -> None:
    grace = new_page()
    grace.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    sign_in(grace, "grace.liu@resident.demo")
    signed_in_as(grace, "Grace Liu")
    grace.goto("/#/profile")
    mine = grace.get_by_role("region", name="Your volunteer tasks")
    # Three hours at the youth club last week; the sweep's hours are still to be recorded.
    expect(mine.locator("#hours-given")).to_contain_text("3 hours")
    # Promoted from the waiting list when Maggie Doyle withdrew.
    expect(mine.get_by_role("listitem").filter(has_text=HEDGES)).to_contain_text("Confirmed")
    expect(mine.get_by_role("link", name=CLUB)).to_be_visible()

    calendar = grace.get_by_role("region", name="Your tasks in your calendar")
    address = calendar.locator("#calendar-feed-url")
    first = address.inner_text()
    assert first.startswith(f"{server.url}/calendar/") and first.endswith(".ics"), first
    calendar.get_by_role("button", name="Copy address").click()
    expect(calendar.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    assert grace.evaluate("navigator.clipboard.readText()") == first
    feed = grace.request.get(first)
    assert feed.ok and "BEGIN:VCALENDAR" in feed.text() and HEDGES in feed.text()
    screenshot(grace, "profile-tasks")

    calendar.get_by_role("button", name="Make a new address").click()
    expect(calendar.get_by_role("status").filter(has_text="The old one no longer works")).to_be_visible()
    expect(address).not_to_have_text(first)
    second = address.inner_text()
    assert grace.request.get(first).status == 404
    assert grace.request.get(second).ok
    assert serious_accessibility_violations(grace) == []
