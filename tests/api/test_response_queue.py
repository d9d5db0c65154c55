"""The officers' work queue: who finds which proposals in it, in what order, at what cost;
and the requests for an answer that an answer settles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from backend.clock import ManualClock
from backend.models import Area, Notification, Problem
from backend.models.enums import Delivery, NotificationKind, ProblemCategory, ResponseDecision
from backend.services import problems
from backend.services.actors import Actor
from neighbourhood import Neighbourhood
from support import GraphQL, Person, QueryCounter

DAY = timedelta(days=1)


async def propose(n: Neighbourhood, clock: ManualClock, area: Area, title: str, **details: Any) -> Problem:
    return await problems.propose(
        Actor(user=n.resident.user),
        area_id=area.id,
        title=title,
        description="Described.",
        category=details.pop("category", ProblemCategory.ANTISOCIAL_BEHAVIOUR),
        now=clock.now(),
        **details,
    )


async def answer(person: Person, problem: Problem, clock: ManualClock, **details: Any) -> None:
    await problems.respond(
        Actor(user=person.user),
        problem_id=problem.id,
        decision=details.pop("decision", ResponseDecision.ACCEPT),
        body="Our answer.",
        now=clock.now(),
        **details,
    )


async def queue_of(gql: GraphQL, person: Person, first: int = 20) -> dict[str, Any]:
    data = await gql("ResponseQueue", as_=person.token, first=first)
    viewer: dict[str, Any] = data["viewer"]
    return viewer


def titles(queue: dict[str, Any]) -> list[str]:
    return [edge["node"]["title"] for edge in queue["responseQueue"]["edges"]]


async def test_the_queue_holds_what_each_person_must_answer_overdue_first_then_soonest_due(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    # Northshire's proposals are due in 14 days, Hillside's in 7.
    oldest = await propose(n, clock, n.ward, "Oldest, police")
    clock.advance(days=3)
    drugs = await propose(n, clock, n.district, "Drugs, nobody owns", category=ProblemCategory.DRUGS)
    clock.advance(days=1)
    answered = await propose(n, clock, n.ward, "Answered already")
    await answer(n.police_member, answered, clock)
    referred = await propose(n, clock, n.ward, "Referred to the council")
    await answer(n.police_member, referred, clock, decision=ResponseDecision.REFER, refer_to_id=n.council.id)
    await propose(n, clock, n.other_force, "Elsewhere")
    clock.advance(days=11)
    newest = await propose(n, clock, n.ward, "Newest, police")
    # Now 15 days on: the oldest is a day overdue; the drugs one is due in 2 days.
    assert problems.is_response_overdue(oldest, clock.now())
    assert not problems.is_response_overdue(drugs, clock.now())

    police = await queue_of(gql, n.police_member)
    assert titles(police) == ["Oldest, police", "Newest, police"]
    assert police["responseQueueCounts"] == {"awaiting": 2, "overdue": 1}
    assert [edge["node"]["isResponseOverdue"] for edge in police["responseQueue"]["edges"]] == [True, False]
    # The council owns the referral now, with 14 days from it.
    assert titles(await queue_of(gql, n.council_member)) == ["Referred to the council"]
    # A coordinator of the force answers for everything below it, owned or not.
    force = await queue_of(gql, n.force_coordinator)
    assert titles(force) == [
        "Oldest, police",
        "Drugs, nobody owns",
        "Referred to the council",
        "Newest, police",
    ]
    assert force["responseQueueCounts"] == {"awaiting": 4, "overdue": 1}
    assert titles(await queue_of(gql, n.other_coordinator)) == ["Elsewhere"]
    # No role, no queue: a resident, a moderator, even a platform admin.
    for person in (n.resident, n.moderator, n.admin):
        nobody = await queue_of(gql, person)
        assert titles(nobody) == []
        assert nobody["responseQueueCounts"] == {"awaiting": 0, "overdue": 0}
    # Answering takes a proposal out of every queue it was in.
    await answer(
        n.district_coordinator, newest, clock, decision=ResponseDecision.DUPLICATE, duplicate_of_id=oldest.id
    )
    assert titles(await queue_of(gql, n.police_member)) == ["Oldest, police"]


async def test_the_viewer_says_who_has_a_queue(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    for person, has in (
        (n.police_member, True),
        (n.district_coordinator, True),
        (n.resident, False),
        (n.moderator, False),
    ):
        data = await gql("Viewer", as_=person.token)
        assert data["viewer"]["hasResponseQueue"] is has


async def test_the_queue_pages_by_keyset_in_its_order(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    for i in range(5):
        await propose(n, clock, n.ward, f"Proposal {i}")
        clock.advance(hours=1)
    seen: list[str] = []
    after = None
    while True:
        data = await gql("ResponseQueue", as_=n.police_member.token, first=2, after=after)
        queue = data["viewer"]["responseQueue"]
        assert queue["totalCount"] == 5
        seen += [edge["node"]["title"] for edge in queue["edges"]]
        if not queue["pageInfo"]["hasNextPage"]:
            break
        after = queue["pageInfo"]["endCursor"]
    assert seen == [f"Proposal {i}" for i in range(5)]


async def statements_for_queue(gql: GraphQL, person: Person, first: int) -> int:
    with QueryCounter() as queries:
        queue = await queue_of(gql, person, first)
    assert len(queue["responseQueue"]["edges"]) == first
    return queries.count


async def test_the_queue_costs_the_same_for_3_and_for_29_of_30_proposals(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    for i in range(30):
        area = n.ward if i % 2 else n.district
        await propose(
            n,
            clock,
            area,
            f"Proposal {i}",
            category=ProblemCategory.DRUGS if i % 3 else ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        )
        clock.advance(minutes=5)  # within the proposer's hourly allowance
    await queue_of(gql, n.force_coordinator, 1)  # the token's first use records when it was seen
    small = await statements_for_queue(gql, n.force_coordinator, 3)
    large = await statements_for_queue(gql, n.force_coordinator, 29)
    assert small == large
    # the session; the viewer's standing (memberships, area roles), looked up once although
    # the list and the counts ask for it side by side; the counts, the page, its total, the
    # areas, the owners
    assert large == 8, large
    # A page that holds the whole queue counts it by its rows, without a statement.
    assert await statements_for_queue(gql, n.force_coordinator, 30) == 7


async def test_an_answer_settles_the_requests_for_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await propose(n, clock, n.ward, "Needs an answer")
    requests = Notification.filter(kind=NotificationKind.PROBLEM_PROPOSED, subject_id=problem.id)
    asked = await requests.filter(recipient_id=n.police_member.user.id).get()
    assert asked.read_at is None and asked.delivery == Delivery.PENDING
    unread_before = (await gql("Viewer", as_=n.police_member.token))["viewer"]["unreadNotificationCount"]

    clock.advance(hours=2)
    await answer(n.police_member, problem, clock, decision=ResponseDecision.REFER, refer_to_id=n.council.id)

    # The police's request is answered: out of the unread, and its mail no longer goes out.
    settled = await Notification.get(id=asked.id)
    assert settled.read_at == clock.now()
    assert settled.delivery == Delivery.SKIPPED
    after = (await gql("Viewer", as_=n.police_member.token))["viewer"]["unreadNotificationCount"]
    assert after == unread_before - 1
    # The coordinators' requests are settled too; the council's, asked by the referral, is new.
    assert not await requests.filter(
        read_at__isnull=True, recipient_id=n.district_coordinator.user.id
    ).exists()
    council = await requests.filter(recipient_id=n.council_member.user.id).get()
    assert council.read_at is None and council.delivery == Delivery.PENDING

    await answer(n.council_member, problem, clock)
    assert (await Notification.get(id=council.id)).read_at == clock.now()
