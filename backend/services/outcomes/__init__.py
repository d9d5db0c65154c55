"""Outcomes: whether working on a problem made anything better, and whether the community
agrees it did.

Measures (a baseline, a target, readings over time) show the change; closing records the
outcome; those who raised, supported or followed the problem say whether they agree, and a
closing most of them dispute reopens the problem. Everything here belongs to its problem:
seen by whoever may see the problem, NOT_FOUND to everyone else. Callers use the names
below (`outcomes.close(...)`), not the modules.
"""

from __future__ import annotations

from backend.services.outcomes.access import (
    CLOSED,
    LOCAL_TIME,
    MEASURED,
    access_measure,
    current_resolution,
    leads_a_group_on,
    may_close,
    may_define_measures,
    may_measure,
    may_review,
    measures_for,
    problems_led_by,
    today,
    took_part_in,
)
from backend.services.outcomes.closing import MAX_SUMMARY, accepts_new_tasks, close
from backend.services.outcomes.exports import (
    ACCOUNTABILITY_HEADER,
    OUTCOMES_HEADER,
    accountability_csv,
    outcomes_csv,
    text_cell,
)
from backend.services.outcomes.measures import MAX_NAME, MAX_NOTE, MAX_UNIT, define_measure, record_reading
from backend.services.outcomes.personal_data import PERSONAL_DATA
from backend.services.outcomes.reading import latest, progress
from backend.services.outcomes.reviews import MAX_COMMENT, review
from backend.services.outcomes.verdict import (
    DISAGREEING_AT_LEAST,
    VERDICT_AFTER,
    is_disputed,
    reopen_disputed,
)

__all__ = [
    "ACCOUNTABILITY_HEADER",
    "CLOSED",
    "DISAGREEING_AT_LEAST",
    "LOCAL_TIME",
    "MAX_COMMENT",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_SUMMARY",
    "MAX_UNIT",
    "MEASURED",
    "OUTCOMES_HEADER",
    "PERSONAL_DATA",
    "VERDICT_AFTER",
    "accepts_new_tasks",
    "access_measure",
    "accountability_csv",
    "close",
    "current_resolution",
    "define_measure",
    "is_disputed",
    "latest",
    "leads_a_group_on",
    "may_close",
    "may_define_measures",
    "may_measure",
    "may_review",
    "measures_for",
    "outcomes_csv",
    "problems_led_by",
    "progress",
    "record_reading",
    "reopen_disputed",
    "review",
    "text_cell",
    "today",
    "took_part_in",
]
