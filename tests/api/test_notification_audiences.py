"""News of a problem reaches only those who may see it: when it is written, when it is
delivered, in the notification centre and in a person's data export.

Outsiders here are people a RESTRICTED problem does not exist for: Ray (a resident),
Cal (the council, until a referral makes it the owner), Mo (the ward's moderator) and
Hal (another force's coordinator). Their follows and supports of restricted problems are
the stale kind a lost membership or a referral leaves behind.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from backend import ids
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.models import Area, Notification, Problem, ProblemFollow, ProblemSupport, User
from backend.models.enums import Delivery, NotificationKind, SubjectKind
from backend.services import audiences, notifications, organisations, problems
from backend.services.actors import Actor
from backend.services.audiences import Subject
from backend.services.notification_kinds import POLICIES
from backend.services.notifications import LOST_ACCESS
from backend.services.personal_data import NO_LONGER_VISIBLE
from backend.services.problems.notices import ANSWERED_BEFORE_SENT, REQUESTS_FOR_ANSWER
from backend.services.standing import standing_of
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter, RecordingMailer, error_of, payload

# Every kind that can be about a problem, with each decision a response can carry.
ABOUT_A_PROBLEM = {
    NotificationKind.PROBLEM_PROPOSED,
    NotificationKind.PROPOSAL_RECEIVED,
    NotificationKind.PROBLEM_RESPONSE,
    NotificationKind.PROBLEM_UPDATE,
    NotificationKind.RESPONSE_OVERDUE,
}
ANSWERS = ("Accepted", "Declined", "Referred to Riverside Council", "Marked as a duplicate")


def outsiders(n: Neighbourhood) -> list[Person]:
    return [n.neighbour, n.council_member, n.moderator, n.other_coordinator]


async def propose_restricted(gql: GraphQL, n: Neighbourhood, title: str) -> dict[str, Any]:
    return await n.propose(gql, title=title, visibility="RESTRICTED")


async def respond(gql: GraphQL, person: Person, problem_id: str, decision: str, **fields: Any) -> None:
    values = {"problemId": problem_id, "decision": decision, "body": fields.pop("body", ""), **fields}
    result = payload(await gql("RespondToProblem", as_=person.token, input=values))
    assert result["errors"] == [], result


async def post_update(gql: GraphQL, person: Person, problem_id: str, body: str) -> None:
    result = payload(
        await gql("PostProblemUpdate", as_=person.token, input={"problemId": problem_id, "body": body})
    )
    assert result["errors"] == [], result


async def leave_stale_participation(problem_id: str, people: list[Person], *, now: Any) -> None:
    """Follows and supports as a referral or a lost membership leaves them."""
    pk = ids.decode(problem_id, "Problem", "id")
    for person in people:
        await ProblemFollow.create(problem_id=pk, user_id=person.user.id, created_at=now)
        await ProblemSupport.create(problem_id=pk, user_id=person.user.id, created_at=now)


async def may_see(recipient_id: int, problem_id: int) -> bool:
    """The read rule every read path uses, one person at a time: the test's referee."""
    problem = await Problem.get(id=problem_id)
    standing = await standing_of(Actor(user=await User.get(id=recipient_id)))
    return problems.may_see(standing, problem, await Area.get(id=problem.area_id))


async def notification_titles(gql: GraphQL, person: Person) -> list[str]:
    viewer = (await gql("ViewerNotifications", as_=person.token))["viewer"]
    titles = [edge["node"]["title"] for edge in viewer["notifications"]["edges"]]
    assert len(titles) == viewer["notifications"]["totalCount"]
    # Requests for an answer that the answer settled are read; the rest are not.
    assert viewer["unreadNotificationCount"] <= len(titles)
    return titles


def mailed_about(mailer: RecordingMailer, person: Person, words: str) -> list[str]:
    return [letter.subject for letter in mailer.to(person.user.email) if words in letter.body]


