"""A mutation's payload carries every fault of its input, each as a UserError naming its field."""

from __future__ import annotations

from backend import ids
from backend.models import Area, Organisation, Problem, ProblemResponse, User
from neighbourhood import Neighbourhood
from support import GraphQL, People, errors_of


async def test_an_empty_registration_answers_with_every_fault(gql: GraphQL) -> None:
    errors = errors_of(await gql("Register", input={"email": " ", "password": "", "displayName": ""}))

    assert errors == [
        ("email", "INVALID", "Enter your email address"),
        ("displayName", "INVALID", "Enter your name"),
        ("password", "INVALID", "Enter your password"),
    ]
    assert await User.all().count() == 0


async def test_signing_in_with_nothing_typed_names_both_fields(gql: GraphQL) -> None:
    errors = errors_of(await gql("LogIn", input={"email": "", "password": ""}))

    assert errors == [
        ("email", "INVALID", "Enter your email address"),
        ("password", "INVALID", "Enter your password"),
    ]


async def test_an_area_with_three_faults_answers_with_three_errors(gql: GraphQL, people: People) -> None:
    ada = await people.make("Ada Admin", admin=True)

    errors = errors_of(
        await gql("CreateArea", as_=ada.token, input={"name": "", "slug": "!!", "responseDays": 500})
    )

    assert [(field, code) for field, code, _ in errors] == [
        ("name", "INVALID"),
        ("responseDays", "INVALID"),
        ("slug", "INVALID"),
    ]
    assert await Area.all().count() == 0


async def test_a_routing_rule_to_nowhere_names_the_area_and_the_organisation(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    values = {
        "areaId": ids.encode("Area", 9999),
        "category": "ENVIRONMENT",
        "organisationId": ids.encode("Organisation", 9999),
    }

    errors = errors_of(await gql("SetRoutingRule", as_=n.admin.token, input=values))

    assert errors == [
        ("areaId", "NOT_FOUND", "That area does not exist; choose another"),
        ("organisationId", "NOT_FOUND", "That organisation does not exist; choose another"),
    ]


async def test_an_id_that_names_nothing_asks_for_a_choice(gql: GraphQL, people: People) -> None:
    ada = await people.make("Ada Admin", admin=True)

    errors = errors_of(
        await gql(
            "AddOrganisationMember", as_=ada.token, input={"organisationId": "", "email": "x@example.org"}
        )
    )

    assert errors == [("organisationId", "INVALID", "Choose an organisation")]
    assert await Organisation.all().count() == 0


async def test_a_proposal_with_every_field_wrong_answers_with_every_fault(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    values = {
        "areaId": ids.encode("Area", 9999),
        "title": " ",
        "description": "",
        "category": "ENVIRONMENT",
        "latitude": 91.0,
        "longitude": 181.0,
    }

    errors = errors_of(await gql("ProposeProblem", as_=n.resident.token, input=values))

    assert errors == [
        ("areaId", "NOT_FOUND", "That area does not exist; choose another"),
        ("title", "INVALID", "Enter a title"),
        ("description", "INVALID", "Enter a description"),
        ("latitude", "INVALID", "The latitude must be between -90 and 90"),
        ("longitude", "INVALID", "The longitude must be between -180 and 180"),
    ]
    assert await Problem.all().count() == 0


async def test_a_decline_without_its_reason_names_every_field_it_got_wrong(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    values = {
        "problemId": problem["id"],
        "decision": "DECLINE",
        "body": "",
        "referToOrganisationId": n.organisation_id(n.council),
    }

    errors = errors_of(await gql("RespondToProblem", as_=n.police_member.token, input=values))

    assert errors == [
        ("reasonCode", "INVALID", "Choose the reason for declining"),
        ("referToOrganisationId", "INVALID", "Choose an organisation only when you refer the problem"),
        ("body", "INVALID", "Enter a response"),
    ]
    assert await ProblemResponse.all().count() == 0
