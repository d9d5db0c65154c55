"""Working groups through the API: each act and its expected failures, the lists, one
membership per person however many joins arrive at once, who hears of what, a member's
data, and what a group page costs.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis as redis_client

from backend import ids
from backend.clock import ManualClock
from backend.models import Activity, GroupMembership, Notification, User, WorkingGroup
from backend.models.enums import ActivityKind, NotificationKind, OrganisationRole
from backend.services import organisations, personal_data
from backend.services.actors import Actor
from backend.services.personal_data import GROUP_NO_LONGER_VISIBLE
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter, error_of, payload


def user_id(person: Person) -> str:
    return ids.encode("User", person.user.id)


async def act(gql: GraphQL, operation: str, who: Person, **values: Any) -> dict[str, Any]:
    """The payload of an act that must succeed."""
    result = payload(await gql(operation, as_=who.token, input=values))
    assert result["errors"] == [], result
    return result


async def failure(gql: GraphQL, operation: str, who: Person, **values: Any) -> tuple[str | None, str]:
    error = error_of(await gql(operation, as_=who.token, input=values))
    return error["field"], error["code"]


async def test_forming_around_a_problem_moves_it_to_response_and_makes_the_founder_lead(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="APPROVAL")

    assert (group["status"], group["joinPolicy"], group["viewerCanLead"]) == ("ACTIVE", "APPROVAL", True)
    assert [(p["stage"], p["status"]) for p in group["problems"]] == [("RESPONSE", "IN_PROGRESS")]
    page = (await gql("WorkingGroup", as_=n.police_member.token, id=group["id"]))["workingGroup"]
    assert [(m["user"]["displayName"], m["role"], m["organisation"]["name"]) for m in page["members"]] == [
        ("Pat Police", "LEAD", "Northshire Police")
    ]


async def test_forming_refuses_bad_input_and_problems_not_accepted(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    proposed = await n.propose(gql)
    accepted = ids.encode("Problem", await n.accepted_problem(gql))
    base = {"name": "Safer nights", "purpose": "Less racing."}

    assert await failure(gql, "FormWorkingGroup", n.police_member, problemId=proposed["id"], **base) == (
        None,
        "INVALID_STATE",
    )
    assert await failure(gql, "FormWorkingGroup", n.police_member, problemId="nonsense", **base) == (
        "problemId",
        "INVALID",
    )
    missing = ids.encode("Problem", 999)
    assert await failure(gql, "FormWorkingGroup", n.police_member, problemId=missing, **base) == (
        "problemId",
        "NOT_FOUND",
    )
    for field, values in (
        ("name", {"name": "  "}),
        ("purpose", {"purpose": "x" * 5001}),
        ("name", {"name": "a\nb"}),
    ):
        assert await failure(
            gql, "FormWorkingGroup", n.police_member, problemId=accepted, **{**base, **values}
        ) == (
            field,
            "INVALID",
        )
    # Every fault at once, in plain words.
    errors = payload(
        await gql(
            "FormWorkingGroup",
            as_=n.police_member.token,
            input={"problemId": missing, "name": " ", "purpose": "x" * 5001},
        )
    )["errors"]
    assert [(e["field"], e["code"], e["message"]) for e in errors] == [
        ("problemId", "NOT_FOUND", "No problem has that ID."),
        ("name", "INVALID", "Enter a name"),
        ("purpose", "INVALID", "The purpose can be at most 5000 characters"),
    ]
    assert not await WorkingGroup.exists()


async def test_an_invitation_to_represent_an_organisation_is_accepted(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="INVITE_ONLY")
    council = n.organisation_id(n.council)

    assert await failure(gql, "JoinWorkingGroup", n.council_member, groupId=group["id"]) == (
        None,
        "FORBIDDEN",
    )
    # Rita does not belong to the council: she cannot be invited to speak for it.
    assert await failure(
        gql,
        "InviteToWorkingGroup",
        n.police_member,
        groupId=group["id"],
        userId=user_id(n.resident),
        organisationId=council,
    ) == ("organisationId", "NOT_FOUND")
    assert await failure(
        gql, "InviteToWorkingGroup", n.police_member, groupId=group["id"], userId=ids.encode("User", 999)
    ) == ("userId", "NOT_FOUND")
    invited = await act(
        gql,
        "InviteToWorkingGroup",
        n.police_member,
        groupId=group["id"],
        userId=user_id(n.council_member),
        organisationId=council,
        role="LEAD",
    )
    membership = invited["membership"]
    assert (membership["status"], membership["role"], membership["organisation"]["name"]) == (
        "INVITED",
        "LEAD",
        "Riverside Council",
    )
    # Inviting again, or someone in the group, is refused.
    assert await failure(
        gql, "InviteToWorkingGroup", n.police_member, groupId=group["id"], userId=user_id(n.police_member)
    ) == (None, "INVALID_STATE")

    accepted = await act(
        gql, "RespondToInvitation", n.council_member, membershipId=membership["id"], accept=True
    )
    assert (accepted["membership"]["status"], accepted["membership"]["group"]["viewerCanLead"]) == (
        "ACTIVE",
        True,
    )
    assert await failure(
        gql, "RespondToInvitation", n.council_member, membershipId=membership["id"], accept=True
    ) == (None, "INVALID_STATE")


async def test_a_declined_invitation_can_be_sent_again_on_the_same_row(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="INVITE_ONLY")
    values = {"groupId": group["id"], "userId": user_id(n.resident)}
    first = (await act(gql, "InviteToWorkingGroup", n.police_member, **values))["membership"]
    await act(gql, "RespondToInvitation", n.resident, membershipId=first["id"], accept=False)
    clock.advance(days=1)
    again = (await act(gql, "InviteToWorkingGroup", n.police_member, **values))["membership"]

    assert again["id"] == first["id"] and again["status"] == "INVITED"
    invitations = await Notification.filter(
        kind=NotificationKind.GROUP_INVITATION, recipient_id=n.resident.user.id
    )
    assert len(invitations) == 2


async def test_requests_to_join_are_decided_by_leads(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="APPROVAL")

    asked = await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"], message="I live on the lane.")
    request = asked["membership"]
    assert request["status"] == "REQUESTED"
    page = (await gql("WorkingGroup", as_=n.police_member.token, id=group["id"]))["workingGroup"]
    shown = {m["user"]["displayName"]: m for m in page["members"]}
    assert (
        shown["Rita Resident"]["message"] == "I live on the lane."
        and shown["Rita Resident"]["viewerCanDecide"]
    )
    assert await failure(gql, "JoinWorkingGroup", n.resident, groupId=group["id"], message="x" * 1001) == (
        "message",
        "INVALID",
    )

    declined = await act(gql, "DecideJoinRequest", n.police_member, membershipId=request["id"], approve=False)
    assert declined["membership"]["status"] == "DECLINED"
    assert await failure(
        gql, "DecideJoinRequest", n.police_member, membershipId=request["id"], approve=True
    ) == (
        None,
        "INVALID_STATE",
    )
    # Asking again after a refusal reuses the row.
    again = await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"])
    assert again["membership"]["id"] == request["id"] and again["membership"]["status"] == "REQUESTED"
    approved = await act(
        gql, "DecideJoinRequest", n.district_coordinator, membershipId=request["id"], approve=True
    )
    assert approved["membership"]["status"] == "ACTIVE"
    garbage = await failure(gql, "DecideJoinRequest", n.police_member, membershipId=group["id"], approve=True)
    assert garbage == ("membershipId", "INVALID")


async def test_members_see_active_members_and_leads_see_invitations_and_addresses(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="APPROVAL")
    await act(
        gql, "InviteToWorkingGroup", n.police_member, groupId=group["id"], userId=user_id(n.council_member)
    )
    await act(gql, "JoinWorkingGroup", n.neighbour, groupId=group["id"])

    def seen(page: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        return sorted((m["user"]["displayName"], m["status"], m["contactEmail"]) for m in page["members"])

    for leader in (n.police_member, n.district_coordinator):
        page = (await gql("WorkingGroup", as_=leader.token, id=group["id"]))["workingGroup"]
        assert seen(page) == [
            ("Cal Council", "INVITED", "cal.council@example.org"),
            ("Pat Police", "ACTIVE", "pat.police@example.org"),
            ("Ray Neighbour", "REQUESTED", "ray.neighbour@example.org"),
        ]
    for other in (n.resident, n.admin, None):
        page = (await gql("WorkingGroup", as_=other.token if other else None, id=group["id"]))["workingGroup"]
        assert seen(page) == [("Pat Police", "ACTIVE", None)]
    # Asking for other statuses shows nothing more to those who do not lead.
    body = await gql.raw(
        "query ($id: ID!) { workingGroup(id: $id) { members(statuses: [INVITED, REQUESTED]) { id } } }",
        {"id": group["id"]},
        as_=n.resident.token,
    )
    assert body["data"]["workingGroup"]["members"] == []


async def test_leads_promote_and_the_last_lead_cannot_leave_or_step_down(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    lead = (await gql("WorkingGroup", as_=n.police_member.token, id=group["id"]))["workingGroup"][
        "viewerMembership"
    ]

    assert await failure(gql, "LeaveWorkingGroup", n.police_member, groupId=group["id"]) == (
        None,
        "INVALID_STATE",
    )
    assert await failure(
        gql, "SetGroupMemberRole", n.police_member, membershipId=lead["id"], role="MEMBER"
    ) == (
        None,
        "INVALID_STATE",
    )
    rita = (await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"]))["membership"]
    promoted = await act(gql, "SetGroupMemberRole", n.police_member, membershipId=rita["id"], role="LEAD")
    assert promoted["membership"]["role"] == "LEAD"
    await act(gql, "LeaveWorkingGroup", n.police_member, groupId=group["id"])
    assert await failure(gql, "LeaveWorkingGroup", n.police_member, groupId=group["id"]) == (
        None,
        "INVALID_STATE",
    )
    # Pat is gone; Rita is now the last lead.
    assert await failure(gql, "SetGroupMemberRole", n.resident, membershipId=rita["id"], role="MEMBER") == (
        None,
        "INVALID_STATE",
    )
    assert await failure(gql, "SetGroupMemberRole", n.resident, membershipId=lead["id"], role="LEAD") == (
        None,
        "INVALID_STATE",
    )


async def test_adding_problems_and_closing(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    inside = ids.encode("Problem", await n.accepted_problem(gql, title="Fly-tipping behind the shops"))
    elsewhere = ids.encode("Problem", await n.accepted_problem(gql, area=n.other_force, category="DRUGS"))

    added = await act(gql, "AddProblemToWorkingGroup", n.police_member, groupId=group["id"], problemId=inside)
    assert [p["title"] for p in added["workingGroup"]["problems"]] == [
        "Cars racing on Mill Lane at night",
        "Fly-tipping behind the shops",
    ]
    assert await failure(
        gql, "AddProblemToWorkingGroup", n.police_member, groupId=group["id"], problemId=inside
    ) == (None, "INVALID_STATE")
    assert await failure(
        gql, "AddProblemToWorkingGroup", n.admin, groupId=group["id"], problemId=elsewhere
    ) == (None, "FORBIDDEN")
    assert await failure(
        gql, "AddProblemToWorkingGroup", n.police_member, groupId=group["id"], problemId=elsewhere
    ) == ("problemId", "INVALID")

    closed = await act(gql, "CloseWorkingGroup", n.police_member, groupId=group["id"])
    assert closed["workingGroup"]["status"] == "CLOSED" and closed["workingGroup"]["closedAt"]
    assert not closed["workingGroup"]["viewerCanInvite"] and not closed["workingGroup"]["viewerCanClose"]
    assert await failure(gql, "CloseWorkingGroup", n.police_member, groupId=group["id"]) == (
        None,
        "INVALID_STATE",
    )
    assert await failure(gql, "JoinWorkingGroup", n.resident, groupId=group["id"]) == (None, "INVALID_STATE")
    assert await failure(
        gql, "AddProblemToWorkingGroup", n.police_member, groupId=group["id"], problemId=inside
    ) == (None, "INVALID_STATE")
    # The record stays readable.
    assert (await gql("WorkingGroup", id=group["id"]))["workingGroup"]["status"] == "CLOSED"


async def test_the_lists_go_newest_first_by_area_status_and_openness(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    made = {}
    for name, policy, area in (
        ("open in the ward", "OPEN", n.ward),
        ("by approval in the ward", "APPROVAL", n.ward),
        ("invited in the district", "INVITE_ONLY", n.district),
        ("open in Hillside", "OPEN", n.other_force),
    ):
        clock.advance(minutes=1)
        problem_id = await n.accepted_problem(
            gql, area=area, category="DRUGS" if area is n.other_force else "ANTISOCIAL_BEHAVIOUR"
        )
        founder = n.other_coordinator if area is n.other_force else n.police_member
        made[name] = await n.form_group(gql, founder, policy=policy, problem_id=problem_id)
    await act(gql, "CloseWorkingGroup", n.police_member, groupId=made["by approval in the ward"]["id"])

    async def names(**arguments: Any) -> list[str]:
        listed = (await gql("WorkingGroups", **arguments))["workingGroups"]["edges"]
        return [edge["node"]["name"] for edge in listed]

    def named(*keys: str) -> list[str]:
        return [made[key]["name"] for key in keys]

    for key, group in made.items():
        await WorkingGroup.filter(id=ids.decode(group["id"], "WorkingGroup", "id")).update(name=key)
        group["name"] = key
    assert await names() == named("open in Hillside", "invited in the district", "open in the ward")
    assert await names(areaId=n.area_id(n.force)) == named("invited in the district", "open in the ward")
    assert await names(areaId=n.area_id(n.ward)) == named("open in the ward")
    assert await names(status="CLOSED") == named("by approval in the ward")
    assert await names(openToJoin=True) == named("open in Hillside", "open in the ward")
    assert await names(openToJoin=False) == named("invited in the district")
    first = (await gql("WorkingGroups", first=2))["workingGroups"]
    rest = (await gql("WorkingGroups", first=2, after=first["pageInfo"]["endCursor"]))["workingGroups"]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert [e["node"]["name"] for e in first["edges"] + rest["edges"]] == await names()
    counted = await gql("WorkingGroupsCount", areaId=n.area_id(n.force))
    assert counted["workingGroups"]["totalCount"] == 2
    bad = await gql.raw('{ workingGroups(areaId: "nonsense") { totalCount } }')
    assert bad["errors"][0]["message"].startswith("areaId")


async def test_ten_joins_at_once_by_one_person_make_one_membership(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    results = await asyncio.gather(
        *(gql("JoinWorkingGroup", as_=n.resident.token, input={"groupId": group["id"]}) for _ in range(10))
    )
    assert all(payload(result)["errors"] == [] for result in results)
    assert len({payload(result)["membership"]["id"] for result in results}) == 1
    assert await GroupMembership.filter(user_id=n.resident.user.id).count() == 1
    joined = Activity.filter(person_id=n.resident.user.id, kind=ActivityKind.GROUP_JOINED)
    assert await joined.count() == 1


async def test_the_invitation_picker_finds_people_of_the_area_and_of_the_groups_organisations(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People, clock: ManualClock
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    local = await people.make("Rory Local")
    await User.filter(id=local.user.id).update(home_area_id=n.ward.id)
    far = await people.make("Rona Faraway")
    await User.filter(id=far.user.id).update(home_area_id=n.other_force.id)
    officer = await people.make("Roger Officer")
    await organisations.add_member(
        Actor(user=n.admin.user),
        organisation_id=n.police.id,
        email=officer.user.email,
        role=OrganisationRole.MEMBER,
        now=clock.now(),
    )
    await User.filter(id=n.resident.user.id).update(home_area_id=n.ward.id)
    await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"])

    found = (await gql("GroupInvitees", as_=n.police_member.token, groupId=group["id"], search="ro"))[
        "groupInvitees"
    ]
    assert [(f["user"]["displayName"], [o["name"] for o in f["organisations"]]) for f in found] == [
        ("Roger Officer", ["Northshire Police"]),
        ("Rory Local", []),
    ]
    assert "example.org" not in str(found)
    refused = await gql.raw(
        'query ($g: ID!) { groupInvitees(groupId: $g, search: "ro") { user { id } } }',
        {"g": group["id"]},
        as_=n.resident.token,
    )
    assert refused["data"] is None and "leads" in refused["errors"][0]["message"]


# --------------------------------------------------------------- notifications


async def test_each_notice_reaches_only_those_concerned(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="APPROVAL")
    await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"], message="Count me in")
    request = (await GroupMembership.get(user_id=n.resident.user.id)).id
    await act(
        gql,
        "DecideJoinRequest",
        n.district_coordinator,
        membershipId=ids.encode("GroupMembership", request),
        approve=True,
    )
    await act(
        gql, "InviteToWorkingGroup", n.police_member, groupId=group["id"], userId=user_id(n.council_member)
    )

    sent = (
        await Notification.filter(subject_type="WORKING_GROUP")
        .order_by("id")
        .values_list("kind", "recipient_id", "url")
    )
    assert [(kind, recipient) for kind, recipient, _ in sent] == [
        (NotificationKind.JOIN_REQUEST, n.police_member.user.id),
        (NotificationKind.MEMBERSHIP_DECIDED, n.resident.user.id),
        (NotificationKind.GROUP_INVITATION, n.council_member.user.id),
    ]
    assert {url for _, _, url in sent} == {f"/#/groups/{group['id']}"}


async def test_news_of_a_restricted_group_reaches_nobody_who_may_not_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, policy="APPROVAL", visibility="RESTRICTED")
    invitation = (
        await act(
            gql, "InviteToWorkingGroup", n.police_member, groupId=group["id"], userId=user_id(n.neighbour)
        )
    )["membership"]
    listed = await gql.raw("{ viewer { notifications { totalCount } } }", as_=n.neighbour.token)
    assert listed["data"]["viewer"]["notifications"]["totalCount"] == 1

    # Declining, Ray leaves the group's sight: its invitation is no longer his to read.
    await act(gql, "RespondToInvitation", n.neighbour, membershipId=invitation["id"], accept=False)
    listed = await gql.raw("{ viewer { notifications { totalCount } } }", as_=n.neighbour.token)
    assert listed["data"]["viewer"]["notifications"]["totalCount"] == 0
    # Outsiders cannot even ask to join, so no lead hears of them.
    assert await failure(gql, "JoinWorkingGroup", n.council_member, groupId=group["id"]) == (
        "groupId",
        "NOT_FOUND",
    )
    assert not await Notification.filter(kind=NotificationKind.JOIN_REQUEST).exists()


# --------------------------------------------------------------- personal data


async def test_a_members_data_is_in_their_copy_and_goes_with_their_account(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    public = await n.form_group(gql, policy="APPROVAL")
    restricted = await n.form_group(gql, visibility="RESTRICTED", title="Dealing from number 14")
    await act(gql, "JoinWorkingGroup", n.neighbour, groupId=public["id"], message="I walk there nightly")
    invited = await act(
        gql, "InviteToWorkingGroup", n.police_member, groupId=restricted["id"], userId=user_id(n.neighbour)
    )
    await act(gql, "RespondToInvitation", n.neighbour, membershipId=invited["membership"]["id"], accept=True)
    await act(gql, "LeaveWorkingGroup", n.neighbour, groupId=restricted["id"])
    ray = Actor(user=n.neighbour.user)

    copy = await personal_data.export(ray, now=clock.now())
    assert [(m["group"], m["status"], m["message"]) for m in copy["working_group_memberships"]] == [
        ("Mill Lane safer nights", "REQUESTED", "I walk there nightly"),
        (GROUP_NO_LONGER_VISIBLE, "LEFT", None),
    ]
    group_acts = [a for a in copy["activity"] if "working_group" in a]
    assert [(a["act"], a["working_group"], a["rung"]) for a in group_acts] == [
        ("GROUP_JOINED", GROUP_NO_LONGER_VISIBLE, "CO_DESIGNER"),
        ("GROUP_LEFT", GROUP_NO_LONGER_VISIBLE, "NONE"),
    ]
    pat = await personal_data.export(Actor(user=n.police_member.user), now=clock.now())
    assert [g["group"] for g in pat["working_groups_formed"]] == ["Mill Lane safer nights"] * 2

    await personal_data.erase(await User.get(id=n.police_member.user.id), now=clock.now())
    await personal_data.erase(await User.get(id=n.neighbour.user.id), now=clock.now())
    assert not await GroupMembership.filter(
        user_id__in=[n.neighbour.user.id, n.police_member.user.id]
    ).exists()
    assert not await GroupMembership.filter(invited_by_id=n.police_member.user.id).exists()
    # Their acts still count in the area, about no group.
    forgotten = Activity.filter(person_id__isnull=True)
    assert await forgotten.count() > 0 and not await forgotten.filter(working_group_id__isnull=False).exists()
    # The groups stay, as part of the public record.
    assert await WorkingGroup.all().count() == 2


# --------------------------------------------------------------- reading cost

GROUP_PAGE = "WorkingGroup"


def proposer(n: Neighbourhood, i: int) -> Person:
    """Proposers in turn: nobody may propose more than twenty problems an hour."""
    return (n.resident, n.neighbour, n.council_member, n.moderator)[i % 4]


async def build_group(gql: GraphQL, n: Neighbourhood, people: People, size: int) -> str:
    """A group with `size` problems and `size` members beyond its lead, half of them
    speaking for organisations, and one invitation and one request."""
    group = await n.form_group(gql, policy="APPROVAL")
    for i in range(size - 1):
        problem_id = ids.encode(
            "Problem", await n.accepted_problem(gql, proposer(n, i), title=f"Problem {size}-{i}")
        )
        await act(gql, "AddProblemToWorkingGroup", n.police_member, groupId=group["id"], problemId=problem_id)
    for i in range(size):
        member = await people.make(f"Member {size}-{i}")
        if i % 2:
            organisation = n.council if i % 4 == 1 else n.police
            await organisations.add_member(
                Actor(user=n.admin.user),
                organisation_id=organisation.id,
                email=member.user.email,
                role=OrganisationRole.MEMBER,
                now=n.force.created_at,
            )
            invited = await act(
                gql,
                "InviteToWorkingGroup",
                n.police_member,
                groupId=group["id"],
                userId=user_id(member),
                organisationId=n.organisation_id(organisation),
            )
            if i > 1:
                await act(
                    gql, "RespondToInvitation", member, membershipId=invited["membership"]["id"], accept=True
                )
        else:
            asked = await act(gql, "JoinWorkingGroup", member, groupId=group["id"])
            if i > 0:
                await act(
                    gql,
                    "DecideJoinRequest",
                    n.police_member,
                    membershipId=asked["membership"]["id"],
                    approve=True,
                )
    return str(group["id"])


async def statements(gql: GraphQL, name: str, who: Person | None, **variables: Any) -> int:
    with QueryCounter() as queries:
        body = await gql.raw(_document(name), variables, as_=who.token if who else None)
    assert "errors" not in body, body
    return queries.count


def _document(name: str) -> str:
    from support import operation

    return operation(name)


@pytest.mark.parametrize("viewer", ["anonymous", "district_coordinator", "police_member"])
async def test_a_group_page_costs_the_same_for_3_and_for_30_members_and_problems(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People, viewer: str, redis: redis_client.Redis
) -> None:
    n = neighbourhood
    small, large = await build_group(gql, n, people, 3), await build_group(gql, n, people, 30)
    who = None if viewer == "anonymous" else getattr(n, viewer)
    page = (await gql("WorkingGroup", as_=who.token if who else None, id=large))["workingGroup"]
    assert len(page["problems"]) == 30 and len(page["members"]) >= 29
    redis.flushdb()  # the anonymous page is cached: count what working it out costs
    cost = await statements(gql, GROUP_PAGE, who, id=large)
    assert await statements(gql, GROUP_PAGE, who, id=small) == cost
    # Signed in: the session, the person's organisations and area roles; the group with its
    # founding problem and their area (one statement: the read rule needs all three), the
    # viewer's membership (the read rule and the rights), the problems, the memberships,
    # their people and their organisations, and the actions (none here: their owners are
    # counted in test_group_actions.py). Anonymous: the same but the viewer's, and first the
    # versions the cached answer is kept under.
    assert cost == (7 if who is None else 10)


async def test_a_groups_page_costs_the_same_for_3_and_for_30_groups(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People
) -> None:
    n = neighbourhood
    for i in range(33):
        problem_id = await n.accepted_problem(gql, proposer(n, i))
        group = await n.form_group(
            gql, n.district_coordinator if i % 2 else n.police_member, problem_id=problem_id
        )
        if i % 3 == 0:
            await act(gql, "JoinWorkingGroup", n.resident, groupId=group["id"])
    for who in (None, n.resident, n.force_coordinator):
        small = await statements(gql, "WorkingGroups", who, first=3)
        large = await statements(gql, "WorkingGroups", who, first=30)
        assert small == large, who
        # Signed in: the session, the person's organisations and area roles, the page, the
        # areas, the viewer's memberships, the groups' problems.
        assert large <= (3 if who is None else 7)
