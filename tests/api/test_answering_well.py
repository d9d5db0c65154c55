"""Answering well: correcting an official response, and organisations' answer templates.

A response's text may be corrected for RESPONSE_CORRECTION_MINUTES (30 in the tests) after
it is published, and is marked corrected; afterwards a correction note goes under it. Either
way its decision stays, the followers hear of it, and it is answering for the problem.
Who may correct: the members of the organisation the response spoke for, and the area's
coordinators. Templates: the organisation's admins (and platform admins) manage them; its
members read them; to anyone else they do not exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models import Activity, AnswerTemplate, Notification, ProblemResponse, ResponseCorrection
from backend.models.enums import ActivityKind, NotificationKind, OrganisationRole
from backend.services import organisations
from backend.services.actors import Actor
from neighbourhood import EVERYONE, Neighbourhood
from support import GraphQL, Person, error_of, errors_of, payload

WINDOW = timedelta(minutes=30)


async def answered(
    gql: GraphQL, n: Neighbourhood, person: Person | None = None, **fields: Any
) -> dict[str, Any]:
    """A proposal in the ward, accepted by the police member (or `person`), followed by the neighbour."""
    problem = await n.propose(gql)
    await gql("FollowProblem", as_=n.neighbour.token, problemId=problem["id"])
    values = {
        "problemId": problem["id"],
        "decision": "ACCEPT",
        "body": "We will patrol from Monday.",
        **fields,
    }
    result = payload(await gql("RespondToProblem", as_=(person or n.police_member).token, input=values))
    assert result["errors"] == [], result
    return problem


async def the_response(gql: GraphQL, problem: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    seen = (await gql("Problem", as_=person.token if person else None, id=problem["id"]))["problem"]
    response: dict[str, Any] = seen["responses"][-1]
    return response


async def correct(gql: GraphQL, person: Person | None, response_id: str, body: str) -> dict[str, Any]:
    return await gql(
        "CorrectProblemResponse",
        as_=person.token if person else None,
        input={"responseId": response_id, "body": body},
    )


async def add_note(gql: GraphQL, person: Person | None, response_id: str, body: str) -> dict[str, Any]:
    return await gql(
        "AddResponseCorrectionNote",
        as_=person.token if person else None,
        input={"responseId": response_id, "body": body},
    )


async def told_of_correction() -> set[int]:
    return {
        n.recipient_id
        for n in await Notification.filter(
            kind=NotificationKind.PROBLEM_UPDATE, dedupe_key__contains=":correction:"
        )
    }


# ------------------------------------------------------------------ correcting the text


async def test_within_the_window_the_text_is_corrected_and_marked_and_the_decision_stays(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await answered(gql, n)
    response = await the_response(gql, problem, n.police_member)
    assert response["correctedAt"] is None and response["viewerCanCorrectText"] is True
    published = clock.now()
    assert response["textCorrectableUntil"] == (published + WINDOW).isoformat()
    clock.advance(minutes=10)
    result = payload(await correct(gql, n.police_member, response["id"], "We will patrol from Tuesday."))
    assert result["errors"] == []
    (corrected,) = result["problem"]["responses"]
    assert corrected["body"] == "We will patrol from Tuesday."
    assert corrected["correctedAt"] == clock.now().isoformat() == result["problem"]["updatedAt"]
    assert (corrected["decision"], result["problem"]["status"]) == ("ACCEPT", "ACCEPTED")
    (correction,) = corrected["corrections"]
    assert (correction["kind"], correction["body"]) == ("TEXT", "We will patrol from Tuesday.")
    kept = await ResponseCorrection.get(id=ids.decode(correction["id"], "ResponseCorrection", "id"))
    assert kept.replaced_body == "We will patrol from Monday."
    # The proposer follows what they propose; the author hears nothing of their own act.
    assert await told_of_correction() == {n.resident.user.id, n.neighbour.user.id}
    assert await Activity.filter(kind=ActivityKind.RESPONSE_CORRECTED).count() == 1


@pytest.mark.parametrize("after, allowed", [(WINDOW, True), (WINDOW + timedelta(seconds=1), False)])
async def test_the_window_closes_30_minutes_after_publishing(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, after: timedelta, allowed: bool
) -> None:
    n = neighbourhood
    problem = await answered(gql, n)
    response_id = (await the_response(gql, problem))["id"]
    clock.advance(seconds=after.total_seconds())
    assert (await the_response(gql, problem, n.police_member))["viewerCanCorrectText"] is allowed
    result = payload(await correct(gql, n.police_member, response_id, "We will patrol from Tuesday."))
    if allowed:
        assert result["errors"] == []
        return
    (error,) = result["errors"]
    assert error["code"] == "INVALID_STATE" and "correction note" in error["message"]
    unchanged = await the_response(gql, problem)
    assert unchanged["body"] == "We will patrol from Monday." and unchanged["correctedAt"] is None
    assert await ResponseCorrection.all().count() == 0 and await told_of_correction() == set()


async def test_after_the_window_a_note_goes_under_the_response_which_stays_as_published(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await answered(gql, n)
    response = await the_response(gql, problem)
    clock.advance(days=2)
    assert (await the_response(gql, problem, n.police_member))["viewerCanCorrect"] is True
    result = payload(await add_note(gql, n.district_coordinator, response["id"], "Patrols start on Tuesday."))
    assert result["errors"] == []
    (noted,) = result["problem"]["responses"]
    assert noted["body"] == "We will patrol from Monday." and noted["correctedAt"] is None
    (note,) = noted["corrections"]
    assert (note["kind"], note["body"], note["author"]["displayName"]) == (
        "NOTE",
        "Patrols start on Tuesday.",
        "Dev Coordinator",
    )
    # Seen by everyone, on the public page.
    public = await the_response(gql, problem)
    assert (
        public["corrections"][0]["body"] == "Patrols start on Tuesday."
        and public["viewerCanCorrect"] is False
    )
    assert public["corrections"][0]["organisation"] is None
    assert await told_of_correction() == {n.resident.user.id, n.neighbour.user.id}


async def test_a_correction_needs_words_that_differ_and_every_failure_writes_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await answered(gql, n)
    response_id = (await the_response(gql, problem))["id"]
    assert errors_of(await correct(gql, n.police_member, response_id, "  ")) == [
        ("body", "INVALID", "Enter a corrected response")
    ]
    same = error_of(await correct(gql, n.police_member, response_id, "We will patrol from Monday. "))
    assert (same["field"], same["code"]) == ("body", "INVALID")
    assert errors_of(await add_note(gql, n.police_member, response_id, "x" * 5001)) == [
        ("body", "INVALID", "The correction note can be at most 5000 characters")
    ]
    missing = error_of(await add_note(gql, n.police_member, ids.encode("ProblemResponse", 999), "Note"))
    assert (missing["field"], missing["code"]) == ("responseId", "NOT_FOUND")
    garbage = error_of(await add_note(gql, n.police_member, "not an id", "Note"))
    assert (garbage["field"], garbage["code"]) == ("responseId", "INVALID")
    assert await ResponseCorrection.all().count() == 0


# Who may correct a response the police gave: the police's members and the coordinators of
# the area (or above); anonymous people must sign in; the rest may not.
CORRECTORS = {"police_member", "district_coordinator", "force_coordinator"}


@pytest.mark.parametrize("who", EVERYONE)
async def test_who_may_correct_a_response(gql: GraphQL, neighbourhood: Neighbourhood, who: str) -> None:
    n = neighbourhood
    problem = await answered(gql, n)
    response_id = (await the_response(gql, problem))["id"]
    person: Person | None = None if who == "anonymous" else getattr(n, who)
    for act in (correct, add_note):
        data = await act(gql, person, response_id, f"Corrected by {who}.")
        if who in CORRECTORS:
            assert payload(data)["errors"] == []
            continue
        expected = "UNAUTHENTICATED" if who == "anonymous" else "FORBIDDEN"
        assert error_of(data)["code"] == expected
    seen = await the_response(gql, problem, person)
    assert seen["viewerCanCorrect"] is (who in CORRECTORS)


async def test_a_restricted_problems_response_does_not_exist_for_outsiders(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, visibility="RESTRICTED")
    await gql(
        "RespondToProblem",
        as_=n.police_member.token,
        input={"problemId": problem["id"], "decision": "ACCEPT", "body": "Noted."},
    )
    response = await ProblemResponse.get(problem_id=ids.decode(problem["id"], "Problem", "id"))
    hidden = error_of(
        await add_note(gql, n.council_member, ids.encode("ProblemResponse", response.id), "Hm.")
    )
    assert (hidden["field"], hidden["code"]) == ("responseId", "NOT_FOUND")


async def test_after_a_referral_the_new_owner_may_not_correct_the_referrers_words(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await answered(
        gql,
        n,
        decision="REFER",
        referToOrganisationId=n.organisation_id(n.council),
        body="The council's lane.",
    )
    response_id = (await the_response(gql, problem))["id"]
    assert error_of(await correct(gql, n.council_member, response_id, "Ours now."))["code"] == "FORBIDDEN"
    assert (
        payload(await correct(gql, n.police_member, response_id, "It is the council's lane."))["errors"] == []
    )


# ------------------------------------------------------------------ answer templates


async def make_admin(n: Neighbourhood, person: Person) -> None:
    """Makes `person` an admin of the police."""
    await organisations.add_member(
        Actor(user=n.admin.user),
        organisation_id=n.police.id,
        email=person.user.email,
        role=OrganisationRole.ADMIN,
        now=n.police.created_at,
    )


async def create_template(
    gql: GraphQL, n: Neighbourhood, person: Person | None, **fields: str
) -> dict[str, Any]:
    values = {
        "organisationId": n.organisation_id(n.police),
        "title": "Patrols arranged",
        "body": "Thank you. Officers will patrol the area at the times you describe.",
        **fields,
    }
    return await gql("CreateAnswerTemplate", as_=person.token if person else None, input=values)


async def templates_seen(gql: GraphQL, n: Neighbourhood, person: Person | None) -> list[str]:
    node = (
        await gql(
            "OrganisationAnswerTemplates",
            as_=person.token if person else None,
            id=n.organisation_id(n.police),
        )
    )["node"]
    return [template["title"] for template in node["answerTemplates"]]


async def test_an_organisation_admin_writes_changes_and_removes_templates(
    gql: GraphQL, neighbourhood: Neighbourhood, people: Any
) -> None:
    n = neighbourhood
    chief = await people.make("Chris Chief")
    await make_admin(n, chief)
    made = payload(await create_template(gql, n, chief))
    assert made["errors"] == [] and made["answerTemplate"]["title"] == "Patrols arranged"
    template_id = made["answerTemplate"]["id"]
    await create_template(gql, n, chief, title="Not for the police", body="This is for the council.")
    # Members see them by title, to fill their answers; others see none.
    assert await templates_seen(gql, n, n.police_member) == ["Not for the police", "Patrols arranged"]
    assert await templates_seen(gql, n, n.council_member) == []
    assert await templates_seen(gql, n, None) == []
    problem = (await gql("Problem", as_=n.police_member.token, id=(await n.propose(gql))["id"]))["problem"]
    assert len(problem["viewerSpeaksFor"]["answerTemplates"]) == 2
    changed = payload(
        await gql(
            "UpdateAnswerTemplate",
            as_=chief.token,
            input={
                "answerTemplateId": template_id,
                "title": "Patrols planned",
                "body": "Patrols start soon.",
            },
        )
    )
    assert (changed["answerTemplate"]["title"], changed["answerTemplate"]["body"]) == (
        "Patrols planned",
        "Patrols start soon.",
    )
    removed = payload(
        await gql("RemoveAnswerTemplate", as_=chief.token, input={"answerTemplateId": template_id})
    )
    assert removed == {"removedAnswerTemplateId": template_id, "errors": []}
    assert await templates_seen(gql, n, n.police_member) == ["Not for the police"]


async def test_a_template_reports_every_fault_at_once_and_titles_are_unique_per_organisation(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    assert errors_of(await create_template(gql, n, n.admin, title=" ", body="")) == [
        ("title", "INVALID", "Enter a title"),
        ("body", "INVALID", "Enter a template text"),
    ]
    assert errors_of(await create_template(gql, n, n.admin, title="a\nb", body="x" * 5001)) == [
        (
            "title",
            "INVALID",
            "The title must be one line, without line breaks or characters that cannot be shown",
        ),
        ("body", "INVALID", "The template text can be at most 5000 characters"),
    ]
    assert payload(await create_template(gql, n, n.admin))["errors"] == []
    clash = error_of(await create_template(gql, n, n.admin, title="PATROLS ARRANGED"))
    assert (clash["field"], clash["code"]) == ("title", "CONFLICT")
    # Another organisation may use the same title.
    other = await create_template(gql, n, n.admin, organisationId=n.organisation_id(n.council))
    assert payload(other)["errors"] == []
    assert await AnswerTemplate.all().count() == 2


# Who may manage the police's templates: its admins and platform admins. Its members may
# read them (FORBIDDEN to change them); to everyone else they are NOT_FOUND.
@pytest.mark.parametrize(
    "who, create, change",
    [
        ("anonymous", "UNAUTHENTICATED", "UNAUTHENTICATED"),
        ("resident", "FORBIDDEN", "NOT_FOUND"),
        ("police_member", "FORBIDDEN", "FORBIDDEN"),
        ("council_member", "FORBIDDEN", "NOT_FOUND"),
        ("district_coordinator", "FORBIDDEN", "NOT_FOUND"),
        ("chief", None, None),
        ("admin", None, None),
    ],
)
async def test_who_may_manage_templates(
    gql: GraphQL, neighbourhood: Neighbourhood, people: Any, who: str, create: str | None, change: str | None
) -> None:
    n = neighbourhood
    chief = await people.make("Chris Chief")
    await make_admin(n, chief)
    person: Person | None = {"anonymous": None, "chief": chief}.get(who, getattr(n, who, None))
    template_id = payload(await create_template(gql, n, chief))["answerTemplate"]["id"]

    def outcome(data: dict[str, Any]) -> str | None:
        errors = payload(data)["errors"]
        return errors[0]["code"] if errors else None

    token = person.token if person else None
    assert outcome(await create_template(gql, n, person, title="Another")) == create
    changed = await gql(
        "UpdateAnswerTemplate",
        as_=token,
        input={"answerTemplateId": template_id, "title": "New", "body": "New."},
    )
    assert outcome(changed) == change
    removed = await gql("RemoveAnswerTemplate", as_=token, input={"answerTemplateId": template_id})
    assert outcome(removed) == change
    manage = (await gql("OrganisationAnswerTemplates", as_=token, id=n.organisation_id(n.police)))["node"]
    assert manage["viewerCanManageAnswerTemplates"] is (create is None)
    # Allowed: "Another" was added and the first removed; refused: the first is as it was.
    left = await AnswerTemplate.all().values_list("title", flat=True)
    assert left == (["Patrols arranged"] if create else ["Another"])
