"""Taking roles and memberships away again: people move on, and their rights go with them."""

from __future__ import annotations

from backend import ids
from backend.clock import ManualClock
from backend.models import AreaRole, OrganisationMembership
from backend.models.enums import AreaRoleKind, OrganisationKind, OrganisationRole
from backend.services import areas, organisations
from backend.services.actors import Actor
from support import GraphQL, People, Person, error_of, payload


async def coordinated_area(admin: Person, coordinator: Person, clock: ManualClock) -> str:
    area = await areas.create_area(Actor(user=admin.user), name="Riverside", now=clock.now())
    await areas.assign_area_role(
        Actor(user=admin.user),
        area_id=area.id,
        user_id=coordinator.user.id,
        role=AreaRoleKind.COORDINATOR,
        now=clock.now(),
    )
    return ids.encode("Area", area.id)


async def test_an_admin_revokes_an_area_role(gql: GraphQL, people: People, clock: ManualClock) -> None:
    admin, cora = await people.make("Admin", admin=True), await people.make("Cora Coordinator")
    area_id = await coordinated_area(admin, cora, clock)
    cora_id = (await gql("Viewer", as_=cora.token))["viewer"]["user"]["id"]
    revoke = {"areaId": area_id, "userId": cora_id, "role": "COORDINATOR"}

    refused = error_of(await gql("RevokeAreaRole", as_=cora.token, input=revoke))
    assert refused["code"] == "FORBIDDEN"
    assert error_of(await gql("RevokeAreaRole", input=revoke))["code"] == "UNAUTHENTICATED"
    assert await AreaRole.filter(user_id=cora.user.id).count() == 1

    done = await gql("RevokeAreaRole", as_=admin.token, input=revoke)
    assert payload(done)["errors"] == [] and payload(done)["area"]["id"] == area_id
    assert (await gql("Viewer", as_=cora.token))["viewer"]["areaRoles"] == []

    again = error_of(await gql("RevokeAreaRole", as_=admin.token, input=revoke))
    assert (again["code"], again["field"]) == ("NOT_FOUND", "userId")
    wrong_type = error_of(await gql("RevokeAreaRole", as_=admin.token, input={**revoke, "userId": area_id}))
    assert (wrong_type["code"], wrong_type["field"]) == ("INVALID", "userId")


async def test_organisation_admins_remove_members_of_their_own_organisation_only(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    priya, tom, dana = await people.make("Priya"), await people.make("Tom"), await people.make("Dana")
    actor = Actor(user=admin.user)
    police = await organisations.create_organisation(
        actor, name="Police", kind=OrganisationKind.POLICE, now=clock.now()
    )
    council = await organisations.create_organisation(
        actor, name="Council", kind=OrganisationKind.COUNCIL, now=clock.now()
    )
    for organisation, person, role in (
        (police, priya, OrganisationRole.ADMIN),
        (police, tom, OrganisationRole.MEMBER),
        (council, dana, OrganisationRole.MEMBER),
    ):
        await organisations.add_member(
            actor, organisation_id=organisation.id, email=person.user.email, role=role, now=clock.now()
        )
    police_id = (await gql("Viewer", as_=priya.token))["viewer"]["organisations"][0]["organisation"]["id"]
    council_id = (await gql("Viewer", as_=dana.token))["viewer"]["organisations"][0]["organisation"]["id"]
    tom_id = (await gql("Viewer", as_=tom.token))["viewer"]["user"]["id"]
    dana_id = (await gql("Viewer", as_=dana.token))["viewer"]["user"]["id"]

    other = error_of(
        await gql(
            "RemoveOrganisationMember",
            as_=priya.token,
            input={"organisationId": council_id, "userId": dana_id},
        )
    )
    assert other["code"] == "FORBIDDEN"
    by_member = error_of(
        await gql(
            "RemoveOrganisationMember", as_=tom.token, input={"organisationId": police_id, "userId": tom_id}
        )
    )
    assert by_member["code"] == "FORBIDDEN"

    removed = await gql(
        "RemoveOrganisationMember", as_=priya.token, input={"organisationId": police_id, "userId": tom_id}
    )
    assert payload(removed)["errors"] == []
    assert await OrganisationMembership.filter(user_id=tom.user.id).count() == 0
    assert await OrganisationMembership.filter(user_id=dana.user.id).count() == 1

    not_member = error_of(
        await gql(
            "RemoveOrganisationMember", as_=priya.token, input={"organisationId": police_id, "userId": tom_id}
        )
    )
    assert (not_member["code"], not_member["field"]) == ("NOT_FOUND", "userId")
