"""The next steps up the ladder: for a person's rung, a few concrete invitations to the rungs
above it, drawn from what is open now near them.

Each kind of step reaches one rung: following a problem PASSIVE, saying whether a closed
problem is resolved CONVERSATION, supporting a problem ACTIVIST, giving time to a volunteer
task VOLUNTEER, joining a working group CO_DESIGNER. Only the kinds above the person's rung
are looked for, the nearest rung first, and at most three are offered.

"Near" is the area asked about and the areas inside it; else the person's home area with the
areas around it (those under the same parent) and inside them, their own area's first; else,
for someone with no home area, everywhere. A step is never one they have taken already (a
task they have a place on or gave up, a group they belong to, asked to join, were invited to
or left, a problem they proposed, support or follow, a closing they reviewed), and never
about something they may not see: every search goes through the read rule of its kind.

Each kind of step is one statement, whatever the data; so is the home area, and the rung
(memoised per request, since a page asks for both the rung and the steps).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Case, F, Q, Subquery, When
from tortoise.queryset import QuerySet

from backend.db import get_or_not_found
from backend.links import group_path, problem_path, task_path
from backend.models import (
    Area,
    GroupMembership,
    Problem,
    ProblemFollow,
    ProblemResolution,
    ProblemSupport,
    ResolutionReview,
    TaskAssignment,
    User,
    VolunteerTask,
    WorkingGroup,
)
from backend.models.areas import neighbourhood_path
from backend.models.enums import (
    JoinPolicy,
    ParticipationRung,
    ProblemStatus,
    SubjectKind,
    WorkingGroupStatus,
)
from backend.services import audiences, configuration
from backend.services.actors import Actor
from backend.services.ladder.rungs import rung_of
from backend.services.outcomes.access import CLOSED
from backend.services.standing import Standing, standing_of

# At most this many steps are offered at once: a few clear invitations, not a list to read.
MOST_STEPS = 3
# Problems still open to support or follow: not declined, merged as duplicates, or closed.
OPEN_PROBLEMS = (
    ProblemStatus.PROPOSED,
    ProblemStatus.REFERRED,
    ProblemStatus.ACCEPTED,
    ProblemStatus.IN_PROGRESS,
)
# Groups that take members without an invitation.
JOINABLE = (JoinPolicy.OPEN, JoinPolicy.APPROVAL)


@dataclass(frozen=True)
class NextStep:
    """One invitation: the rung taking it reaches, what to do in words, and the path of the
    web interface's page where it is taken."""

    rung: ParticipationRung
    title: str
    url: str


@dataclass(frozen=True)
class Nearby:
    """Where to look: `within` (a materialised path; None for everywhere), the areas under
    `first` before the others."""

    within: str | None
    first: str | None

    def where(self, area: str) -> Q:
        """Rows whose area (reached through the relation `area`) lies within reach."""
        return Q() if self.within is None else Q(**{f"{area}__path__startswith": self.within})

    def own_part(self, area: str) -> Q | None:
        """Rows in the person's own part of what is within reach, to put before the others
        around it; None when there is no such part."""
        if self.first is None or self.first == self.within:
            return None
        return Q(**{f"{area}__path__startswith": self.first})


async def area_asked(area_id: int | None) -> Area | None:
    """The area a reader asked about; NOT_FOUND on `areaId` when there is none such."""
    if area_id is None:
        return None
    return await get_or_not_found(Area, area_id, missing="No area has that ID.", field="areaId")


async def viewer_rung(actor: Actor, area: Area | None, *, now: datetime) -> ParticipationRung:
    """The signed-in person's rung in the area (over all areas for None), looked up once per
    request."""
    user = actor.require_user()
    key = f"rung:{area.id if area else '*'}"
    rung: ParticipationRung | None = actor.memo.get(key)
    if rung is None:
        rung = await rung_of(user.id, area, now=now)
        actor.memo[key] = rung
    return rung


