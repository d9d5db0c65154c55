"""Working groups through the web interface: forming one from a problem, inviting, joining,
asking to join, and an action plan co-owned by an organisation and a resident.

The demo data's groups are the starting point: the Riverside underpass group (joining on
approval, led by Sgt Priya Shah) and the Friday youth club group (open to all, led by Ruth
Byrne). The bike thefts at Kingsbridge station are accepted and have no group yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browsing import open_problem, screenshot, serious_accessibility_violations, sign_in, signed_in_as
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

BIKES = "Bike thefts from the racks at Kingsbridge station"
UNDERPASS_GROUP = "Riverside underpass group"
YOUTH_GROUP = "Friday youth club group"
STATION_GROUP = "Kingsbridge station bike theft group"


def open_group(page: Page, area: str, name: str) -> None:
    """From the area's page, where its working groups are listed."""
    page.goto("/#/")
    page.get_by_role("region", name="Areas").get_by_role("link", name=re.compile(rf"^{area}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area)
    page.get_by_role("region", name="Working groups").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def notice(page: Page, text: str) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


def members(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Members"))


def plan(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Action plan"))


def owner(page: Page, name: str) -> Locator:
    """An owner's share of the group's one action."""
    owners = plan(page).get_by_role("list", name=re.compile(r"^Owners of"))
    return owners.get_by_role("listitem").filter(has=page.locator(".owner-name", has_text=name))


def test_a_coordinator_forms_a_group_a_resident_joins_and_they_finish_an_action(
    new_page: Callable[[], Page],
) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    open_problem(priya, BIKES)
    groups = priya.get_by_role("region", name="Working groups")
    expect(groups).to_contain_text("No group works on it yet.")
    groups.get_by_role("button", name="Form a working group…").click()
    form = priya.get_by_role("form", name="Form a working group")
    form.get_by_role("button", name="Form the group").click()
    # Every fault at once: in the summary, and beside each field.
    expect(form.locator('[data-field="name"] .field-error')).to_be_visible()
    expect(form.locator('[data-field="purpose"] .field-error')).to_be_visible()
    expect(form.get_by_role("alert").get_by_role("listitem")).to_have_count(2)
    form.get_by_label("Name of the group").fill(STATION_GROUP)
    form.get_by_label("Purpose").fill("Make the station racks a place where bikes stay put.")
    form.get_by_label("By invitation").check()
    form.get_by_role("button", name="Form the group").click()

    expect(priya).to_have_url(re.compile(r"#/groups/[\w-]+$"))
    expect(priya.get_by_role("heading", level=1)).to_have_text(STATION_GROUP)
    expect(notice(priya, "is formed, and you lead it")).to_be_visible()
    expect(priya.locator(".page-head")).to_contain_text("By invitation")
    lead = members(priya).get_by_role("listitem").filter(has_text="Sgt Priya Shah")
    expect(lead).to_contain_text("Lead")
    expect(lead).to_contain_text("Northshire Police")
    expect(lead).to_contain_text("priya.shah@police.demo")
    group_address = priya.url

    # The problem moved on to the Response stage ("Acting on it"), and lists its group.
    open_problem(priya, BIKES)
    expect(priya.locator("#problem-facts [aria-current=step]")).to_have_text("Acting on it")
    listed = priya.get_by_role("region", name="Working groups")
    expect(listed.get_by_role("link", name=STATION_GROUP)).to_be_visible()

    priya.goto(group_address)
    invite = priya.get_by_role("form", name="Invite someone")
    invite.get_by_label("Find a person by name").fill("grace")
    invite.get_by_role("button", name="Find").click()
    expect(invite.get_by_text("1 person found")).to_be_visible()
    expect(invite.get_by_label("Person").locator("option:checked")).to_have_text("Grace Liu (resident)")
    expect(invite).not_to_contain_text("@")
    invite.get_by_role("button", name="Send invitation").click()
    expect(notice(priya, "Grace Liu is invited.")).to_be_focused()
    invitations = members(priya).get_by_role("list", name=re.compile(r"^Invitations"))
    expect(invitations).to_contain_text("Grace Liu")
    screenshot(priya, "group-lead")

    grace = new_page()
    sign_in(grace, "grace.liu@resident.demo")
    signed_in_as(grace, "Grace Liu")
    grace.goto("/#/profile")
    mine = grace.get_by_role("region", name="Your working groups")
    expect(mine).to_contain_text(STATION_GROUP)
    mine.get_by_role("button", name=f"Accept the invitation to {STATION_GROUP}").click()
    expect(mine.get_by_role("status")).to_have_text(f"You are a member of {STATION_GROUP}.")
    mine.get_by_role("link", name=STATION_GROUP).click()
    expect(grace.get_by_role("region", name="Take part")).to_contain_text("You are a member of this group.")
    expect(members(grace)).to_contain_text("Grace Liu")
    # A member who does not lead sees no addresses, invitations or requests.
    expect(members(grace)).not_to_contain_text("priya.shah@police.demo")
    expect(members(grace).get_by_role("heading", name=re.compile(r"^Invitations"))).to_have_count(0)

    plan(grace).get_by_role("button", name="Plan an action…").click()
    new_action = grace.get_by_role("form", name="Plan an action")
    new_action.get_by_label("What will be done").fill("Move the racks into view of the ticket office")
    new_action.get_by_label("Details").fill("The rail company moves the racks; we check the cameras.")
    new_action.get_by_label("Northshire Police").check()
    new_action.get_by_label("Grace Liu (resident)").check()
    new_action.get_by_role("button", name="Add to the plan").click()
    expect(notice(grace, "is in the plan")).to_be_visible()
    action = plan(grace).get_by_role("listitem").filter(has_text="Move the racks into view")
    expect(action.locator(".status-badge")).to_have_text("Proposed")

    owner(grace, "Grace Liu").get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(notice(grace, "You accepted your share")).to_be_visible()
    expect(action.locator(".status-badge")).to_have_text("Under way")

    priya.reload()
    owner(priya, "Northshire Police").get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(notice(priya, "Northshire Police accepted its share")).to_be_visible()
    owner(priya, "Northshire Police").get_by_role("button", name=re.compile(r"^Report progress")).click()
    report = priya.get_by_role("form", name=re.compile(r"^Report progress for Northshire Police"))
    report.get_by_label("Done").check()
    report.get_by_label("Note").fill("CCTV now covers the new racks.")
    report.get_by_role("button", name="Send report").click()
    expect(notice(priya, "Northshire Police reported its progress")).to_be_visible()
    expect(owner(priya, "Northshire Police")).to_contain_text("CCTV now covers the new racks.")
    action = plan(priya).get_by_role("listitem").filter(has_text="Move the racks into view")
    expect(action.locator(".status-badge")).to_have_text("Under way")
    expect(action).to_contain_text("1 of 2 owners done")

    grace.reload()
    owner(grace, "Grace Liu").get_by_role("button", name=re.compile(r"^Report progress")).click()
    report = grace.get_by_role("form", name=re.compile(r"^Report progress for Grace Liu"))
    report.get_by_label("Done").check()
    report.get_by_role("button", name="Send report").click()
    expect(notice(grace, "You reported your progress")).to_be_visible()
    action = plan(grace).get_by_role("listitem").filter(has_text="Move the racks into view")
    expect(action.locator(".status-badge")).to_have_text("Done")
    expect(action).to_contain_text("2 of 2 owners done")
    screenshot(grace, "group-member")
    assert serious_accessibility_violations(grace) == []


def test_a_resident_joins_an_open_group_and_leaves_it(page: Page) -> None:
    sign_in(page, "maggie.doyle@resident.demo")
    signed_in_as(page, "Maggie Doyle")
    open_group(page, "Riverside", YOUTH_GROUP)
    place = page.get_by_role("region", name="Take part")
    place.get_by_role("button", name="Join this group").click()
    expect(notice(page, f"You are a member of {YOUTH_GROUP}.")).to_be_focused()
    expect(page.get_by_role("region", name="Take part")).to_contain_text("You are a member of this group.")
    expect(members(page)).to_contain_text("Maggie Doyle")

    page.get_by_role("region", name="Take part").get_by_role("button", name="Leave the group").click()
    expect(notice(page, f"You have left {YOUTH_GROUP}.")).to_be_visible()
    place = page.get_by_role("region", name="Take part")
    expect(place.get_by_role("button", name="Join this group")).to_be_visible()
    expect(members(page)).not_to_contain_text("Maggie Doyle")
    assert serious_accessibility_violations(page) == []


def test_a_resident_asks_to_join_and_a_lead_approves(new_page: Callable[[], Page]) -> None:
    bill = new_page()
    sign_in(bill, "bill.turner@resident.demo")
    signed_in_as(bill, "Bill Turner")
    open_group(bill, "Riverside", UNDERPASS_GROUP)
    ask = bill.get_by_role("form", name="Ask to join")
    ask.get_by_label("A word to the leads").fill("I walk through the underpass every evening.")
    ask.get_by_role("button", name="Ask to join").click()
    expect(notice(bill, "Your request to join is sent.")).to_be_visible()
    expect(bill.get_by_role("region", name="Take part")).to_contain_text("A lead will decide.")
    address = bill.url

    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    priya.goto(address)
    requests = members(priya).get_by_role("list", name=re.compile(r"^Requests to join"))
    request = requests.get_by_role("listitem").filter(has_text="Bill Turner")
    expect(request).to_contain_text("I walk through the underpass every evening.")
    expect(request).to_contain_text("bill.turner@resident.demo")
    request.get_by_role("button", name="Approve: Bill Turner").click()
    expect(notice(priya, "Bill Turner is now a member.")).to_be_visible()
    expect(members(priya).get_by_role("list", name="Members")).to_contain_text("Bill Turner")

    # A lead's page: requests, invitations, addresses and every form a lead may send.
    assert serious_accessibility_violations(priya) == []

    bill.reload()
    expect(bill.get_by_role("region", name="Take part")).to_contain_text("You are a member of this group.")
    screenshot(priya, "group-approved")
