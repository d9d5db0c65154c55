"""What a measure shows: its latest reading, and how far it has come toward its target."""

from __future__ import annotations

from collections.abc import Sequence

from backend.models import OutcomeMeasure, OutcomeReading


def latest(readings: Sequence[OutcomeReading]) -> OutcomeReading | None:
    """The reading observed last (readings come in date order, one per day)."""
    return max(readings, key=lambda reading: reading.observed_on, default=None)


def progress(measure: OutcomeMeasure, reading: OutcomeReading | None) -> float:
    """How far the reading has moved from the baseline toward the target: 0 with no reading
    or none of the way (or the wrong way), 1 at the target or past it."""
    if reading is None:
        return 0.0
    # A measure's target lies on its direction's side of the baseline, so the span is never 0
    # and has the sign of the movement that counts.
    moved = (reading.value - measure.baseline) / (measure.target - measure.baseline)
    return min(1.0, max(0.0, moved))
