"""A person's copy of their data, and erasure of their account (DESIGN.md §6)."""

from __future__ import annotations

import json

import httpx

from backend.auth import throttle
from backend.clock import ManualClock
from backend.models import AreaRole, Notification, OrganisationMembership, Session, User
from backend.models.enums import AreaRoleKind, OrganisationKind, OrganisationRole
from backend.services import areas, organisations
from backend.services.actors import Actor
from neighbourhood import Neighbourhood
from support import PASSWORD, GraphQL, People, error_of, payload


async def test_the_export_holds_the_persons_own_data_and_no_one_elses(
    client: httpx.AsyncClient, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    rita = await people.make("Rita Resident")
    other = await people.make("Olly Other")
    actor = Actor(user=admin.user)
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=clock.now()
    )
    for person in (rita, other):
        await organisations.add_member(
            actor,
            organisation_id=police.id,
            email=person.user.email,
            role=OrganisationRole.MEMBER,
            now=clock.now(),
        )
    ward = await areas.create_area(actor, name="Riverside", now=clock.now())
    await areas.assign_area_role(
        actor, area_id=ward.id, user_id=rita.user.id, role=AreaRoleKind.MODERATOR, now=clock.now()
    )

    response = await client.get("/export/my-data.json", headers={"Authorization": f"Bearer {rita.token}"})

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="rungs-my-data-')
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["profile"]["email"] == rita.user.email
    assert data["organisations"] == [
        {
            "organisation": "Northshire Police",
            "kind": "POLICE",
            "role": "MEMBER",
            "since": clock.now().isoformat(),
        }
    ]
    assert data["area_roles"][0]["area"] == "Riverside"
    assert [n["title"] for n in data["notifications"]] == ["You were added to Northshire Police"]
    assert data["sessions"] and all("token" not in str(s) for s in data["sessions"])
    assert other.user.email not in response.text


async def test_the_export_needs_a_signed_in_person(client: httpx.AsyncClient) -> None:
    response = await client.get("/export/my-data.json")
    assert response.status_code == 401
    forged = await client.get("/export/my-data.json", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401


async def test_erasing_an_account_keeps_the_person_as_a_former_participant_only(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    rita = await people.make("Rita Resident")
    actor = Actor(user=admin.user)
    police = await organisations.create_organisation(
        actor, name="Northshire Police", kind=OrganisationKind.POLICE, now=clock.now()
    )
    await organisations.add_member(
        actor, organisation_id=police.id, email=rita.user.email, role=OrganisationRole.ADMIN, now=clock.now()
    )
    ward = await areas.create_area(actor, name="Riverside", now=clock.now())
    await areas.assign_area_role(
        actor, area_id=ward.id, user_id=rita.user.id, role=AreaRoleKind.COORDINATOR, now=clock.now()
    )
    user_id = (await gql("Viewer", as_=rita.token))["viewer"]["user"]["id"]

    result = await gql("EraseAccount", as_=rita.token, input={"password": PASSWORD})

    assert payload(result)["errors"] == []
    row = await User.get(id=rita.user.id)
    assert row.display_name == "Former participant"
    assert row.erased_at == clock.now()
    assert rita.user.email not in row.email and row.email.endswith("@erased.invalid")
    for personal in (Session, OrganisationMembership, AreaRole):
        assert await personal.filter(user_id=rita.user.id).count() == 0
    assert await Notification.filter(recipient_id=rita.user.id).count() == 0
    # Others still find the participant, under no name of theirs.
    node = await gql("Node", id=user_id)
    assert node["node"] == {"__typename": "User", "id": user_id, "displayName": "Former participant"}
    # The token is gone, the password no longer opens anything, and the address is free again.
    assert (await gql("Viewer", as_=rita.token))["viewer"] is None
    refused = await gql("LogIn", input={"email": rita.user.email, "password": PASSWORD})
    assert error_of(refused)["code"] == "UNAUTHENTICATED"
    again = await gql(
        "Register", input={"email": rita.user.email, "password": PASSWORD, "displayName": "Rita Again"}
    )
    assert payload(again)["errors"] == []


async def test_erasing_needs_the_right_password_and_a_signed_in_person(gql: GraphQL, people: People) -> None:
    rita = await people.make("Rita Resident")
    wrong = error_of(await gql("EraseAccount", as_=rita.token, input={"password": "not my password"}))
    assert (wrong["code"], wrong["field"]) == ("INVALID", "password")
    empty = error_of(await gql("EraseAccount", as_=rita.token, input={"password": ""}))
    assert (empty["code"], empty["field"]) == ("INVALID", "password")
    huge = error_of(await gql("EraseAccount", as_=rita.token, input={"password": "x" * 100_000}))
    assert (huge["code"], huge["field"]) == ("INVALID", "password")
    assert (await User.get(id=rita.user.id)).erased_at is None
    anonymous = error_of(await gql("EraseAccount", input={"password": PASSWORD}))
    assert anonymous["code"] == "UNAUTHENTICATED"


async def test_proposals_and_comments_are_in_the_export_and_outlive_erasure_anonymously(
    client: httpx.AsyncClient, gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, n.neighbour, title="Broken glass in the play park")
    await gql("FollowProblem", as_=n.resident.token, problemId=problem["id"])
    await gql("SupportProblem", as_=n.resident.token, problemId=problem["id"])
    await gql(
        "CommentOnProblem", as_=n.neighbour.token, input={"problemId": problem["id"], "body": "Every Sunday."}
    )

    response = await client.get(
        "/export/my-data.json", headers={"Authorization": f"Bearer {n.neighbour.token}"}
    )
    exported = response.json()
    assert [p["title"] for p in exported["proposals"]] == ["Broken glass in the play park"]
    assert [c["body"] for c in exported["comments"]] == ["Every Sunday."]
    assert [s["problem"] for s in exported["supports"]] == ["Broken glass in the play park"]
    assert [f["problem"] for f in exported["follows"]] == ["Broken glass in the play park"]

    assert (
        payload(await gql("EraseAccount", as_=n.neighbour.token, input={"password": PASSWORD}))["errors"]
        == []
    )
    seen = (await gql("Problem", id=problem["id"]))["problem"]
    # The proposal, its support and the comment stay, as a former participant's; the follow,
    # which only brought them news, goes.
    assert seen["proposer"]["displayName"] == "Former participant"
    assert seen["comments"]["edges"][0]["node"]["author"]["displayName"] == "Former participant"
    assert (seen["supportCount"], seen["followerCount"]) == (2, 1)


async def test_guessing_the_password_through_erasure_is_throttled_like_signing_in(
    gql: GraphQL, people: People
) -> None:
    rita = await people.make("Rita Resident")
    # Thirty guesses in one request, the right password last.
    guesses = [f"guess number {n}" for n in range(29)] + [PASSWORD]
    document = (
        "mutation Guesses {\n"
        + "".join(
            f"  g{n}: eraseAccount(input: {{password: {json.dumps(guess)}}}) {{ errors {{ code field }} }}\n"
            for n, guess in enumerate(guesses)
        )
        + "}"
    )
    body = await gql.raw(document, as_=rita.token)
    assert "errors" not in body, body["errors"]
    codes = [body["data"][f"g{n}"]["errors"][0]["code"] for n in range(len(guesses))]
    allowed = throttle.LIMITS["password"].per_pair
    assert codes == ["INVALID"] * allowed + ["RATE_LIMITED"] * (len(guesses) - allowed)
    assert (await User.get(id=rita.user.id)).erased_at is None