async def test_every_notification_about_a_restricted_problem_reaches_only_those_who_may_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    n = neighbourhood
    accepted = await propose_restricted(gql, n, "Dealing from the flat above the launderette")
    declined = await propose_restricted(gql, n, "Threats from a neighbour at number 4")
    referred = await propose_restricted(gql, n, "Exploitation at the car wash")
    duplicate = await propose_restricted(gql, n, "Dealing behind the launderette")
    for problem in (accepted, declined, referred, duplicate):
        await leave_stale_participation(problem["id"], outsiders(n), now=clock.now())
    # A public proposal whose crowd (Ray proposed it; Cal, Mo and Hal support and follow)
    # turns out to duplicate a restricted problem: none of them may carry over.
    public = await n.propose(gql, n.neighbour, title="Odd comings and goings at the launderette")
    for person in outsiders(n)[1:]:
        await gql("SupportProblem", as_=person.token, problemId=public["id"])
        await gql("FollowProblem", as_=person.token, problemId=public["id"])

    clock.advance(days=29)  # past twice the response time: overdue, then escalated
    assert await problems.escalate_overdue(clock.now()) > 0
    await respond(gql, n.police_member, public["id"], "DUPLICATE", duplicateOfId=accepted["id"])
    await respond(gql, n.police_member, accepted["id"], "ACCEPT")
    await respond(
        gql, n.police_member, declined["id"], "DECLINE", reasonCode="OTHER", body="A matter for the courts."
    )
    await respond(
        gql,
        n.district_coordinator,
        referred["id"],
        "REFER",
        referToOrganisationId=n.organisation_id(n.council),
        body="Safeguarding leads this.",
    )
    await respond(gql, n.police_member, duplicate["id"], "DUPLICATE", duplicateOfId=accepted["id"])
    await post_update(gql, n.police_member, accepted["id"], "A warrant was executed this morning.")
    await post_update(gql, n.council_member, referred["id"], "Safeguarding visited the car wash.")

    restricted = {ids.decode(p["id"], "Problem", "id") for p in (accepted, declined, referred, duplicate)}
    referred_id = ids.decode(referred["id"], "Problem", "id")
    written = await Notification.filter(subject_type=SubjectKind.PROBLEM, subject_id__in=restricted)
    # Not vacuous: every kind, and every decision, was written about a restricted problem.
    assert {row.kind for row in written} == ABOUT_A_PROBLEM
    answers = {row.title.split(":")[0] for row in written if row.kind == NotificationKind.PROBLEM_RESPONSE}
    assert answers == set(ANSWERS)
    assert {row.title for row in written if row.kind == NotificationKind.RESPONSE_OVERDUE} >= {
        f"Escalated: {accepted['title']} has waited twice its response time"
    }
    # Those who never could see them were never written to; the referral made Cal's
    # council the owner, and from then on, and only then, Cal hears of that one.
    never = {n.neighbour.user.id, n.moderator.user.id, n.other_coordinator.user.id}
    assert never.isdisjoint(row.recipient_id for row in written)
    to_cal = {row.title for row in written if row.recipient_id == n.council_member.user.id}
    assert to_cal == {f"Referred to Riverside Council: {referred['title']}"}
    # Everyone else could see the problem when told. Whoever has lost access since (the
    # police, of the referred problem) is not mailed, and not shown it any more.
    await notifications.deliver_due(mailer, sealer, clock=clock)
    for row in await Notification.filter(id__in=[row.id for row in written]):
        assert row.subject_id is not None
        if (row.delivery, row.last_error) == (Delivery.SKIPPED, ANSWERED_BEFORE_SENT):
            # A request for an answer, settled by the answer before its mail went out.
            assert row.kind in REQUESTS_FOR_ANSWER and row.read_at is not None
        elif await may_see(row.recipient_id, row.subject_id):
            assert row.delivery == Delivery.SENT, (row.kind, row.recipient_id, row.title)
        else:
            assert (row.delivery, row.last_error) == (Delivery.SKIPPED, LOST_ACCESS), row.title
            assert row.recipient_id == n.police_member.user.id and row.subject_id == referred_id
    assert not any(referred["title"] in title for title in await notification_titles(gql, n.police_member))
    for person in (n.neighbour, n.moderator, n.other_coordinator):
        titles = await notification_titles(gql, person)
        assert not any(p["title"] in title for p in (accepted, declined, referred) for title in titles)