async def next_steps(actor: Actor, area: Area | None, *, now: datetime) -> list[NextStep]:
    """The signed-in person's next steps up from their rung in the area (or over all areas)."""
    user = actor.require_user()
    rung = await viewer_rung(actor, area, now=now)
    return await steps_above(user, await standing_of(actor), rung, area, now=now)


async def _nearby(user: User, area: Area | None) -> Nearby:
    if area is not None:
        return Nearby(within=area.path, first=area.path)
    home = await Area.get_or_none(id=user.home_area_id) if user.home_area_id is not None else None
    if home is None:
        return Nearby(within=None, first=None)
    return Nearby(within=neighbourhood_path(home.path), first=home.path)


async def steps_above(
    user: User, standing: Standing, rung: ParticipationRung, area: Area | None, *, now: datetime
) -> list[NextStep]:
    """Up to MOST_STEPS steps to rungs above `rung`, the nearest rung first."""
    searches = [search for search in SEARCHES if search.reaches(rung) > rung]
    if not searches:
        return []
    seeker = _Seeker(user, standing, rung, area, await _nearby(user, area), now)
    # Every search runs, whatever the others found: the cost stays the same whatever the data.
    found = [await search.find(seeker) for search in sorted(searches, key=lambda s: s.reaches(rung))]
    return [step for step in found if step is not None][:MOST_STEPS]


@dataclass(frozen=True)
class _Seeker:
    user: User
    standing: Standing
    rung: ParticipationRung
    # The area asked about, if any.
    area: Area | None
    near: Nearby
    now: datetime

    def readable(self, kind: SubjectKind) -> Subquery:
        """The ids of the subjects of this kind the person may see: the kind's one read rule."""
        return Subquery(audiences.rule_for(kind).readable_by(self.standing).values("id"))

    def own_problems(self) -> Q:
        """Problems the person proposed, supports or follows."""
        mine = self.user.id
        return (
            Q(proposer_id=mine)
            | Q(id__in=Subquery(ProblemSupport.filter(user_id=mine).values("problem_id")))
            | Q(id__in=Subquery(ProblemFollow.filter(user_id=mine).values("problem_id")))
        )


@dataclass(frozen=True)
class _Search:
    reaches: Callable[[ParticipationRung], ParticipationRung]
    find: Callable[[_Seeker], Awaitable[NextStep | None]]


def _day(moment: datetime) -> str:
    """A day in short words on the service's clocks: "Sat 6 Dec"."""
    shown = moment.astimezone(configuration.current().time_zone)
    return f"{shown:%a} {shown.day} {shown:%b}"


def _follow_or_support(rung: ParticipationRung) -> ParticipationRung:
    """Someone on no rung yet is asked to follow a problem; anyone else to support one."""
    return ParticipationRung.PASSIVE if rung == ParticipationRung.NONE else ParticipationRung.ACTIVIST


async def _problem(seeker: _Seeker) -> NextStep | None:
    """An open problem near them that they may see and have not taken up, most supported first."""
    problem = await _first(
        Problem.filter(
            seeker.near.where("area"),
            id__in=seeker.readable(SubjectKind.PROBLEM),
            status__in=list(OPEN_PROBLEMS),
        ).exclude(seeker.own_problems()),
        "-support_count",
        "-id",
        preferring=(seeker.near.own_part("area"),),
    )
    if problem is None:
        return None
    reached = _follow_or_support(seeker.rung)
    verb = "Follow" if reached == ParticipationRung.PASSIVE else "Support"
    return NextStep(reached, f"{verb}: {problem.title}", problem_path(problem.id))


