"""Who may do what to a working group, and who may see a restricted one.

The rights matrix, for every act on a group and every kind of person: anonymous, a resident
outside the group, a resident member, the lead (the police member who formed it), an
organisation member outside it (the council's), the area's coordinator, a coordinator of
another area, and a platform admin. Leads and the coordinators of the group's area (or
above) run a group; platform admins may close one, and otherwise take part like anyone.

A group around a RESTRICTED problem exists only for those who may see that problem and for
its own members (invited, asking to join, or active): to anyone else it is NOT_FOUND on
every path, exactly like a group that was never formed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from backend import ids
from backend.models import GroupMembership
from backend.models.enums import MembershipStatus
from neighbourhood import EVERYONE, Neighbourhood
from support import GraphQL, Person, error_of, payload

ALLOWED = "allowed"
ROLES = [
    "anonymous",
    "neighbour",
    "member",
    "lead",
    "council_member",
    "district_coordinator",
    "other_coordinator",
    "admin",
]
# The roles by who plays them in the neighbourhood: Rita joins the group as its member.
PEOPLE = {"member": "resident", "lead": "police_member"}
LEADERS = {"lead", "district_coordinator"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def person(n: Neighbourhood, role: str) -> Person | None:
    found: Person | None = None if role == "anonymous" else getattr(n, PEOPLE.get(role, role))
    return found


def outcome(data: dict[str, Any]) -> str:
    if payload(data)["errors"]:
        code: str = error_of(data)["code"]
        return code
    return ALLOWED


@dataclass
class Scene:
    """A group Pat formed (open to all, unless the act needs otherwise) that Rita joined."""

    gql: GraphQL
    n: Neighbourhood
    group: dict[str, Any]

    @property
    def group_id(self) -> str:
        return str(self.group["id"])

    async def membership_of(self, who: Person) -> str:
        row = await GroupMembership.get(
            group_id=ids.decode(self.group_id, "WorkingGroup", "groupId"), user_id=who.user.id
        )
        return ids.encode("GroupMembership", row.id)

    async def send(self, operation: str, who: Person | None, **values: Any) -> dict[str, Any]:
        return await self.gql(operation, as_=who.token if who else None, input=values)


async def scene(gql: GraphQL, n: Neighbourhood, policy: str = "OPEN") -> Scene:
    group = await n.form_group(gql, policy=policy)
    if policy == "OPEN":
        joined = await gql("JoinWorkingGroup", as_=n.resident.token, input={"groupId": group["id"]})
        assert payload(joined)["errors"] == []
    return Scene(gql, n, group)


Act = Callable[[Scene, Person | None], Awaitable[dict[str, Any]]]


async def form(s: Scene, who: Person | None) -> dict[str, Any]:
    problem_id = ids.encode("Problem", await s.n.accepted_problem(s.gql))
    return await s.send("FormWorkingGroup", who, problemId=problem_id, name="Another", purpose="More work.")


async def invite(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send(
        "InviteToWorkingGroup", who, groupId=s.group_id, userId=ids.encode("User", s.n.moderator.user.id)
    )


async def join(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("JoinWorkingGroup", who, groupId=s.group_id)


async def decide(s: Scene, who: Person | None) -> dict[str, Any]:
    await s.gql("JoinWorkingGroup", as_=s.n.moderator.token, input={"groupId": s.group_id})
    membership_id = await s.membership_of(s.n.moderator)
    return await s.send("DecideJoinRequest", who, membershipId=membership_id, approve=True)


async def answer(s: Scene, who: Person | None) -> dict[str, Any]:
    await invite(s, s.n.police_member)
    membership_id = await s.membership_of(s.n.moderator)
    return await s.send("RespondToInvitation", who, membershipId=membership_id, accept=True)


async def leave(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("LeaveWorkingGroup", who, groupId=s.group_id)


async def promote(s: Scene, who: Person | None) -> dict[str, Any]:
    membership_id = await s.membership_of(s.n.resident)
    return await s.send("SetGroupMemberRole", who, membershipId=membership_id, role="LEAD")


async def add_problem(s: Scene, who: Person | None) -> dict[str, Any]:
    problem_id = ids.encode(
        "Problem", await s.n.accepted_problem(s.gql, title="Fly-tipping behind the shops")
    )
    return await s.send("AddProblemToWorkingGroup", who, groupId=s.group_id, problemId=problem_id)


async def close(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("CloseWorkingGroup", who, groupId=s.group_id)


def expected(role: str, allowed: set[str], otherwise: str = "FORBIDDEN", **special: str) -> str:
    if role == "anonymous":
        return "UNAUTHENTICATED"
    if role in special:
        return special[role]
    return ALLOWED if role in allowed else otherwise


# Each act: what it needs of the group, who may do it, and what the others meet.
MATRIX: dict[str, tuple[Act, str, Callable[[str], str]]] = {
    "form": (form, "OPEN", lambda role: expected(role, {"lead", "district_coordinator", "admin"})),
    "invite": (invite, "OPEN", lambda role: expected(role, LEADERS)),
    # Joining an open group again changes nothing, and is no error.
    "join": (join, "OPEN", lambda role: expected(role, SIGNED_IN)),
    "decide": (decide, "APPROVAL", lambda role: expected(role, LEADERS)),
    # Only Mo, who was invited, answers; nobody in the matrix is Mo.
    "answer": (answer, "OPEN", lambda role: expected(role, set())),
    # Only members leave; the lead is the last one, and must hand over first.
    "leave": (leave, "OPEN", lambda role: expected(role, {"member"}, "INVALID_STATE")),
    "promote": (promote, "OPEN", lambda role: expected(role, LEADERS)),
    "add_problem": (add_problem, "OPEN", lambda role: expected(role, LEADERS)),
    "close": (close, "OPEN", lambda role: expected(role, {*LEADERS, "admin"})),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act_name", list(MATRIX))
async def test_the_rights_matrix(
    gql: GraphQL, neighbourhood: Neighbourhood, act_name: str, role: str
) -> None:
    act, policy, rule = MATRIX[act_name]
    s = await scene(gql, neighbourhood, policy)
    assert outcome(await act(s, person(neighbourhood, role))) == rule(role)


async def test_only_the_invitee_answers_an_invitation_and_only_the_one_asking_is_decided(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    s = await scene(gql, n)
    assert outcome(await answer(s, n.moderator)) == ALLOWED
    s = await scene(gql, n, "APPROVAL")
    await s.gql("JoinWorkingGroup", as_=n.moderator.token, input={"groupId": s.group_id})
    membership_id = await s.membership_of(n.moderator)
    own = await s.send("DecideJoinRequest", n.moderator, membershipId=membership_id, approve=True)
    assert outcome(own) == "FORBIDDEN"


async def test_nobody_runs_a_group_in_an_area_they_do_not_look_after(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql, area=n.other_force, category="DRUGS")
    group = await n.form_group(gql, n.other_coordinator, problem_id=problem_id)
    s = Scene(gql, n, group)
    assert outcome(await invite(s, n.district_coordinator)) == "FORBIDDEN"
    assert outcome(await invite(s, n.other_coordinator)) == ALLOWED


# --------------------------------------------------------------- restricted

SEE_RESTRICTED = {"resident", "police_member", "district_coordinator", "force_coordinator", "admin"}

GROUP_IDS = """
query ($areaId: ID, $problemId: ID!) {
  workingGroups(areaId: $areaId) { totalCount edges { node { id } } }
  problem(id: $problemId) { workingGroups { id } }
}
"""


async def taken_up(gql: GraphQL, n: Neighbourhood, group: dict[str, Any], **fields: Any) -> str:
    """The ID of a new accepted problem in the ward that the group's lead has the group take up."""
    problem_id = ids.encode("Problem", await n.accepted_problem(gql, **fields))
    added = await gql(
        "AddProblemToWorkingGroup",
        as_=n.police_member.token,
        input={"groupId": group["id"], "problemId": problem_id},
    )
    assert payload(added)["errors"] == []
    return problem_id


