"""An input with several faults is refused with all of them at once, each naming its field in
plain words, and nothing is written."""

from __future__ import annotations

import pytest

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.errors import DomainError, Invalid, InvalidInput
from backend.models import Area, MagicLinkToken, Notification, Problem, RoutingRule, Session, User
from backend.models.enums import OrganisationKind, ProblemCategory
from backend.services import accounts, areas, organisations, problems
from backend.services.actors import Actor
from backend.services.validation import Faults
from neighbourhood import Neighbourhood
from support import People


def faults_of(refused: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str | None, str, str]]:
    return [(fault.field, fault.code.value, fault.message) for fault in refused.value.each()]


@pytest.mark.usefixtures("clean_db")
async def test_an_empty_registration_names_every_field_and_writes_nothing(
    clock: ManualClock, sealer: Sealer
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            Actor(),
            email="",
            password="",
            display_name="  ",
            home_area_id=None,
            now=clock.now(),
            sealer=sealer,
        )

    assert faults_of(refused) == [
        ("email", "INVALID", "Enter your email address"),
        ("displayName", "INVALID", "Enter your name"),
        ("password", "INVALID", "Enter your password"),
    ]
    assert await User.all().count() == 0
    assert await MagicLinkToken.all().count() == 0
    assert await Notification.all().count() == 0


@pytest.mark.usefixtures("clean_db")
async def test_a_registration_reports_a_missing_home_area_with_its_other_faults(
    clock: ManualClock, sealer: Sealer
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            Actor(),
            email="not an address",
            password="short",
            display_name="Sam" * 30,
            home_area_id=999,
            now=clock.now(),
            sealer=sealer,
        )

    assert faults_of(refused) == [
        ("email", "INVALID", "Enter an email address in the right form, like name@example.com"),
        ("displayName", "INVALID", "Your name can be at most 80 characters"),
        ("homeAreaId", "NOT_FOUND", "That area does not exist; choose another"),
        ("password", "INVALID", "Your password must be at least 10 characters"),
    ]
    assert await User.all().count() == 0


async def test_an_area_with_every_field_wrong_is_refused_whole(people: People, clock: ManualClock) -> None:
    ada = Actor(user=(await people.make("Ada Admin", admin=True)).user)

    with pytest.raises(InvalidInput) as refused:
        await areas.create_area(ada, name="", slug="---", parent_id=999, response_days=0, now=clock.now())

    assert faults_of(refused) == [
        ("name", "INVALID", "Enter a name"),
        ("responseDays", "INVALID", "The response time must be between 1 and 365"),
        ("parentId", "NOT_FOUND", "That area does not exist; choose another"),
        ("slug", "INVALID", "The short name must contain letters or digits"),
    ]
    assert await Area.all().count() == 0


async def test_a_routing_rule_names_both_a_missing_area_and_a_missing_organisation(
    people: People, clock: ManualClock
) -> None:
    ada = Actor(user=(await people.make("Ada Admin", admin=True)).user)

    with pytest.raises(InvalidInput) as refused:
        await areas.set_routing_rule(
            ada, area_id=998, category=ProblemCategory.ENVIRONMENT, organisation_id=999, now=clock.now()
        )

    assert faults_of(refused) == [
        ("areaId", "NOT_FOUND", "That area does not exist; choose another"),
        ("organisationId", "NOT_FOUND", "That organisation does not exist; choose another"),
    ]
    assert await RoutingRule.all().count() == 0


async def test_a_profile_change_with_two_faults_changes_nothing(people: People, clock: ManualClock) -> None:
    rita = await people.make("Rita Resident")

    with pytest.raises(InvalidInput) as refused:
        await accounts.update_profile(
            Actor(user=rita.user), display_name="", home_area_id=999, skills=["x" * 41], now=clock.now()
        )

    assert faults_of(refused) == [
        ("displayName", "INVALID", "Enter your name"),
        ("homeAreaId", "NOT_FOUND", "That area does not exist; choose another"),
        ("skills", "INVALID", "The skill can be at most 40 characters"),
    ]
    assert (await User.get(id=rita.user.id)).display_name == "Rita Resident"


async def test_an_api_token_with_no_name_and_too_many_days_is_refused_for_both(
    people: People, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    before = await Session.filter(user_id=rita.user.id).count()

    with pytest.raises(InvalidInput) as refused:
        await accounts.create_api_token(Actor(user=rita.user), label="", days=400, now=clock.now())

    assert [field for field, _, _ in faults_of(refused)] == ["label", "expiresInDays"]
    assert await Session.filter(user_id=rita.user.id).count() == before


async def test_a_rights_failure_is_not_mistaken_for_a_fault_of_the_input(
    people: People, clock: ManualClock
) -> None:
    ada = Actor(user=(await people.make("Ada Admin", admin=True)).user)
    council = await organisations.create_organisation(
        ada, name="Council", kind=OrganisationKind.COUNCIL, now=clock.now()
    )
    rita = Actor(user=(await people.make("Rita Resident")).user)

    # Rita may not add members, so she learns nothing of what else is wrong.
    with pytest.raises(DomainError) as refused:
        await organisations.add_member(rita, organisation_id=council.id, email="", now=clock.now())

    assert (refused.value.code.value, refused.value.field) == ("FORBIDDEN", None)


def test_faults_keep_what_names_a_field_and_let_anything_else_through() -> None:
    faults = Faults()
    with faults:
        raise InvalidInput([Invalid("Enter a title", field="title"), Invalid("Enter a body", field="body")])
    with faults:
        raise Invalid("Enter a reason", field="reason")
    with pytest.raises(Invalid) as unnamed, faults:
        raise Invalid("Something is wrong")
    assert unnamed.value.field is None
    with pytest.raises(InvalidInput) as refused:
        faults.raise_any()
    assert [fault.field for fault in refused.value.each()] == ["title", "body", "reason"]


async def test_a_proposal_names_every_fault_and_writes_nothing(
    neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    notifications_before = await Notification.all().count()

    with pytest.raises(InvalidInput) as refused:
        await problems.propose(
            Actor(user=n.resident.user),
            area_id=n.ward.id,
            title="Broken lights\u2028on the footbridge",
            description="x" * (problems.MAX_DESCRIPTION + 1),
            category=ProblemCategory.ENVIRONMENT,
            latitude=54.5,
            now=clock.now(),
        )

    assert faults_of(refused) == [
        (
            "title",
            "INVALID",
            "The title must be one line, without line breaks or characters that cannot be shown",
        ),
        ("description", "INVALID", f"The description can be at most {problems.MAX_DESCRIPTION} characters"),
        ("longitude", "INVALID", "Enter the longitude too, or leave both empty"),
    ]
    assert await Problem.all().count() == 0
    assert await Notification.all().count() == notifications_before
