"""Measures of whether a problem got better, and their readings over time."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.errors import Conflict, Forbidden, Invalid, InvalidState
from backend.models import Area, OutcomeMeasure, OutcomeReading, Problem, User
from backend.models.enums import ActivityKind, OutcomeDirection
from backend.services import activity, rate_limits, validation
from backend.services.actors import Actor
from backend.services.outcomes import notices
from backend.services.outcomes.access import (
    MEASURERS,
    access_measure,
    leads_a_group_on,
    may_define_measures,
    may_measure,
    measures_for,
    today,
)
from backend.services.problems import access_problem
from backend.services.standing import Standing, standing_of

MAX_NAME = 120
MAX_UNIT = 40
MAX_NOTE = 2000
# Whichever way a measure must move, its target lies that way from its baseline.
TARGET_SIDE = {OutcomeDirection.DECREASE: "below", OutcomeDirection.INCREASE: "above"}


def _finite(value: float, field: str) -> None:
    if not math.isfinite(value):
        raise Invalid(f"The {field} must be a number", field=field)


def _target_on_its_side(direction: OutcomeDirection, baseline: float, target: float) -> None:
    on_its_side = target < baseline if direction == OutcomeDirection.DECREASE else target > baseline
    # A baseline or target that is no number is a fault of its own, told once.
    if not on_its_side and math.isfinite(baseline) and math.isfinite(target):
        raise Invalid(
            f"The target must be {TARGET_SIDE[direction]} the baseline for a measure that should "
            f"{direction.value.lower()}",
            field="target",
        )


def _checked_measure(
    name: str,
    unit: str,
    direction: OutcomeDirection,
    baseline: float,
    target: float,
    baseline_on: date,
    target_on: date,
) -> tuple[str, str]:
    """The name and unit as they are kept, once every field is checked: all faults at once."""
    faults = validation.Faults()
    with faults:
        name = validation.text(name, "name", what="name", max_length=MAX_NAME)
    with faults:
        unit = validation.text(unit, "unit", what="unit", max_length=MAX_UNIT)
    with faults:
        _finite(baseline, "baseline")
    with faults:
        _finite(target, "target")
    with faults:
        _target_on_its_side(direction, baseline, target)
    with faults:
        if target_on < baseline_on:
            raise Invalid("The target date must not be before the baseline date", field="targetOn")
    faults.raise_any()
    return name, unit


async def _require_measurer(
    user: User,
    standing: Standing,
    problem: Problem,
    area: Area,
    may: Callable[..., bool],
    *,
    to: str,
    not_now: str,
) -> None:
    """FORBIDDEN unless the user measures the problem's outcomes; INVALID_STATE, saying
    `not_now`, unless its state lets them do what `may` judges now."""
    leads = await leads_a_group_on(user.id, problem.id)
    if not measures_for(standing, problem, area, leads_a_group=leads):
        raise Forbidden(f"Only {MEASURERS} {to}.")
    if not may(standing, problem, area, leads_a_group=leads):
        raise InvalidState(not_now)


async def define_measure(
    actor: Actor,
    *,
    problem_id: int,
    name: str,
    unit: str,
    direction: OutcomeDirection,
    baseline: float,
    baseline_on: date,
    target: float,
    target_on: date,
    now: datetime,
) -> OutcomeMeasure:
    user = actor.require_user()
    name, unit = _checked_measure(name, unit, direction, baseline, target, baseline_on, target_on)
    standing = await standing_of(actor)
    async with in_transaction():
        problem, area = await access_problem(actor, problem_id, for_update=True)
        await _require_measurer(
            user,
            standing,
            problem,
            area,
            may_define_measures,
            to="define its measures",
            not_now="Measures are defined on an accepted problem, while it is being worked on.",
        )
        measure = await OutcomeMeasure.create(
            problem=problem,
            name=name,
            unit=unit,
            direction=direction,
            baseline=baseline,
            baseline_on=baseline_on,
            target=target,
            target_on=target_on,
            defined_by=user,
            created_at=now,
        )
        await activity.record(user, problem, ActivityKind.MEASURE_DEFINED, now=now)
    return measure


def _checked_reading(
    measure: OutcomeMeasure, value: float, observed_on: date, note: str | None, *, now: datetime
) -> str | None:
    """The note as it is kept (None for none), once every field is checked: all faults at once."""
    faults = validation.Faults()
    with faults:
        _finite(value, "value")
    with faults:
        if observed_on < measure.baseline_on:
            raise Invalid(
                f"The reading must not be dated before the baseline ({measure.baseline_on:%-d %B %Y})",
                field="observedOn",
            )
        if observed_on > today(now):
            raise Invalid("The reading must not be dated in the future", field="observedOn")
    with faults:
        note = validation.remark(note, "note", what="note", max_length=MAX_NOTE)
    faults.raise_any()
    return note


async def record_reading(
    actor: Actor, *, measure_id: int, value: float, observed_on: date, note: str | None, now: datetime
) -> OutcomeMeasure:
    """A reading of the measure on a day; a second one for the same day is a CONFLICT (the
    unique constraint decides, so two at once cannot both land)."""
    user = actor.require_user()
    standing = await standing_of(actor)
    try:
        async with in_transaction():
            await rate_limits.hold_back(rate_limits.READING, user, now=now)
            measure, problem, area = await access_measure(actor, measure_id, for_update=True)
            await _require_measurer(
                user,
                standing,
                problem,
                area,
                may_measure,
                to="record its readings",
                not_now="Readings are recorded once a problem has been accepted.",
            )
            note = _checked_reading(measure, value, observed_on, note, now=now)
            reading = await OutcomeReading.create(
                measure=measure,
                value=value,
                observed_on=observed_on,
                note=note,
                recorded_by=user,
                created_at=now,
            )
            await activity.record(user, problem, ActivityKind.READING_RECORDED, now=now)
            await notices.tell_reading(problem, measure, reading, user, now=now)
    except IntegrityError:
        raise Conflict(
            f"A reading for {observed_on:%-d %B %Y} is already recorded for this measure.", field="observedOn"
        ) from None
    return measure
