"""Problems through the web interface: the board, proposing, taking part, and answering.

The demo data's problems are the starting point: an accepted one at the response stage,
two overdue, a declined, a referred, a duplicate, a restricted one, and fresh proposals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import (
    DEMO_PASSWORD,
    Server,
    board,
    choose,
    error_summary,
    field_error,
    header,
    open_problem,
    register,
    screenshot,
    sign_in,
    signed_in_as,
    summary_lines,
    titles,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"
UNDERPASS = "Drug dealing in the Riverside Park underpass"
CUCKOOING = "Suspected cuckooing at a flat on Canal Street"
SHELTER = "A youth shelter for Millfield recreation ground"
MOTORBIKES = "Motorbikes tearing up Harrowgate North playing fields"
SPEEDING = "Speeding on Mill Lane past Riverside Primary"
BIKES = "Bike thefts from the racks at Kingsbridge station"
SCAMS = "Doorstep and phone scams targeting older residents in Old Town"
FLY_TIPPING = "Fly-tipping behind the Old Town car park"


def test_an_anonymous_visitor_reads_the_board_and_a_public_problem(new_page: Callable[[], Page]) -> None:
    page = new_page()
    page.goto("/#/")
    header(page).get_by_role("link", name="Problems").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problems")
    expect(page.get_by_text(re.compile(r"^Showing (\d+) of \1 problems$"))).to_be_visible()
    expect(titles(page).filter(has_text=UNDERPASS)).to_have_count(1)
    expect(board(page)).not_to_contain_text("cuckooing")
    overdue = board(page).get_by_role("listitem").filter(has_text=SPEEDING)
    expect(overdue.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(overdue).to_contain_text("Road safety · Riverside · Owner: Northshire Police")
    screenshot(page, "problems-board")

    board(page).get_by_role("link", name=UNDERPASS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNDERPASS)
    facts = page.locator("#problem-facts")
    expect(facts).to_contain_text("In progress")
    expect(facts).to_contain_text("Northshire Police")
    expect(facts.locator("[aria-current=step]")).to_have_text("Acting on it")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name="Accepted")).to_be_visible()
    expect(history).to_contain_text("Sgt Priya Shah for Northshire Police")
    expect(history).to_contain_text("The council fitted brighter lighting")
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    expect(comments).to_contain_text("It's much better walking through there now.")
    expect(page.get_by_role("region", name="Take part")).to_contain_text("5 supporters")
    expect(page.get_by_role("link", name="Sign in to support or follow this problem")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to comment")).to_be_visible()
    expect(page.get_by_role("region", name="Answer for this problem")).to_have_count(0)
    screenshot(page, "problem")

    # The restricted problem exists for the police, who own it, and for nobody outside.
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    open_problem(priya, CUCKOOING)
    expect(priya.locator(".page-head").get_by_text("Restricted", exact=True)).to_be_visible()
    expect(priya.get_by_role("region", name="The problem")).to_contain_text("Only the person who proposed it")
    address = priya.url

    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem not found")
    expect(page.get_by_text("There is no problem at this address.")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("cuckooing")


def test_a_resident_proposes_a_problem_supports_follows_and_comments(page: Page) -> None:
    sign_in(page, "sam.patel@resident.demo")
    signed_in_as(page, "Sam Patel")
    header(page).get_by_role("link", name="Problems").click()
    # The home page has a link of the same name: it must be gone before the board's is clicked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Problems")
    page.get_by_role("link", name="Propose a problem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a problem")
    form = page.get_by_role("form", name="Propose a problem")
    # The resident's home area is chosen to begin with.
    expect(form.get_by_label("Area").locator("option:checked")).to_contain_text("Riverside")
    # The default guidance comes first; no address search is offered when none is configured.
    expect(page.locator("#emergency-guidance")).to_contain_text(
        "In an emergency call 999; to report a crime call 101 or report online."
    )
    expect(form.get_by_role("region", name=re.compile("^Map: tap"))).to_be_visible()
    expect(form.get_by_label("Find an address or postcode")).to_have_count(0)

    # Nothing chosen or typed: every fault at once, in the summary and beside its field.
    form.get_by_label("Area").select_option("")
    form.get_by_role("button", name="Send proposal").click()
    faults = {
        "areaId": "Choose an area",
        "title": "Enter a title",
        "description": "Enter a description",
        "category": "Choose a category",
    }
    expect(summary_lines(form)).to_have_text(list(faults.values()))
    expect(error_summary(form)).to_be_focused()
    for name, message in faults.items():
        expect(field_error(form, name)).to_have_text(message)
        expect(form.locator(f'[data-field="{name}"] .input')).to_have_attribute("aria-invalid", "true")

    choose(form.get_by_label("Area"), "Old Town")
    form.get_by_label("Category").select_option(label="Antisocial behaviour")
    form.get_by_label("Title").fill("   ")
    form.get_by_label("Description").fill("Fireworks.")
    form.get_by_role("button", name="Send proposal").click()
    # Blank is empty to the server too, which answers in the same words.
    expect(summary_lines(form)).to_have_text(["Enter a title"])
    expect(field_error(form, "category")).to_be_hidden()
    summary_lines(form).get_by_role("link").click()
    expect(form.get_by_label("Title")).to_be_focused()

    title = "Fireworks set off in Abbey Gardens late at night"
    form.get_by_label("Title").fill(title)
    form.get_by_label("Description").fill(
        "Every weekend since October, fireworks go off in Abbey Gardens after midnight.\n"
        "Dogs and small children are terrified."
    )
    form.get_by_label("Latitude").fill("north")
    form.get_by_label("Longitude").fill("-1.5512")
    form.get_by_role("button", name="Send proposal").click()
    expect(field_error(form, "latitude")).to_have_text("The latitude must be a number, such as 54.5237")
    form.get_by_label("Latitude").fill("54.5301")
    expect(form.get_by_label("Public")).to_be_checked()
    form.get_by_role("button", name="Send proposal").click()

    expect(page).to_have_url(re.compile(r"#/problems/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status").filter(has_text="Your proposal is published.")).to_be_visible()
    facts = page.locator("#problem-facts")
    expect(facts).to_contain_text("Proposed")
    expect(facts).to_contain_text("Old Town")
    expect(facts).to_contain_text("Northshire Police")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name="Awaiting an official response")).to_be_visible()
    # Proposing is supporting and following.
    take_part = page.get_by_role("region", name="Take part")
    expect(take_part).to_contain_text("1 supporter")
    expect(take_part.get_by_role("button", name="Withdraw support")).to_be_visible()
    expect(take_part.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(page.get_by_role("region", name="The problem")).to_contain_text("Dogs and small children")

    open_problem(page, BIKES)
    take_part = page.get_by_role("region", name="Take part")
    expect(take_part.locator("#supporter-count")).to_have_text("2 supporters")
    take_part.get_by_role("button", name="Support this problem").click()
    expect(take_part.locator("#supporter-count")).to_have_text("3 supporters")
    expect(take_part.get_by_role("button", name="Withdraw support")).to_be_focused()
    take_part.get_by_role("button", name="Follow").click()
    expect(take_part.locator("#follower-count")).to_have_text("2 followers")
    expect(take_part.get_by_role("button", name="Unfollow")).to_be_visible()

    comment_form = page.get_by_role("form", name="Add a comment")
    comment_form.get_by_role("button", name="Post comment").click()
    expect(field_error(comment_form, "body")).to_have_text("Enter a comment")
    comment_form.get_by_label("Your comment").fill("I lock mine at the bus station now. Cameras would help.")
    comment_form.get_by_role("button", name="Post comment").click()
    expect(comment_form.get_by_role("status")).to_have_text("Your comment is posted.")
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (1)")
    expect(comments.get_by_role("listitem").filter(has_text="Sam Patel")).to_contain_text(
        "Cameras would help."
    )
    expect(comment_form.get_by_label("Your comment")).to_have_value("")

    page.reload()
    take_part = page.get_by_role("region", name="Take part")
    expect(take_part.locator("#supporter-count")).to_have_text("3 supporters")
    expect(take_part.get_by_role("button", name="Withdraw support")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile(r"^Comments"))).to_contain_text("Cameras would help.")
    take_part.get_by_role("button", name="Withdraw support").click()
    expect(take_part.locator("#supporter-count")).to_have_text("2 supporters")


def test_the_police_accept_a_proposal_and_move_it_on(new_page: Callable[[], Page]) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    open_problem(priya, SHELTER)
    panel = priya.get_by_role("region", name="Answer for this problem")
    expect(panel).to_contain_text("You answer for Northshire Police")
    form = priya.get_by_role("form", name="Respond to this proposal")
    expect(form.get_by_label("Reason")).to_be_hidden()

    form.get_by_label("Decline").check()
    expect(form.get_by_label("Reason")).to_be_visible()
    form.get_by_label("Your response").fill("We cannot build shelters.")
    form.get_by_role("button", name="Publish response").click()
    expect(field_error(form, "reasonCode")).to_have_text("Choose the reason for declining")

    form.get_by_label("Refer to another organisation").check()
    expect(form.get_by_label("Reason")).to_be_hidden()
    expect(
        form.get_by_label("Refer it to").locator("option", has_text="Kingsbridge Borough Council")
    ).to_be_attached()
    expect(form.get_by_label("Refer it to").locator("option", has_text="Northshire Police")).to_have_count(0)

    form.get_by_label("Accept").check()
    form.get_by_label("Your response").fill(
        "Accepted. We'll meet the young people and the parish council at the ground to find a good spot."
    )
    form.get_by_role("button", name="Publish response").click()
    expect(priya.get_by_role("status").filter(has_text="Your response is published.")).to_be_focused()
    history = priya.get_by_role("region", name="History")
    accepted = history.get_by_role("listitem").filter(has=priya.get_by_role("heading", name="Accepted"))
    expect(accepted).to_contain_text("Sgt Priya Shah for Northshire Police")
    expect(accepted).to_contain_text("meet the young people")
    expect(history.get_by_role("heading", name="Awaiting an official response")).to_have_count(0)
    facts = priya.locator("#problem-facts")
    expect(facts).to_contain_text("Accepted")
    expect(facts.locator("[aria-current=step]")).to_have_text("Understanding the problem")
    # The stage is explained in plain words where residents see it.
    expect(facts).to_contain_text("finding out what causes it")
    expect(priya.get_by_role("form", name="Respond to this proposal")).to_have_count(0)

    stage = priya.get_by_role("form", name="Set the stage")
    expect(stage.get_by_label("Move it to").locator("option")).to_have_text(["Forward to Acting on it"])
    stage.get_by_role("button", name="Set stage").click()
    expect(priya.get_by_role("status").filter(has_text="now at the “Acting on it” stage")).to_be_visible()
    expect(facts.locator("[aria-current=step]")).to_have_text("Acting on it")
    expect(priya.locator(".page-head")).to_contain_text("In progress")
    stage = priya.get_by_role("form", name="Set the stage")
    expect(stage.get_by_label("Move it to").locator("option")).to_have_text(
        ["Forward to Checking it worked", "Back to Understanding the problem"]
    )

    update = priya.get_by_role("form", name="Post an update")
    update.get_by_label("Update").fill("We met at the ground on Saturday; the council has a site in mind.")
    update.get_by_role("button", name="Post update").click()
    expect(priya.get_by_role("status").filter(has_text="Your update is posted.")).to_be_visible()
    expect(history.get_by_role("listitem").last).to_contain_text("the council has a site in mind")
    screenshot(priya, "problem-answered")

    # The answer is public: a visitor reads it in the history.
    visitor = new_page()
    visitor.goto(priya.url)
    expect(
        visitor.get_by_role("region", name="History").get_by_role("heading", name="Accepted")
    ).to_be_visible()
    expect(visitor.get_by_role("region", name="Answer for this problem")).to_have_count(0)


def test_the_problem_page_takes_the_viewers_rights_from_the_problem(new_page: Callable[[], Page]) -> None:
    """What a coordinator may do comes with the problem: the page fetches no list of areas to
    work it out for itself."""
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    priya.goto("/#/problems")
    search = priya.get_by_role("searchbox", name="Search")
    search.fill(BIKES)
    search.press("Enter")
    expect(titles(priya)).to_have_text([BIKES])
    operations: list[str] = []
    priya.on(
        "request",
        lambda request: (
            operations.append(request.post_data_json["operationName"])
            if request.url.endswith("/graphql")
            else None
        ),
    )
    board(priya).get_by_role("link", name=BIKES).click()
    panel = priya.get_by_role("region", name="Answer for this problem")
    expect(panel).to_contain_text("You answer for Northshire Police")
    expect(panel.get_by_role("form", name="Set the stage")).to_be_visible()
    expect(panel.get_by_role("form", name="Respond to this proposal")).to_have_count(0)
    # Site says where map tiles come from, for the problem's place: asked once per page load.
    assert sorted(operations) == ["Problem", "ProblemOutcomes", "Site"]


def test_filters_and_orders_change_the_board_and_stay_in_its_address(page: Page) -> None:
    page.goto("/#/problems")
    expect(titles(page).first).to_be_visible()

    page.get_by_label("Overdue only").check()
    # Newest first by when it was added: the demo adds the council's proposals last.
    expect(titles(page)).to_have_text([FLY_TIPPING, MOTORBIKES, SPEEDING])
    expect(board(page).get_by_text("Overdue", exact=True)).to_have_count(3)
    expect(page).to_have_url(re.compile(r"#/problems\?overdue=1$"))
    page.get_by_label("Overdue only").uncheck()

    page.get_by_label("Declined").check()
    expect(titles(page)).to_have_text(["Stop skateboarding in Market Square"])
    page.get_by_label("Declined").uncheck()

    search = page.get_by_role("searchbox", name="Search")
    search.fill("bike")
    page.get_by_role("button", name="Apply filters").click()
    expect(titles(page)).to_have_text([BIKES, MOTORBIKES])
    search.fill("lights out on the footpath behind the flats near the bus stop")
    search.press("Enter")
    filters = page.get_by_role("search", name="Filter problems")
    expect(field_error(filters, "q")).to_have_text("Search for at most 8 words.")
    expect(search).to_be_focused()
    expect(titles(page)).to_have_text([BIKES, MOTORBIKES])
    search.fill("")
    search.press("Enter")
    expect(field_error(filters, "q")).to_be_hidden()

    choose(page.get_by_label("Area"), "Harrowgate")
    expect(titles(page)).to_have_text([SHELTER, MOTORBIKES])
    expect(page.get_by_text("Showing 2 of 2 problems")).to_be_visible()
    page.get_by_label("Order").select_option("MOST_SUPPORTED")
    expect(titles(page)).to_have_text([MOTORBIKES, SHELTER])
    expect(page).to_have_url(re.compile(r"area=[\w-]+&order=MOST_SUPPORTED$"))

    # The address is the board: reloading, or sharing it, shows the same one.
    page.reload()
    expect(titles(page)).to_have_text([MOTORBIKES, SHELTER])
    expect(page.get_by_label("Order")).to_have_value("MOST_SUPPORTED")
    expect(page.get_by_label("Area").locator("option:checked")).to_contain_text("Harrowgate")

    page.go_back()
    expect(titles(page)).to_have_text([SHELTER, MOTORBIKES])
    expect(page.get_by_label("Order")).to_have_value("NEWEST")

    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_label("Area")).to_have_value("")
    expect(titles(page).filter(has_text=UNDERPASS)).to_have_count(1)


def test_the_board_loads_more_problems_with_its_cursor(page: Page) -> None:
    sign_in(page, "admin@rungs.demo")
    signed_in_as(page, "Alex Admin")
    propose = (OPERATIONS / "ProposeProblem.graphql").read_text()
    areas = page.request.post(
        "/graphql", data={"query": (OPERATIONS / "Areas.graphql").read_text(), "variables": {"first": 20}}
    )
    millfield = next(
        edge["node"]["id"]
        for edge in areas.json()["data"]["areas"]["edges"]
        if edge["node"]["name"] == "Millfield"
    )
    for number in range(1, 22):
        if number == 12:
            # Twenty-one proposals take two people: nobody may make more than twenty in an hour.
            log_in = (OPERATIONS / "LogIn.graphql").read_text()
            credentials = {"email": "sam.patel@resident.demo", "password": DEMO_PASSWORD}
            page.request.post("/graphql", data={"query": log_in, "variables": {"input": credentials}})
        answer = page.request.post(
            "/graphql",
            data={
                "query": propose,
                "variables": {
                    "input": {
                        "areaId": millfield,
                        "title": f"Litter on Millfield Road, stretch {number}",
                        "description": "Bags of rubbish dumped by the verge.",
                        "category": "ENVIRONMENT",
                    }
                },
            },
        )
        assert answer.json()["data"]["proposeProblem"]["errors"] == []

    page.goto("/#/problems?category=ENVIRONMENT&area=" + millfield)
    expect(titles(page)).to_have_count(20)
    expect(page.get_by_text("Showing 20 of 21 problems")).to_be_visible()
    page.get_by_role("button", name="Load more problems").click()
    expect(titles(page)).to_have_count(21)
    expect(titles(page).last).to_have_text("Litter on Millfield Road, stretch 1")
    expect(page.get_by_role("button", name="Load more problems")).to_be_hidden()
    expect(board(page).get_by_role("link").nth(20)).to_be_focused()


def test_area_and_organisation_pages_show_how_proposals_are_answered(page: Page) -> None:
    page.goto("/#/")
    page.get_by_role("region", name="Areas").get_by_role("link", name=re.compile(r"^Riverside")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside")
    figures = page.get_by_role("region", name="How proposals here are answered")
    expect(figures.get_by_role("definition").first).to_have_text(re.compile(r"^\d+$"))
    expect(figures).to_contain_text("Answered on time")
    expect(figures).to_contain_text("Median time to first answer")

    page.get_by_role("link", name="Problems in Riverside").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problems")
    expect(page.get_by_label("Area").locator("option:checked")).to_contain_text("Riverside")
    expect(titles(page).filter(has_text=UNDERPASS)).to_have_count(1)
    expect(titles(page).filter(has_text=SHELTER)).to_have_count(0)

    header(page).get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name="How Northshire Police answers proposals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northshire Police")
    figures = page.get_by_role("region", name="How it answers proposals")
    expect(figures).to_contain_text("Proposals received")
    expect(figures.get_by_role("table")).to_contain_text("Not a matter for the police or partners")


def test_a_coordinator_hides_a_comment(new_page: Callable[[], Page]) -> None:
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    open_problem(priya, SCAMS)
    comments = priya.get_by_role("region", name=re.compile(r"^Comments"))
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (1)")
    comments.get_by_role("button", name="Hide the comment by Grace Liu").click()
    form = priya.get_by_role("form", name="Hide the comment by Grace Liu")
    expect(form.get_by_label("Reason for hiding it")).to_be_focused()
    form.get_by_role("button", name="Hide comment").click()
    expect(field_error(form, "reason")).to_have_text("Enter a reason for hiding it")
    form.get_by_label("Reason for hiding it").fill("Names a neighbour's mother.")
    form.get_by_role("button", name="Hide comment").click()
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (0)")
    expect(comments).not_to_contain_text("Grace Liu")
    expect(priya.get_by_role("status").filter(has_text="The comment by Grace Liu is hidden.")).to_be_visible()

    visitor = new_page()
    visitor.goto(priya.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(SCAMS)
    expect(visitor.get_by_text("No comments yet.")).to_be_visible()
    expect(visitor.get_by_role("button", name=re.compile(r"^Hide"))).to_have_count(0)


def propose_through_the_api(page: Page, area: str, title: str, category: str) -> None:
    areas = page.request.post(
        "/graphql", data={"query": (OPERATIONS / "Areas.graphql").read_text(), "variables": {"first": 50}}
    )
    area_id = next(
        e["node"]["id"] for e in areas.json()["data"]["areas"]["edges"] if e["node"]["name"] == area
    )
    answer = page.request.post(
        "/graphql",
        data={
            "query": (OPERATIONS / "ProposeProblem.graphql").read_text(),
            "variables": {
                "input": {
                    "areaId": area_id,
                    "title": title,
                    "description": "Seen this week.",
                    "category": category,
                }
            },
        },
    )
    assert answer.json()["data"]["proposeProblem"]["errors"] == []


def test_a_proposal_is_referred_and_another_marked_a_duplicate(
    new_page: Callable[[], Page], server: Server
) -> None:
    resident = new_page()
    register(resident, server, "Nia Brooks", "nia.brooks@example.org")
    propose_through_the_api(resident, "Old Town", "Overflowing bins behind Old Town library", "OTHER")
    propose_through_the_api(resident, "Riverside", "Dealing again by the park underpass steps", "DRUGS")

    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    # No routing rule covers OTHER: the coordinators of Kingsbridge, above Old Town, answer.
    open_problem(priya, "Overflowing bins behind Old Town library")
    expect(priya.locator("#problem-facts")).to_contain_text("The area\u2019s coordinators")
    expect(priya.get_by_role("region", name="Answer for this problem")).to_contain_text(
        "You answer as a coordinator of this area."
    )
    form = priya.get_by_role("form", name="Respond to this proposal")
    form.get_by_label("Refer to another organisation").check()
    choose(form.get_by_label("Refer it to"), "Kingsbridge Borough Council (Council)")
    form.get_by_label("Your response").fill("Bins are the council's: we have passed this on.")
    form.get_by_role("button", name="Publish response").click()
    expect(priya.get_by_role("status").filter(has_text="Your response is published.")).to_be_visible()
    history = priya.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name="Referred to Kingsbridge Borough Council")).to_be_visible()
    expect(history.get_by_role("heading", name="Awaiting an official response")).to_be_visible()
    facts = priya.locator("#problem-facts")
    expect(facts).to_contain_text("Referred: waiting for the new owner\u2019s answer")
    expect(facts).to_contain_text("Kingsbridge Borough Council")

    open_problem(priya, UNDERPASS)
    original = priya.url.rsplit("/", 1)[1]
    expect(priya.get_by_role("region", name="Take part").locator("#supporter-count")).to_have_text(
        "5 supporters"
    )
    open_problem(priya, "Dealing again by the park underpass steps")
    form = priya.get_by_role("form", name="Respond to this proposal")
    form.get_by_label("Mark as a duplicate").check()
    form.get_by_role("button", name="Publish response").click()
    expect(field_error(form, "duplicateOfId")).to_have_text("Find and choose the problem this one duplicates")
    finder = form.get_by_role("searchbox", name="Find the original problem")
    finder.fill("nothing like this anywhere")
    finder.press("Enter")
    expect(form.get_by_text("No other problem matches.")).to_be_visible()
    finder.fill(original)
    form.get_by_role("button", name="Find", exact=True).click()
    expect(form.get_by_text("1 problem found: choose one below.")).to_be_visible()
    expect(form.get_by_label("The problem it duplicates").locator("option:checked")).to_contain_text(
        UNDERPASS
    )
    form.get_by_label("Your response").fill("Part of the underpass problem we are working on.")
    form.get_by_role("button", name="Publish response").click()
    history = priya.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name=f"Marked as a duplicate of {UNDERPASS}")).to_be_visible()
    expect(priya.locator("#problem-facts")).to_contain_text(f"Duplicate of {UNDERPASS}")
    # The proposer's support carries over to the original.
    history.get_by_role("link", name=UNDERPASS).click()
    expect(priya.get_by_role("heading", level=1)).to_have_text(UNDERPASS)
    expect(priya.get_by_role("region", name="Take part").locator("#supporter-count")).to_have_text(
        "6 supporters"
    )


def test_a_refusal_from_the_server_is_shown_in_the_form(new_page: Callable[[], Page]) -> None:
    """Rights can change while a page is open: the server's FORBIDDEN reaches the person."""
    tom = new_page()
    sign_in(tom, "tom.reed@police.demo")
    signed_in_as(tom, "PCSO Tom Reed")
    open_problem(tom, MOTORBIKES)
    form = tom.get_by_role("form", name="Respond to this proposal")
    expect(form).to_be_visible()

    viewer = tom.request.post("/graphql", data={"query": (OPERATIONS / "Viewer.graphql").read_text()})
    membership = viewer.json()["data"]["viewer"]["organisations"][0]["organisation"]
    toms_id = viewer.json()["data"]["viewer"]["user"]["id"]
    priya = new_page()
    sign_in(priya, "priya.shah@police.demo")
    signed_in_as(priya, "Sgt Priya Shah")
    removed = priya.request.post(
        "/graphql",
        data={
            "query": (OPERATIONS / "RemoveOrganisationMember.graphql").read_text(),
            "variables": {"input": {"organisationId": membership["id"], "userId": toms_id}},
        },
    )
    assert removed.json()["data"]["removeOrganisationMember"]["errors"] == []

    form.get_by_label("Accept").check()
    form.get_by_role("button", name="Publish response").click()
    expect(summary_lines(form)).to_have_text(
        ["Only members of the owning organisation and the area's coordinators respond to a proposal."]
    )
    expect(error_summary(form)).to_be_focused()
    expect(tom.locator("#problem-facts")).to_contain_text("Proposed")
