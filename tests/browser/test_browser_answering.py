"""Answering well, in the web interface: an organisation's admin adds a common answer; an
officer reaches the answer panel from the top of the page, starts from that answer, and
corrects the published text within the correction window; the page marks it corrected.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browsing import header, open_problem, screenshot, serious_accessibility_violations, sign_in, signed_in_as
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SCAMS = "Doorstep and phone scams targeting older residents in Old Town"
TEMPLATE = "Accepted: talks for older residents"


def test_an_admin_adds_a_common_answer_on_the_organisation_page(new_page: Callable[..., Page]) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    header(priya).get_by_role("link", name="Organisations").click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Organisations")
    priya.get_by_role("link", name="Northshire Police").click()
    section = priya.get_by_role("region", name="Common answers")
    expect(section).to_contain_text("Accepted: patrols arranged")
    form = section.get_by_role("form", name="Add a common answer")
    form.get_by_role("button", name="Add answer").click()
    expect(form.locator('[data-field="title"] .field-error')).to_have_text("Enter a title")
    expect(form.locator('[data-field="body"] .field-error')).to_have_text("Enter a template text")
    form.get_by_label("Title").fill(TEMPLATE)
    form.get_by_label("Text").fill(
        "Thank you. We're accepting this: our fraud officers will give talks for older residents."
    )
    form.get_by_role("button", name="Add answer").click()
    expect(section.get_by_text(f"“{TEMPLATE}” is added.")).to_be_visible()
    expect(section.get_by_role("heading", name=TEMPLATE)).to_be_visible()
    assert serious_accessibility_violations(priya) == []


@pytest.mark.parametrize("width", [360])
def test_the_answer_panel_is_reachable_from_the_top_on_a_phone(
    new_page: Callable[..., Page], width: int
) -> None:
    tom = new_page(width)
    sign_in(tom, "tom.reed@police.demo")
    # The header's menu is folded away on a phone; the greeting says who signed in.
    expect(tom.get_by_role("status").filter(has_text="Welcome back, PCSO Tom Reed.")).to_be_visible()
    open_problem(tom, SCAMS)
    jump = tom.locator(".page-head").get_by_role("button", name="Answer this proposal")
    expect(jump).to_be_in_viewport()
    jump.click()
    heading = tom.get_by_role("heading", name="Answer for this problem")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()


def test_an_officer_answers_from_a_common_answer_then_corrects_it(new_page: Callable[..., Page]) -> None:
    tom = new_page()
    sign_in(tom, "tom.reed@police.demo")
    signed_in_as(tom, "PCSO Tom Reed")
    open_problem(tom, SCAMS)
    tom.locator(".page-head").get_by_role("button", name="Answer this proposal").click()
    expect(tom.get_by_role("heading", name="Answer for this problem")).to_be_focused()

    form = tom.get_by_role("form", name="Respond to this proposal")
    response = form.get_by_label("Your response")
    form.get_by_label("Start from a common answer").select_option(label="Accepted: patrols arranged")
    expect(response).to_have_value(
        "Thank you for raising this. We're accepting it: the neighbourhood team will patrol "
        "at the times you describe, and we'll post an update here once we know more."
    )
    response.fill(
        "Thank you for raising this. We're accepting it: the neighbourhood team will visit "
        "sheltered housing in Old Town on Thursday."
    )
    form.get_by_label("Accept").check()
    form.get_by_role("button", name="Publish response").click()
    expect(tom.get_by_role("status").filter(has_text="Your response is published.")).to_be_focused()

    history = tom.get_by_role("region", name="History")
    accepted = history.get_by_role("listitem").filter(has=tom.get_by_role("heading", name="Accepted"))
    expect(accepted).to_contain_text("on Thursday")
    expect(accepted.locator(".corrected-mark")).to_have_count(0)
    accepted.get_by_text("Correct this response").click()
    correction = accepted.get_by_role("form", name="Correct the response")
    expect(correction).to_contain_text("The decision (accepted) stays as it is")
    text = correction.get_by_label("Corrected response")
    expect(text).to_have_value(
        "Thank you for raising this. We're accepting it: the neighbourhood team will visit "
        "sheltered housing in Old Town on Thursday."
    )
    text.fill(
        "Thank you for raising this. We're accepting it: the neighbourhood team will visit "
        "sheltered housing in Old Town on Friday."
    )
    correction.get_by_role("button", name="Publish correction").click()
    expect(tom.get_by_role("status").filter(has_text="Your correction is published.")).to_be_focused()
    accepted = history.get_by_role("listitem").filter(has=tom.get_by_role("heading", name="Accepted"))
    expect(accepted).to_contain_text("on Friday.")
    expect(accepted).not_to_contain_text("on Thursday")
    expect(accepted.locator(".corrected-mark")).to_contain_text("Corrected on")
    expect(accepted.locator(".corrected-mark")).to_contain_text("the decision is unchanged")
    expect(tom.locator("#problem-facts")).to_contain_text("Accepted")
    screenshot(tom, "problem-corrected")
    assert serious_accessibility_violations(tom) == []

    # The mark is public: a visitor sees it too, and no way to correct.
    visitor = new_page()
    visitor.goto(tom.url)
    public = (
        visitor.get_by_role("region", name="History").get_by_role("listitem").filter(has_text="on Friday.")
    )
    expect(public.locator(".corrected-mark")).to_contain_text("Corrected on")
    expect(public.get_by_text("Correct this response")).to_have_count(0)