@pytest.mark.parametrize("role", EVERYONE)
async def test_a_restricted_group_exists_only_for_those_who_may_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood, role: str
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, visibility="RESTRICTED")
    # A public problem the group took up does not show the group to the public.
    public_id = await taken_up(gql, n, group, title="Speeding on the high street")
    lead = await GroupMembership.get(group_id=ids.decode(group["id"], "WorkingGroup", "id"))
    lead_id = ids.encode("GroupMembership", lead.id)
    who = None if role == "anonymous" else getattr(n, role)
    token = who.token if who else None
    sees = role in SEE_RESTRICTED

    assert ((await gql("WorkingGroup", as_=token, id=group["id"]))["workingGroup"] is not None) == sees
    assert ((await gql("Node", as_=token, id=group["id"]))["node"] is not None) == sees
    assert ((await gql("Node", as_=token, id=lead_id))["node"] is not None) == sees
    for area in (None, n.area_id(n.ward), n.area_id(n.force)):
        body = await gql.raw(GROUP_IDS, {"areaId": area, "problemId": public_id}, as_=token)
        assert "errors" not in body, body
        listed = [edge["node"]["id"] for edge in body["data"]["workingGroups"]["edges"]]
        assert listed == ([group["id"]] if sees else [])
        assert body["data"]["workingGroups"]["totalCount"] == len(listed)
        assert body["data"]["problem"]["workingGroups"] == ([{"id": group["id"]}] if sees else [])
    if who is not None and not sees:
        for name, values in (
            ("JoinWorkingGroup", {"groupId": group["id"]}),
            ("LeaveWorkingGroup", {"groupId": group["id"]}),
            ("CloseWorkingGroup", {"groupId": group["id"]}),
            ("SetGroupMemberRole", {"membershipId": lead_id, "role": "MEMBER"}),
        ):
            error = error_of(await gql(name, as_=token, input=values))
            assert error["code"] == "NOT_FOUND", (name, error)


