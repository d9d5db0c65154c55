"""Measures of whether a problem got better, and their readings over time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.errors import Conflict, Forbidden, Invalid, InvalidState
from backend.models import OutcomeMeasure, OutcomeReading
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
from backend.services.standing import standing_of

MAX_NAME = 120
MAX_UNIT = 40
MAX_NOTE = 2000
# Whichever way a measure must move, its target lies that way from its baseline.
TARGET_SIDE = {OutcomeDirection.DECREASE: "below", OutcomeDirection.INCREASE: "above"}


def _raise_any(faults: Sequence[Invalid]) -> None:
    """The first fault found, naming its field (each check below runs whatever the others find)."""
    if faults:
        raise faults[0]


def _number(value: float, field: str, what: str) -> Invalid | None:
    return None if math.isfinite(value) else Invalid(f"The {what} must be a number.", field=field)


def _text(value: str, field: str, max_length: int) -> tuple[str, Invalid | None]:
    try:
        return validation.text(value, field, max_length=max_length), None
    except Invalid as fault:
        return value, fault


def _target_fault(direction: OutcomeDirection, baseline: float, target: float) -> Invalid | None:
    on_the_right_side = target < baseline if direction == OutcomeDirection.DECREASE else target > baseline
    if on_the_right_side or not (math.isfinite(baseline) and math.isfinite(target)):
        return None
    return Invalid(
        f"The target must be {TARGET_SIDE[direction]} the baseline for a measure that should "
        f"{direction.value.lower()}.",
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
    name, name_fault = _text(name, "name", MAX_NAME)
    unit, unit_fault = _text(unit, "unit", MAX_UNIT)
    late_start = (
        Invalid("The target date must not be before the baseline date.", field="targetOn")
        if target_on < baseline_on
        else None
    )
    faults = [
        name_fault,
        unit_fault,
        _number(baseline, "baseline", "baseline"),
        _number(target, "target", "target"),
        _target_fault(direction, baseline, target),
        late_start,
    ]
    _raise_any([fault for fault in faults if fault is not None])
    return name, unit


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
        leads = await leads_a_group_on(user.id, problem.id)
        if not measures_for(standing, problem, area, leads_a_group=leads):
            raise Forbidden(f"Only {MEASURERS} define its measures.")
        if not may_define_measures(standing, problem, area, leads_a_group=leads):
            raise InvalidState("Measures are defined on an accepted problem, while it is being worked on.")
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
    faults = [_number(value, "value", "value")]
    if observed_on < measure.baseline_on:
        faults.append(
            Invalid(
                f"The reading must not be dated before the baseline ({measure.baseline_on:%-d %B %Y}).",
                field="observedOn",
            )
        )
    if observed_on > today(now):
        faults.append(Invalid("The reading must not be dated in the future.", field="observedOn"))
    cleaned: str | None = None
    if note is not None and note.strip():
        try:
            cleaned = validation.text(note, "note", max_length=MAX_NOTE, multiline=True)
        except Invalid as fault:
            faults.append(fault)
    _raise_any([fault for fault in faults if fault is not None])
    return cleaned


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
            leads = await leads_a_group_on(user.id, problem.id)
            if not measures_for(standing, problem, area, leads_a_group=leads):
                raise Forbidden(f"Only {MEASURERS} record its readings.")
            if not may_measure(standing, problem, area, leads_a_group=leads):
                raise InvalidState("Readings are recorded once a problem has been accepted.")
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
