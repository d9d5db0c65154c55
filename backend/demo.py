"""`rungs demo-data`: a demo force with areas, organisations, people and the problems they
raised, made through the services.

The force joined some weeks before the demo clock's now, and its problems are dated in
those weeks, so the board shows every state a proposal goes through: waiting, overdue,
accepted and being worked on, declined, referred, a duplicate, and a restricted one. Working
groups of police, council, housing, the youth trust and residents work on the accepted ones
(`demo_groups`) and post volunteer tasks, over, under way and to come (`demo_tasks`).
Measures with a year of monthly readings show one problem getting better and another hardly
moving; two problems are closed, one with its closing accepted and one disputed
by enough people for the verdict to reopen it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backend.demo_answers import write_templates
from backend.demo_groups import form_groups
from backend.demo_people import AMIRA, BILL, DANA, GRACE, HOMES, KOFI, LEE, PEOPLE, PRIYA, RUTH, SAM, TOM
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
from backend.services import accounts, areas, organisations, outcomes, problems
from backend.services.actors import Actor
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
    cast = _Cast(
        now=now,
        settings=settings,
        people={email: Actor(user=user) for email, user in users.items()},
        areas=made,
        organisations=orgs,
    )
    await write_templates(admin=admin, users=users, organisations=orgs, now=joined)
    raised = await _raise_problems(cast)
    await _raise_council_work(cast)
    groups = await form_groups(now=now, users=users, organisations=orgs, problems=raised)
    # Before the closings: a group whose problem is closed takes on no new tasks.
    tasks = await post_tasks(now=now, zone=ZoneInfo(settings.time_zone), users=users, groups=groups)
    await _measure_and_close(cast)
    people = await User.all().count()
    return (
        f"Demo data: {len(made)} areas, {len(orgs)} organisations, {people} people, {cast.raised} problems, "
        f"{len(groups)} working groups, {len(tasks)} volunteer tasks, measures with a year of readings, "
        "two closed problems, common answers for each organisation.\n"
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

    async def propose(
        self,
        email: str,
        days_ago: float,
        *,
        area: str,
        title: str,
        description: str,
        category: ProblemCategory,
        visibility: Visibility = Visibility.PUBLIC,
        location: tuple[float, float] | None = None,
    ) -> Problem:
        latitude, longitude = location if location else (None, None)
        self.raised += 1
        return await problems.propose(
            self.person(email),
            area_id=self.areas[area].id,
            title=title,
            description=description,
            category=category,
            visibility=visibility,
            latitude=latitude,
            longitude=longitude,
            now=self.at(days_ago),
        )

    async def take_part(
        self, problem: Problem, days_ago: float, *, supporters: Sequence[str], followers: Sequence[str] = ()
    ) -> None:
        for email in supporters:
            await problems.support(self.person(email), problem_id=problem.id, now=self.at(days_ago))
        for email in followers:
            await problems.follow(self.person(email), problem_id=problem.id, now=self.at(days_ago))

    async def respond(
        self,
        email: str,
        problem: Problem,
        days_ago: float,
        decision: ResponseDecision,
        body: str,
        *,
        reason: DeclineReason | None = None,
        refer_to: str | None = None,
        duplicate_of: Problem | None = None,
    ) -> None:
        await problems.respond(
            self.person(email),
            problem_id=problem.id,
            decision=decision,
            body=body,
            reason_code=reason,
            refer_to_id=self.organisations[refer_to].id if refer_to else None,
            duplicate_of_id=duplicate_of.id if duplicate_of else None,
            now=self.at(days_ago),
        )

    async def correct(self, email: str, problem: Problem, days_ago: float, body: str, *, note: bool) -> None:
        """Corrects the problem's latest response: its text (within the window), or with a note."""
        response = await ProblemResponse.filter(problem_id=problem.id).order_by("-id").first()
        assert response is not None
        act = problems.add_note if note else problems.correct_text
        await act(self.person(email), response_id=response.id, body=body, now=self.at(days_ago))

    async def update(self, email: str, problem: Problem, days_ago: float, body: str) -> None:
        await problems.post_update(
            self.person(email),
            problem_id=problem.id,
            body=body,
            now=self.at(days_ago),
        )

    async def stage(self, email: str, problem: Problem, days_ago: float, stage: SaraStage) -> None:
        await problems.set_stage(
            self.person(email), problem_id=problem.id, stage=stage, now=self.at(days_ago)
        )

    async def comment(self, email: str, problem: Problem, days_ago: float, body: str) -> Comment:
        return await problems.comment(
            self.person(email), problem_id=problem.id, body=body, now=self.at(days_ago)
        )