async def test_duplicates_carry_over_only_people_who_may_see_the_original(
    client: httpx.AsyncClient,
    gql: GraphQL,
    neighbourhood: Neighbourhood,
    clock: ManualClock,
    mailer: RecordingMailer,
    sealer: Sealer,
) -> None:
    n = neighbourhood
    secret = await propose_restricted(gql, n, "Cuckooing at flat 12, Weaver House")
    public = await n.propose(gql, n.neighbour, title="Strangers at Weaver House")
    await gql("FollowProblem", as_=n.moderator.token, problemId=public["id"])
    await gql("SupportProblem", as_=n.moderator.token, problemId=public["id"])

    await respond(gql, n.police_member, public["id"], "DUPLICATE", duplicateOfId=secret["id"])
    await post_update(gql, n.police_member, secret["id"], "The tenant at flat 12 is safe now.")
    await notifications.deliver_due(mailer, sealer, clock=clock)

    original = ids.decode(secret["id"], "Problem", "id")
    assert {row.user_id for row in await ProblemFollow.filter(problem_id=original)} == {n.resident.user.id}
    assert {row.user_id for row in await ProblemSupport.filter(problem_id=original)} == {n.resident.user.id}
    for person in (n.neighbour, n.moderator):
        assert not any("flat 12" in letter.body for letter in mailer.to(person.user.email))
        assert not any("Cuckooing" in title for title in await notification_titles(gql, person))
        exported = (
            await client.get("/export/my-data.json", headers={"Authorization": f"Bearer {person.token}"})
        ).json()
        assert "Cuckooing" not in str(exported)
    # They were told of the public proposal's answer, which names no restricted title.
    (told,) = await Notification.filter(
        recipient_id=n.moderator.user.id, kind=NotificationKind.PROBLEM_RESPONSE
    )
    assert told.title == f"Marked as a duplicate: {public['title']}"
    assert any("flat 12" in letter.body for letter in mailer.to(n.resident.user.email))


async def pending_update_for(
    gql: GraphQL, n: Neighbourhood, person: Person, title: str
) -> tuple[dict[str, Any], Notification]:
    problem = await propose_restricted(gql, n, title)
    await gql("FollowProblem", as_=person.token, problemId=problem["id"])
    await post_update(gql, n.district_coordinator, problem["id"], "Officers visited twice this week.")
    notification = await Notification.get(recipient_id=person.user.id, kind=NotificationKind.PROBLEM_UPDATE)
    assert notification.delivery == Delivery.PENDING
    assert await notification_titles(gql, person)  # listed while they may see it
    return problem, notification