async def _review(seeker: _Seeker) -> NextStep | None:
    """A closing of a problem they took part in, still awaiting its verdict, that they have not
    reviewed: theirs to judge wherever it is, unless they asked about one area."""
    mine = seeker.user.id
    in_area = Q() if seeker.area is None else seeker.near.where("problem__area")
    yours = Subquery(Problem.filter(seeker.own_problems(), status__in=list(CLOSED)).values("id"))
    resolution = await _first(
        ProblemResolution.filter(
            in_area,
            reopened_at__isnull=True,
            judged_at__isnull=True,
            problem_id__in=seeker.readable(SubjectKind.PROBLEM),
        )
        .filter(problem_id__in=yours)
        .exclude(id__in=Subquery(ResolutionReview.filter(user_id=mine).values("resolution_id")))
        .select_related("problem"),
        "closed_at",
        "id",
    )
    if resolution is None:
        return None
    problem = resolution.problem
    return NextStep(
        ParticipationRung.CONVERSATION,
        f"Say whether it is resolved: {problem.title}",
        problem_path(problem.id),
    )


async def _task(seeker: _Seeker) -> NextStep | None:
    """An open task near them that they may see and have no place on, one needing their skills
    first, then the soonest."""
    skills = sorted({s.strip().lower() for s in seeker.user.skills if s.strip() and "|" not in s})
    needs_them = Q(*(Q(skill_tags__contains=f"|{s}|") for s in skills), join_type="OR") if skills else None
    task = await _first(
        VolunteerTask.filter(
            seeker.near.where("group__area"),
            id__in=seeker.readable(SubjectKind.VOLUNTEER_TASK),
            cancelled_at__isnull=True,
            starts_at__gt=seeker.now,
            filled__lt=F("slots"),
            group__status=WorkingGroupStatus.ACTIVE,
        ).exclude(id__in=Subquery(TaskAssignment.filter(volunteer_id=seeker.user.id).values("task_id"))),
        "starts_at",
        "id",
        preferring=(needs_them, seeker.near.own_part("group__area")),
    )
    if task is None:
        return None
    return NextStep(
        ParticipationRung.VOLUNTEER, f"Help with: {task.title}, {_day(task.starts_at)}", task_path(task.id)
    )


async def _group(seeker: _Seeker) -> NextStep | None:
    """An active group near them, open to join or to ask, that they may see and have never been
    part of, the newest first."""
    group = await _first(
        WorkingGroup.filter(
            seeker.near.where("area"),
            id__in=seeker.readable(SubjectKind.WORKING_GROUP),
            status=WorkingGroupStatus.ACTIVE,
            join_policy__in=list(JOINABLE),
        ).exclude(id__in=Subquery(GroupMembership.filter(user_id=seeker.user.id).values("group_id"))),
        "-created_at",
        "-id",
        preferring=(seeker.near.own_part("area"),),
    )
    if group is None:
        return None
    verb = "Join" if group.join_policy == JoinPolicy.OPEN else "Ask to join"
    title = f"{verb} the working group: {group.name}"
    return NextStep(ParticipationRung.CO_DESIGNER, title, group_path(group.id))


async def _first(rows: QuerySet[Any], *order: str, preferring: Sequence[Q | None] = ()) -> Any:
    """The first row in `order`, after those meeting the `preferring` criteria (the first
    criterion first)."""
    ranks = {f"rank_{i}": c for i, c in enumerate(preferring) if c is not None}
    # The ranks are text: CASE ... THEN '0' ELSE '1' sorts alike on both databases.
    ranked = rows.annotate(**{name: Case(When(c, then="0"), default="1") for name, c in ranks.items()})
    return await ranked.order_by(*ranks, *order).first()


def _reaching(rung: ParticipationRung) -> Callable[[ParticipationRung], ParticipationRung]:
    return lambda _: rung


# The nearest rung first.
SEARCHES = (
    _Search(_follow_or_support, _problem),
    _Search(_reaching(ParticipationRung.CONVERSATION), _review),
    _Search(_reaching(ParticipationRung.VOLUNTEER), _task),
    _Search(_reaching(ParticipationRung.CO_DESIGNER), _group),
)