async def _raise_problems(cast: _Cast) -> dict[str, Problem]:
    """Proposals and what came of them, oldest first; the accepted ones that working groups
    take up, by name.

    Maggie Doyle takes no part: she stays a newcomer with an empty inbox.
    """
    underpass = await cast.propose(
        KOFI,
        40,
        area="Riverside",
        title="Drug dealing in the Riverside Park underpass",
        description=(
            "Most evenings from about 7pm a group is dealing in the underpass between Riverside "
            "Park and Canal Street. People walking home, including children coming back from "
            "football, have to go through them or take the long way round by the main road."
        ),
        category=ProblemCategory.DRUGS,
        location=(54.52371, -1.55912),
    )
    await cast.take_part(underpass, 39, supporters=[SAM, AMIRA], followers=[SAM])
    await cast.comment(
        AMIRA,
        underpass,
        38,
        "I've stopped using the underpass after dark. The lighting there is terrible too.",
    )
    await cast.respond(
        PRIYA,
        underpass,
        37,
        ResponseDecision.ACCEPT,
        "Thank you for raising this. We're accepting it as a priority for the Riverside team: "
        "we'll patrol the underpass in the evenings and work with the council on lighting and CCTV.",
    )
    await cast.take_part(underpass, 35, supporters=[GRACE, BILL])
    await cast.update(
        TOM,
        underpass,
        30,
        "We carried out six evening patrols this week and made two arrests for possession with "
        "intent to supply. Please keep reporting what you see: it helps us plan the patrols.",
    )
    await cast.stage(PRIYA, underpass, 21, SaraStage.RESPONSE)
    await cast.update(
        PRIYA,
        underpass,
        10,
        "The council fitted brighter lighting in the underpass on Tuesday, and a camera goes up "
        "next month. Evening patrols carry on.",
    )
    await cast.comment(SAM, underpass, 9, "It's much better walking through there now. Thank you.")

    skateboarding = await cast.propose(
        BILL,
        36,
        area="Kingsbridge Central",
        title="Stop skateboarding in Market Square",
        description=(
            "Skateboarders use the steps and benches in Market Square every afternoon. It's noisy "
            "and older people are worried about being knocked over."
        ),
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        location=(54.52362, -1.55258),
    )
    rude = await cast.comment(KOFI, skateboarding, 34, "Bill, you complain about everything on this street.")
    await problems.hide_comment(
        cast.person(PRIYA),
        comment_id=rude.id,
        reason="A personal remark about another resident.",
        now=cast.at(33),
    )
    await cast.respond(
        PRIYA,
        skateboarding,
        17,
        ResponseDecision.DECLINE,
        "Skateboarding isn't a crime, and Market Square is a public space for everyone, young "
        "people included. If someone is hurt, property is damaged or people are threatened, "
        "please report it and we will act on it.",
        reason=DeclineReason.NOT_A_POLICING_OR_PARTNER_MATTER,
    )
    await cast.comment(
        GRACE, skateboarding, 16, "Most of the skaters are polite. A proper skate park would suit everyone."
    )

    teenagers = await cast.propose(
        SAM,
        30,
        area="Riverside",
        title="Nothing for teenagers to do in Riverside after school",
        description=(
            "Since the youth club closed there is nowhere for young people to go in the evenings. "
            "They end up hanging around the shops, and some of the younger ones are being drawn "
            "into trouble by older lads."
        ),
        category=ProblemCategory.VULNERABILITY,
        location=(54.52198, -1.56034),
    )
    await cast.take_part(teenagers, 29, supporters=[KOFI, GRACE], followers=[AMIRA])
    await cast.respond(
        RUTH,
        teenagers,
        26,
        ResponseDecision.ACCEPT,
        "We agree, and we'd like to work on this with you. We'll start by asking young people "
        "what they would come to, and where.",
    )
    await cast.update(
        RUTH,
        teenagers,
        20,
        "Sixty-two young people answered our survey. Sport and music came top, on Friday evenings.",
    )
    await cast.stage(RUTH, teenagers, 14, SaraStage.RESPONSE)
    await cast.update(
        RUTH,
        teenagers,
        14,
        "A Friday youth club starts this week at Riverside Community Centre, 6pm to 9pm, run "
        "with volunteers from the neighbourhood.",
    )
    await cast.stage(RUTH, teenagers, 3, SaraStage.ASSESSMENT)
    await cast.update(
        RUTH,
        teenagers,
        3,
        "Twenty-five young people came to each of the first sessions. We're now checking with "
        "residents and the shops whether Friday evenings have been calmer.",
    )
    await cast.comment(GRACE, teenagers, 2, "My son goes every week now. Could it open on Wednesdays too?")

    speeding = await cast.propose(
        SAM,
        25,
        area="Riverside",
        title="Speeding on Mill Lane past Riverside Primary",
        description=(
            "Cars regularly do 40 or more along Mill Lane at school drop-off and pick-up times, "
            "right past the primary school gates. There is no crossing patrol any more."
        ),
        category=ProblemCategory.ROAD_SAFETY,
        location=(54.52642, -1.56208),
    )
    await cast.take_part(speeding, 24, supporters=[KOFI, GRACE], followers=[AMIRA])
    await cast.comment(KOFI, speeding, 24, "I nearly got hit crossing with my daughter last week.")
    await cast.comment(GRACE, speeding, 21, "A speed camera van once a week would make people think twice.")
    await cast.comment(SAM, speeding, 10, "The answer was due days ago and we've heard nothing yet.")

    motorbikes = await cast.propose(
        KOFI,
        18,
        area="Harrowgate North",
        title="Motorbikes tearing up Harrowgate North playing fields",
        description=(
            "Off-road motorbikes ride across the playing fields most weekends, churning up the "
            "pitches and coming far too close to families and dog walkers."
        ),
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        location=(54.54203, -1.55117),
    )
    await cast.take_part(motorbikes, 17, supporters=[BILL, AMIRA])

    needles = await cast.propose(
        AMIRA,
        15,
        area="Riverside",
        title="Needles left on the path by the Riverside Park play area",
        description=(
            "I found two used needles on the path next to the play area this morning. "
            "Children play there every day."
        ),
        category=ProblemCategory.DRUGS,
        location=(54.52284, -1.55731),
    )
    await cast.take_part(needles, 14, supporters=[KOFI], followers=[GRACE])
    await cast.respond(
        TOM,
        needles,
        13,
        ResponseDecision.DUPLICATE,
        "Thank you for reporting this; the council removed the needles the same day. We're "
        "treating it as part of the drug dealing at the underpass, which we are already working "
        "on, and your support now counts there.",
        duplicate_of=underpass,
    )

    bikes = await cast.propose(
        GRACE,
        12,
        area="Kingsbridge Central",
        title="Bike thefts from the racks at Kingsbridge station",
        description=(
            "Three bikes have been stolen from the station racks this month, mine included, "
            "even with good locks. The racks are out of sight of the ticket office."
        ),
        category=ProblemCategory.THEFT_AND_BURGLARY,
        location=(54.51962, -1.54753),
    )
    await cast.take_part(bikes, 11, supporters=[BILL])
    await cast.respond(
        TOM,
        bikes,
        9,
        ResponseDecision.ACCEPT,
        "Accepted. We'll look at six months of reports and the station's CCTV to see when and "
        "how the thefts happen before we decide what to do.",
    )
    await cast.correct(
        TOM,
        bikes,
        8,
        "A correction: the rail company keeps its CCTV for a month only, so we'll look at the "
        "reports of the last six months and at a month of footage.",
        note=True,
    )
    await cast.update(
        TOM,
        bikes,
        6,
        "Most thefts happen between 7pm and 10pm on weekdays, with bolt croppers. We're talking "
        "to the rail company about moving the racks into view of the ticket office.",
    )

    lighting = await cast.propose(
        GRACE,
        8,
        area="Riverside",
        title="Street lights out along the Harbour Court footpath",
        description=(
            "Four of the lights on the footpath behind Harbour Court have been out for weeks. "
            "It's pitch dark walking home from the bus stop."
        ),
        category=ProblemCategory.ENVIRONMENT,
        location=(54.52871, -1.54382),
    )
    await cast.take_part(lighting, 7, supporters=[SAM], followers=[KOFI])
    await cast.respond(
        DANA,
        lighting,
        5,
        ResponseDecision.REFER,
        "The footpath and its lights belong to the Harbour Court estate, so Northshire Housing "
        "are the ones who can fix them. We've passed on the details.",
        refer_to="Northshire Homes",
    )
    # Ten minutes later, within the correction window: the landlord's name, put right.
    await cast.correct(
        DANA,
        lighting,
        5 - 10 / (24 * 60),
        "The footpath and its lights belong to the Harbour Court estate, so Northshire Homes "
        "are the ones who can fix them. We've passed on the details.",
        note=False,
    )

    scams = await cast.propose(
        KOFI,
        6,
        area="Old Town",
        title="Doorstep and phone scams targeting older residents in Old Town",
        description=(
            "Several older neighbours have had callers claiming to be from the bank or the "
            "council, asking for card details or cash for 'urgent repairs'."
        ),
        category=ProblemCategory.FRAUD,
        location=(54.5253, -1.55471),
    )
    await cast.take_part(scams, 5, supporters=[GRACE], followers=[SAM])
    await cast.comment(GRACE, scams, 5, "My mum had one of these calls on Monday. She hung up, thankfully.")

    await cast.propose(
        AMIRA,
        4,
        area="Riverside",
        title="Suspected cuckooing at a flat on Canal Street",
        description=(
            "A vulnerable neighbour's flat seems to have been taken over. Young people I don't "
            "recognise come and go at all hours, and he looks frightened when I see him."
        ),
        category=ProblemCategory.DRUGS,
        visibility=Visibility.RESTRICTED,
        location=(54.52418, -1.55786),
    )

    shelter = await cast.propose(
        BILL,
        3,
        area="Millfield",
        title="A youth shelter for Millfield recreation ground",
        description=(
            "Young people gather by the changing rooms in the evenings because there's nowhere "
            "else to sit out of the rain. A shelter away from the houses would help everyone."
        ),
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        location=(54.53312, -1.57142),
    )
    await cast.take_part(shelter, 2, supporters=[KOFI])
    return {"underpass": underpass, "teenagers": teenagers}