@pytest.mark.parametrize("role", EVERYONE)
async def test_a_public_group_lists_a_restricted_problem_only_to_those_who_may_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood, role: str
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    await taken_up(gql, n, group, title="Dealing from number 14", visibility="RESTRICTED")
    who = None if role == "anonymous" else getattr(n, role)

    seen = (await gql("WorkingGroup", as_=who.token if who else None, id=group["id"]))["workingGroup"]
    titles = [problem["title"] for problem in seen["problems"]]
    founding = titles[0]
    assert titles == ([founding, "Dealing from number 14"] if role in SEE_RESTRICTED else [founding])


async def test_an_invitation_shows_a_restricted_group_to_the_invitee_until_they_decline(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql, visibility="RESTRICTED")
    invited = payload(
        await gql(
            "InviteToWorkingGroup",
            as_=n.police_member.token,
            input={"groupId": group["id"], "userId": ids.encode("User", n.neighbour.user.id)},
        )
    )["membership"]

    # A public problem the group took up lists it to the invitee alone of the public.
    public_id = await taken_up(gql, n, group, title="Speeding on the high street")

    async def groups_on_public_problem(token: str | None) -> list[str]:
        body = await gql.raw(
            "query ($id: ID!) { problem(id: $id) { workingGroups { id } } }", {"id": public_id}, as_=token
        )
        assert "errors" not in body, body
        return [g["id"] for g in body["data"]["problem"]["workingGroups"]]

    assert await groups_on_public_problem(n.neighbour.token) == [group["id"]]
    assert await groups_on_public_problem(None) == []
    seen = (await gql("WorkingGroup", as_=n.neighbour.token, id=group["id"]))["workingGroup"]
    assert seen["viewerMembership"]["status"] == "INVITED"
    mine = (await gql("ViewerGroupMemberships", as_=n.neighbour.token))["viewer"]["groupMemberships"]
    assert [m["group"]["id"] for m in mine] == [group["id"]] and mine[0]["viewerCanAnswer"]

    declined = await gql(
        "RespondToInvitation", as_=n.neighbour.token, input={"membershipId": invited["id"], "accept": False}
    )
    assert payload(declined)["errors"] == []
    assert (await gql("WorkingGroup", as_=n.neighbour.token, id=group["id"]))["workingGroup"] is None
    assert (await gql("ViewerGroupMemberships", as_=n.neighbour.token))["viewer"]["groupMemberships"] == []
    assert await groups_on_public_problem(n.neighbour.token) == []
    assert (await GroupMembership.get(user_id=n.neighbour.user.id)).status == MembershipStatus.DECLINED


@pytest.mark.parametrize("role", ROLES)
async def test_the_problem_says_who_may_form_a_group_around_it_as_forming_does(
    gql: GraphQL, neighbourhood: Neighbourhood, role: str
) -> None:
    n = neighbourhood
    who = person(n, role)
    accepted = ids.encode("Problem", await n.accepted_problem(gql))
    proposed = (await n.propose(gql, title="Graffiti on the bridge"))["id"]
    for problem_id, workable in ((accepted, True), (proposed, False)):
        seen = (await gql("ProblemWorkingGroups", as_=who.token if who else None, id=problem_id))["problem"]
        allowed = MATRIX["form"][2](role) == ALLOWED
        assert seen["viewerCanFormWorkingGroup"] == (allowed and workable)
