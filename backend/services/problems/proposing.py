"""Proposing a problem: the proposal is checked, routed to its owner, given its response
date, and those who owe the answer are told."""

from __future__ import annotations

import math
from datetime import datetime

from tortoise.transactions import in_transaction

from backend.errors import Invalid
from backend.models import Problem, ProblemFollow, ProblemSupport, User
from backend.models.enums import ActivityKind, ProblemCategory, ProblemStatus, SaraStage, Visibility
from backend.services import activity, rate_limits, validation
from backend.services.actors import Actor
from backend.services.areas import get_area
from backend.services.problems import notices, routing

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000


def _location(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise Invalid(f"Enter the {missing} too, or leave both empty", field=missing)
    if latitude is None or longitude is None:
        return None, None
    faults = validation.Faults()
    with faults:
        if not (math.isfinite(latitude) and -90 <= latitude <= 90):
            raise Invalid("The latitude must be between -90 and 90", field="latitude")
    with faults:
        if not (math.isfinite(longitude) and -180 <= longitude <= 180):
            raise Invalid("The longitude must be between -180 and 180", field="longitude")
    faults.raise_any()
    return latitude, longitude


def _wording(title: str, description: str) -> tuple[str, str]:
    """The title and the description as they are kept, both checked at once."""
    faults = validation.Faults()
    title, description = validation.wording(
        faults, title, description, max_title=MAX_TITLE, max_description=MAX_DESCRIPTION
    )
    faults.raise_any()
    return title, description


async def propose(
    actor: Actor,
    *,
    area_id: int,
    title: str,
    description: str,
    category: ProblemCategory,
    visibility: Visibility = Visibility.PUBLIC,
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime,
) -> Problem:
    user = actor.require_user()
    faults = validation.Faults()
    with faults:
        area = await get_area(area_id)
    with faults:
        title, description = _wording(title, description)
    with faults:
        latitude, longitude = _location(latitude, longitude)
    faults.raise_any()
    owner_id = await routing.owner_for(area, category)
    response_time = await routing.response_time(area)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.PROPOSAL, user, now=now)
        problem = await Problem.create(
            title=title,
            description=description,
            category=category,
            status=ProblemStatus.PROPOSED,
            stage=SaraStage.SCANNING,
            visibility=visibility,
            area=area,
            proposer=user,
            owner_id=owner_id,
            latitude=latitude,
            longitude=longitude,
            created_at=now,
            updated_at=now,
            response_due_at=now + response_time,
            answered=False,
            # The proposer supports and follows what they proposed.
            support_count=1,
            follower_count=1,
        )
        await _proposer_takes_part(problem, user, now=now)
        await routing.open_routing(problem, owner_id, now=now, response_time=response_time)
        await notices.tell_proposed(problem, area, user, now=now)
    return problem


async def _proposer_takes_part(problem: Problem, proposer: User, *, now: datetime) -> None:
    """The proposer supports and follows what they proposed (the counts start at one)."""
    await ProblemSupport.create(problem=problem, user=proposer, created_at=now)
    await ProblemFollow.create(problem=problem, user=proposer, created_at=now)
    await activity.record(
        proposer, problem, ActivityKind.PROPOSED, ActivityKind.SUPPORTED, ActivityKind.FOLLOWED, now=now
    )