async def _raise_council_work(cast: _Cast) -> None:
    """Proposals the council owns and has yet to answer, one of them overdue, so that its
    officers have a queue of their own (the police have theirs among the problems above)."""
    tipping = await cast.propose(
        SAM,
        19,
        area="Old Town",
        title="Fly-tipping behind the Old Town car park",
        description=(
            "Mattresses, rubble and bags of rubbish keep being dumped behind the car park on "
            "Chapel Street. It attracts rats and now blocks the footpath."
        ),
        category=ProblemCategory.ENVIRONMENT,
    )
    await cast.take_part(tipping, 18, supporters=[KOFI, AMIRA])
    await cast.propose(
        GRACE,
        2,
        area="Kingsbridge Central",
        title="Overflowing bins on Station Parade",
        description=(
            "The bins along Station Parade are full by lunchtime and rubbish blows into the road. "
            "They need emptying more often, or bigger bins."
        ),
        category=ProblemCategory.ENVIRONMENT,
    )


def _month_start(today: date, months_ago: int) -> date:
    months = today.year * 12 + today.month - 1 - months_ago
    return date(months // 12, months % 12 + 1, 1)


@dataclass
class _Measure:
    problem: str
    name: str
    unit: str
    direction: OutcomeDirection
    baseline: float
    target: float
    # One a month, the oldest first, observed on the first of the month; the baseline a
    # month before the first, the target due a few months after the last.
    readings: Sequence[float]


MEASURES = (
    _Measure(
        "Drug dealing in the Riverside Park underpass",
        "Reports of dealing at the underpass",
        "reports a month",
        OutcomeDirection.DECREASE,
        baseline=24,
        target=6,
        readings=(25, 23, 22, 24, 21, 19, 17, 15, 13, 11, 9, 8),
    ),
    _Measure(
        "Drug dealing in the Riverside Park underpass",
        "People who feel safe in the underpass after dark",
        "% of those asked",
        OutcomeDirection.INCREASE,
        baseline=18,
        target=60,
        readings=(17, 19, 18, 21, 20, 24, 27, 31, 33, 38, 41, 44),
    ),
    _Measure(
        "Nothing for teenagers to do in Riverside after school",
        "Calls about young people causing nuisance near the shops",
        "calls a month",
        OutcomeDirection.DECREASE,
        baseline=30,
        target=12,
        readings=(31, 29, 33, 30, 28, 32, 30, 29, 31, 27, 28, 26),
    ),
)


async def _measure_and_close(cast: _Cast) -> None:
    """Measures and their readings on the problems being worked on, then the closings: the
    footpath lights one accepted by most, the youth club one disputed (its 14 days still running)."""
    today = outcomes.today(cast.now)
    for spec in MEASURES:
        problem = await Problem.get(title=spec.problem)
        measure = await outcomes.define_measure(
            cast.person(PRIYA if "underpass" in spec.problem else RUTH),
            problem_id=problem.id,
            name=spec.name,
            unit=spec.unit,
            direction=spec.direction,
            baseline=spec.baseline,
            baseline_on=_month_start(today, len(spec.readings) + 1),
            target=spec.target,
            target_on=_month_start(today, -4),
            now=cast.at(2),
        )
        for months_ago, value in zip(range(len(spec.readings), 0, -1), spec.readings, strict=True):
            await outcomes.record_reading(
                cast.person(TOM if "underpass" in spec.problem else RUTH),
                measure_id=measure.id,
                value=value,
                observed_on=_month_start(today, months_ago),
                note=None,
                now=cast.at(1.5),
            )
    lighting = await Problem.get(title="Street lights out along the Harbour Court footpath")
    await cast.respond(
        LEE,
        lighting,
        4,
        ResponseDecision.ACCEPT,
        "These are ours: an electrician is booked for Thursday to replace all four lights.",
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