async def test_news_written_before_a_member_left_the_owner_is_skipped_and_unlisted(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    n = neighbourhood
    _, notification = await pending_update_for(gql, n, n.police_member, "Knife seen at the youth club")

    removed = payload(
        await gql(
            "RemoveOrganisationMember",
            as_=n.admin.token,
            input={
                "organisationId": n.organisation_id(n.police),
                "userId": ids.encode("User", n.police_member.user.id),
            },
        )
    )
    assert removed["errors"] == []
    await notifications.deliver_due(mailer, sealer, clock=clock)

    row = await Notification.get(id=notification.id)
    assert (row.delivery, row.last_error) == (Delivery.SKIPPED, LOST_ACCESS)
    assert mailed_about(mailer, n.police_member, "youth club") == []
    assert not any("youth club" in title for title in await notification_titles(gql, n.police_member))
    # Those who still may see it were mailed as ever.
    assert [letter.subject for letter in mailer.to(n.resident.user.email)] == [
        "Your proposal is in: Knife seen at the youth club",
        "Update on Knife seen at the youth club",
    ]


async def test_news_written_before_a_referral_is_skipped_for_the_old_owner(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    n = neighbourhood
    problem, notification = await pending_update_for(gql, n, n.police_member, "Threats outside the school")
    await respond(
        gql,
        n.district_coordinator,
        problem["id"],
        "REFER",
        referToOrganisationId=n.organisation_id(n.council),
        body="The council's safeguarding team leads.",
    )
    await notifications.deliver_due(mailer, sealer, clock=clock)

    pat = n.police_member.user.id
    skipped = await Notification.filter(recipient_id=pat, subject_type=SubjectKind.PROBLEM)
    assert {row.kind for row in skipped} == {
        NotificationKind.PROBLEM_PROPOSED,
        NotificationKind.PROBLEM_UPDATE,
    }
    # The request for an answer was settled by the referral itself; the news, by the lost access.
    assert {(row.kind, row.delivery, row.last_error) for row in skipped} == {
        (NotificationKind.PROBLEM_PROPOSED, Delivery.SKIPPED, ANSWERED_BEFORE_SENT),
        (NotificationKind.PROBLEM_UPDATE, Delivery.SKIPPED, LOST_ACCESS),
    }
    assert notification.id in {row.id for row in skipped}
    assert mailed_about(mailer, n.police_member, "school") == []
    assert not any("school" in title for title in await notification_titles(gql, n.police_member))
    assert "Referred to Riverside Council: Threats outside the school" in {
        letter.subject for letter in mailer.to(n.council_member.user.email)
    }


async def test_the_export_leaves_out_titles_of_problems_one_may_no_longer_see(
    client: httpx.AsyncClient, gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem, _ = await pending_update_for(gql, n, n.police_member, "Grooming reported near the arcade")
    await gql("SupportProblem", as_=n.police_member.token, problemId=problem["id"])
    await gql(
        "CommentOnProblem",
        as_=n.police_member.token,
        input={"problemId": problem["id"], "body": "Known to us from last year."},
    )
    await organisations.remove_member(
        Actor(user=n.admin.user), organisation_id=n.police.id, user_id=n.police_member.user.id
    )

    response = await client.get(
        "/export/my-data.json", headers={"Authorization": f"Bearer {n.police_member.token}"}
    )
    exported = response.json()
    assert "Grooming" not in response.text
    assert [s["problem"] for s in exported["supports"]] == [NO_LONGER_VISIBLE]
    assert [f["problem"] for f in exported["follows"]] == [NO_LONGER_VISIBLE]
    assert [row["kind"] for row in exported["notifications"]] == ["ORGANISATION_MEMBERSHIP"]
    # What they wrote themselves is theirs, seen or not.
    assert [c["body"] for c in exported["comments"]] == ["Known to us from last year."]
    # The proposer still sees it all.
    own = (
        await client.get("/export/my-data.json", headers={"Authorization": f"Bearer {n.resident.token}"})
    ).json()
    assert [p["title"] for p in own["proposals"]] == ["Grooming reported near the arcade"]
    assert [f["problem"] for f in own["follows"]] == ["Grooming reported near the arcade"]


async def test_an_outsider_cannot_unfollow_what_they_may_not_see_and_hears_nothing_of_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await propose_restricted(gql, n, "Drugs dropped at the bus shelter")
    await leave_stale_participation(problem["id"], [n.neighbour], now=clock.now())

    refused = error_of(await gql("UnfollowProblem", as_=n.neighbour.token, problemId=problem["id"]))
    await post_update(gql, n.police_member, problem["id"], "Patrols added at the shelter.")

    assert refused["code"] == "NOT_FOUND"
    assert await Notification.filter(recipient_id=n.neighbour.user.id).count() == 0


async def test_the_read_rule_costs_the_same_statements_for_any_number_of_people(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await propose_restricted(gql, n, "Sale of stolen bikes")
    subject = Subject(SubjectKind.PROBLEM, ids.decode(problem["id"], "Problem", "id"))
    everyone = [u.id for u in await User.all()]

    with QueryCounter() as few:
        two = await audiences.readers_among(subject, everyone[:2])
    with QueryCounter() as many:
        every = await audiences.readers_among(subject, [*everyone, *range(10_000, 10_500)])

    assert few.count == many.count
    allowed = [n.resident, n.police_member, n.district_coordinator, n.force_coordinator, n.admin]
    assert every == {person.user.id for person in allowed}
    assert two <= every


async def test_a_notification_about_something_must_name_it(people: People, clock: ManualClock) -> None:
    resident = await people.make("Rita Resident")
    for kind in sorted(kind for kind, policy in POLICIES.items() if not policy.about_the_recipient):
        with pytest.raises(ValueError, match="name it as a Subject"):
            await notifications.notify(kind, resident.user, subject="problem:1", now=clock.now(), context={})
    assert await Notification.all().count() == 0


def test_every_kind_of_subject_has_a_read_rule() -> None:
    for kind in SubjectKind:
        assert audiences.rule_for(kind) is not None


async def test_news_of_a_public_problem_still_reaches_everyone_who_follows_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, title="Potholes on the high street")
    for person in outsiders(n):
        await gql("FollowProblem", as_=person.token, problemId=problem["id"])
    clock.advance(hours=1)
    await post_update(gql, n.police_member, problem["id"], "Reported to the highways team.")

    told = {row.recipient_id for row in await Notification.filter(kind=NotificationKind.PROBLEM_UPDATE)}
    assert told == {n.resident.user.id, *(p.user.id for p in outsiders(n))}
