"""`rungs demo-data`: a demo force with areas, organisations, people and the problems they
raised, made through the services.

The force joined some weeks before the demo clock's now, and its problems are dated in
those weeks, so the board shows every state a proposal goes through: waiting, overdue,
accepted and being worked on, declined, referred, a duplicate, and a restricted one. Working
groups of police, council, housing, the youth trust and residents work on the accepted ones
(`demo_groups`) and post volunteer tasks, over, under way and to come (`demo_tasks`).
Measures with a year of monthly readings show one problem getting better and another hardly
moving; two problems are closed, one with its closing accepted and one disputed
by enough people for the verdict to reopen it. Neighbours in every ward have taken part for
up to two years, and the ladder's snapshots go back a year (`demo_ladder`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from backend.demo_answers import write_templates
from backend.demo_groups import form_groups
from backend.demo_ladder import make_history
from backend.demo_people import AMIRA, GRACE, HOMES, KOFI, LEE, PEOPLE, RUTH, SAM
from backend.demo_tasks import post_tasks
from backend.models import Area, Comment, Organisation, Problem, ProblemResponse, User
from backend.models.enums import (
    AreaRoleKind,
    DeclineReason,
    OrganisationKind,
    OutcomeDirection,
    ProblemCategory,
    ResolutionOutcome,
    ResponseDecision,
    SaraStage,
    Visibility,
)
from backend.services import accounts, areas, digests, organisations, outcomes, problems
from backend.services.actors import Actor
from backend.services.ladder import snapshots
from backend.settings import Settings

DEMO_PASSWORD = "lantern orchard velvet"

AREAS = {
    "Northshire": ["Kingsbridge", "Harrowgate"],
    "Kingsbridge": ["Kingsbridge Central", "Riverside", "Old Town"],
    "Harrowgate": ["Harrowgate North", "Millfield"],
}
ORGANISATIONS = [
    ("Northshire Police", OrganisationKind.POLICE),
    ("Kingsbridge Borough Council", OrganisationKind.COUNCIL),
    ("Northshire Homes", OrganisationKind.HOUSING),
    ("Northshire Fire and Rescue", OrganisationKind.FIRE_AND_RESCUE),
    ("Riverside Youth Trust", OrganisationKind.CHARITY),
]
# How long before the demo clock's now the force joined Rungs: its problems fall in between.
JOINED_DAYS_AGO = 60
ROUTING = [
    ("Northshire", ProblemCategory.ANTISOCIAL_BEHAVIOUR, "Northshire Police"),
    ("Northshire", ProblemCategory.DRUGS, "Northshire Police"),
    ("Northshire", ProblemCategory.ROAD_SAFETY, "Northshire Police"),
    ("Northshire", ProblemCategory.THEFT_AND_BURGLARY, "Northshire Police"),
    ("Northshire", ProblemCategory.VIOLENCE, "Northshire Police"),
    ("Northshire", ProblemCategory.FRAUD, "Northshire Police"),
    ("Kingsbridge", ProblemCategory.ENVIRONMENT, "Kingsbridge Borough Council"),
    ("Riverside", ProblemCategory.VULNERABILITY, "Riverside Youth Trust"),
]


async def seed(*, now: datetime, settings: Settings) -> str:
    # Everything is made in the one run that makes Northshire: if it exists, so does the rest.
    if await Area.exists(slug="northshire"):
        return "The demo data is there already."
    joined = now - timedelta(days=JOINED_DAYS_AGO)
    admin = await accounts.create_admin(
        email="admin@rungs.demo", password=DEMO_PASSWORD, display_name="Alex Admin", now=joined
    )
    actor = Actor(user=admin)
    made: dict[str, Area] = {}
    made["Northshire"] = await areas.create_area(actor, name="Northshire", response_days=14, now=joined)
    for parent, children in AREAS.items():
        for child in children:
            made[child] = await areas.create_area(actor, name=child, parent_id=made[parent].id, now=joined)
    orgs = {
        name: await organisations.create_organisation(actor, name=name, kind=kind, now=joined)
        for name, kind in ORGANISATIONS
    }
    users: dict[str, User] = {}
    for name, email, membership, coordinates in PEOPLE:
        users[email] = await accounts.create_confirmed_account(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            home_area_id=made[HOMES.get(email, "Riverside")].id,
            now=joined,
        )
        if membership is not None:
            organisation, role = membership
            await organisations.add_member(
                actor, organisation_id=orgs[organisation].id, email=email, role=role, now=joined
            )
        if coordinates is not None:
            await areas.assign_area_role(
                actor,
                area_id=made[coordinates].id,
                user_id=users[email].id,
                role=AreaRoleKind.COORDINATOR,
                now=joined,
            )
    for area, category, organisation in ROUTING:
        await areas.set_routing_rule(
            actor,
            area_id=made[area].id,
            category=category,
            organisation_id=orgs[organisation].id,
            now=joined,
        )
    # Before the stories: the ladder's past snapshots must not count acts still to come.
    neighbours = await make_history(
        now=now, zone=ZoneInfo(settings.time_zone), areas=made, password_hash=admin.password_hash
    )
    cast = _Cast(
        now=now,
        settings=settings,
        people={email: Actor(user=user) for email, user in users.items()},
        areas=made,
        organisations=orgs,
    )
    await write_templates(admin=admin, users=users, organisations=orgs, now=joined)
    raised = await _raise_problems(cast)
    groups = await form_groups(now=now, users=users, organisations=orgs, problems=raised)
    # Before the closings: a group whose problem is closed takes on no new tasks.
    tasks = await post_tasks(now=now, zone=ZoneInfo(settings.time_zone), users=users, groups=groups)
    await _measure_and_close(cast)
    # Everyone on the top rungs gets their first progress digest now, as the hourly job would
    # write it: the notification centre shows one from the start, and the job finds each
    # person's digest for this period written (so a demo server never adds one mid-visit).
    # Before the snapshot: reading a digest is an act of the ladder today's snapshot counts.
    digested = await digests.send_due(now=now)
    await snapshots.take(now=now)
    people = await User.all().count()
    return (
        f"Demo data: {len(made)} areas, {len(orgs)} organisations, {people} people, {cast.raised} problems, "
        f"{len(groups)} working groups, {len(tasks)} volunteer tasks, measures with a year of readings, "
        f"two closed problems, common answers for each organisation, {neighbours} neighbours taking part "
        f"over two years, a year of the participation ladder's history and {digested} progress digests.\n"
        f"Sign in as admin@rungs.demo (platform admin), priya.shah@police.demo (police, coordinator "
        f"of Kingsbridge) or sam.patel@resident.demo (resident); every demo password is {DEMO_PASSWORD!r}."
    )


@dataclass
class _Cast:
    """The demo's people, places and clock, for telling what happened to each problem."""

    now: datetime
    settings: Settings
    people: dict[str, Actor]
    areas: dict[str, Area]
    organisations: dict[str, Organisation]
    raised: int = 0

    def at(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def person(self, email: str) -> Actor:
        return self.people[email]

    async def propose(self, story: Mapping[str, Any]) -> Problem:
        """The proposal a story of the table begins with."""
        latitude, longitude = story.get("location", (None, None))
        self.raised += 1
        return await problems.propose(
            self.person(story["by"]),
            area_id=self.areas[story["area"]].id,
            title=story["title"],
            description=story["description"],
            category=ProblemCategory[story["category"]],
            visibility=Visibility[story.get("visibility", "PUBLIC")],
            latitude=latitude,
            longitude=longitude,
            now=self.at(story["days_ago"]),
        )

    async def act(self, problem: Problem, act: Mapping[str, Any], raised: Mapping[str, Problem]) -> None:
        """One act of a story (see the table's opening comment for each kind of act)."""
        now = self.at(act["days_ago"])
        match act["act"]:
            case "support":
                for email in act["supporters"]:
                    await problems.support(self.person(email), problem_id=problem.id, now=now)
                for email in act.get("followers", ()):
                    await problems.follow(self.person(email), problem_id=problem.id, now=now)
            case "comment":
                await problems.comment(
                    self.person(act["by"]), problem_id=problem.id, body=act["body"], now=now
                )
            case "hide":
                latest = await Comment.filter(problem_id=problem.id).order_by("-id").first()
                assert latest is not None
                await problems.hide_comment(
                    self.person(act["by"]), comment_id=latest.id, reason=act["reason"], now=now
                )
            case "respond":
                await self.respond(problem, act, raised)
            case "correct":
                response = await ProblemResponse.filter(problem_id=problem.id).order_by("-id").first()
                assert response is not None
                correct = problems.add_note if act["note"] else problems.correct_text
                await correct(self.person(act["by"]), response_id=response.id, body=act["body"], now=now)
            case "update":
                await problems.post_update(
                    self.person(act["by"]), problem_id=problem.id, body=act["body"], now=now
                )
            case "stage":
                await problems.set_stage(
                    self.person(act["by"]), problem_id=problem.id, stage=SaraStage[act["stage"]], now=now
                )

    async def respond(self, problem: Problem, act: Mapping[str, Any], raised: Mapping[str, Problem]) -> None:
        await problems.respond(
            self.person(act["by"]),
            problem_id=problem.id,
            decision=ResponseDecision[act["decision"]],
            body=act["body"],
            reason_code=DeclineReason[act["reason"]] if "reason" in act else None,
            refer_to_id=self.organisations[act["refer_to"]].id if "refer_to" in act else None,
            duplicate_of_id=raised[act["duplicate_of"]].id if "duplicate_of" in act else None,
            now=self.at(act["days_ago"]),
        )


# The problems the demo's people raised and what came of each, by name (see its opening comment).
_STORIES: dict[str, dict[str, Any]] = tomllib.loads(
    resources.files("backend").joinpath("demo_problems.toml").read_text(encoding="utf-8")
)


async def _raise_problems(cast: _Cast) -> dict[str, Problem]:
    """Every story of the table, oldest proposal first; the problems by name."""
    raised: dict[str, Problem] = {}
    for name, story in _STORIES.items():
        raised[name] = await cast.propose(story)
        for act in story.get("acts", ()):
            await cast.act(raised[name], act, raised)
    return raised


def _month_start(today: date, months_ago: int) -> date:
    months = today.year * 12 + today.month - 1 - months_ago
    return date(months // 12, months % 12 + 1, 1)


async def _measure(cast: _Cast, story: Mapping[str, Any], spec: Mapping[str, Any], today: date) -> None:
    """A measure of the story's problem and its monthly readings, up to last month."""
    problem = await Problem.get(title=story["title"])
    readings = spec["readings"]
    measure = await outcomes.define_measure(
        cast.person(spec["defined_by"]),
        problem_id=problem.id,
        name=spec["name"],
        unit=spec["unit"],
        direction=OutcomeDirection[spec["direction"]],
        baseline=spec["baseline"],
        baseline_on=_month_start(today, len(readings) + 1),
        target=spec["target"],
        target_on=_month_start(today, -4),
        now=cast.at(2),
    )
    for months_ago, value in zip(range(len(readings), 0, -1), readings, strict=True):
        await outcomes.record_reading(
            cast.person(spec["recorded_by"]),
            measure_id=measure.id,
            value=value,
            observed_on=_month_start(today, months_ago),
            note=None,
            now=cast.at(1.5),
        )


async def _measure_and_close(cast: _Cast) -> None:
    """Measures and their readings on the problems being worked on, then the closings: the
    footpath lights one accepted by most, the youth club one disputed (its 14 days still running)."""
    today = outcomes.today(cast.now)
    for story in _STORIES.values():
        for spec in story.get("measures", ()):
            await _measure(cast, story, spec, today)
    lighting = await Problem.get(title="Street lights out along the Harbour Court footpath")
    await cast.respond(
        lighting,
        {
            "by": LEE,
            "days_ago": 4,
            "decision": "ACCEPT",
            "body": "These are ours: an electrician is booked for Thursday to replace all four lights.",
        },
        {},
    )
    await outcomes.close(
        cast.person(LEE),
        problem_id=lighting.id,
        outcome=ResolutionOutcome.RESOLVED,
        summary="All four lights on the footpath were replaced on Thursday and are on a monthly check.",
        now=cast.at(2),
    )
    for email, agrees in ((GRACE, True), (SAM, True), (KOFI, False)):
        await outcomes.review(
            cast.person(email), problem_id=lighting.id, agrees=agrees, comment=None, now=cast.at(1)
        )

    teenagers = await Problem.get(title="Nothing for teenagers to do in Riverside after school")
    await outcomes.close(
        cast.person(RUTH),
        problem_id=teenagers.id,
        outcome=ResolutionOutcome.RESOLVED,
        summary=(
            "The Friday youth club is running and well attended. We consider the problem resolved "
            "and will keep the club going with the neighbourhood's volunteers."
        ),
        now=cast.at(1),
    )
    # Three of four disagree: the calls have hardly moved, and when the 14 days are up the
    # verdict reopens the problem.
    for email, agrees in ((SAM, False), (GRACE, False), (AMIRA, False), (KOFI, True)):
        await outcomes.review(
            cast.person(email), problem_id=teenagers.id, agrees=agrees, comment=None, now=cast.at(0.5)
        )
