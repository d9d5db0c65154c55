"""An area's outcomes and accountability as CSV files, for the area and every area inside it.

Rows are read a page at a time by keyset (constant memory however many there are) and only
from problems the caller may see, so a RESTRICTED problem's rows reach only those who may
read it. Files are UTF-8 with a byte order mark (so spreadsheets read them as UTF-8) and a
header row; a text cell that a spreadsheet would take for a formula is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Subquery

from backend import ids
from backend.errors import NotFound
from backend.models import Area, OutcomeReading, Problem, ProblemRouting
from backend.services.actors import Actor
from backend.services.areas import areas_within
from backend.services.problems import visible_to
from backend.services.standing import Standing, standing_of

EXPORT_PAGE = 1000
# A cell starting with one of these is read as a formula by spreadsheets (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"

OUTCOMES_HEADER = (
    "problem_id",
    "problem",
    "area",
    "measure",
    "unit",
    "direction",
    "baseline",
    "baseline_on",
    "target",
    "target_on",
    "value",
    "observed_on",
    "note",
)
ACCOUNTABILITY_HEADER = (
    "problem_id",
    "problem",
    "area",
    "category",
    "status",
    "proposed_at",
    "response_due_at",
    "owner",
    "first_responded_at",
    "first_response_hours",
    "decision",
    "decline_reason",
    "on_time",
)


def text_cell(value: str | None) -> str:
    """Text someone wrote, safe to open in a spreadsheet: a leading formula character is
    preceded by an apostrophe, which spreadsheets show as text and do not evaluate."""
    if value is None:
        return ""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _cell(value: Any) -> str:
    """Values the system itself wrote (numbers, dates, codes): never a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


async def _area(area_id: int) -> Area:
    area = await Area.get_or_none(id=area_id)
    if area is None:
        raise NotFound("No area has that ID.", field="areaId")
    return area


async def _as_csv(header: Sequence[str], pages: AsyncIterator[Iterable[Sequence[str]]]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BYTE_ORDER_MARK + buffer.getvalue()
    async for rows in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(rows)
        yield buffer.getvalue()


async def outcomes_csv(actor: Actor, area_id: int) -> AsyncIterator[str]:
    """One row per reading of every measure of the problems in the area the caller may see.
    The area is looked up here, so an unknown one fails before the file starts."""
    area = await _area(area_id)
    readable = _readable(await standing_of(actor), await areas_within(area))
    return _as_csv(OUTCOMES_HEADER, _reading_pages(readable))


def _readable(standing: Standing, within: list[int]) -> Subquery:
    return Subquery(Problem.filter(visible_to(standing), area_id__in=within).values("id"))


async def _reading_pages(readable: Subquery) -> AsyncIterator[list[list[str]]]:
    after = 0
    while True:
        page = (
            await OutcomeReading.filter(id__gt=after, measure__problem_id__in=readable)
            .order_by("id")
            .limit(EXPORT_PAGE)
            .values(
                "id",
                "value",
                "observed_on",
                "note",
                "measure__name",
                "measure__unit",
                "measure__direction",
                "measure__baseline",
                "measure__baseline_on",
                "measure__target",
                "measure__target_on",
                "measure__problem_id",
                "measure__problem__title",
                "measure__problem__area__name",
            )
        )
        if not page:
            return
        yield [_reading_row(row) for row in page]
        after = page[-1]["id"]


def _reading_row(row: dict[str, Any]) -> list[str]:
    return [
        ids.encode("Problem", row["measure__problem_id"]),
        text_cell(row["measure__problem__title"]),
        text_cell(row["measure__problem__area__name"]),
        text_cell(row["measure__name"]),
        text_cell(row["measure__unit"]),
        _cell(row["measure__direction"]),
        _cell(row["measure__baseline"]),
        _cell(row["measure__baseline_on"]),
        _cell(row["measure__target"]),
        _cell(row["measure__target_on"]),
        _cell(row["value"]),
        _cell(row["observed_on"]),
        text_cell(row["note"]),
    ]


async def accountability_csv(actor: Actor, area_id: int) -> AsyncIterator[str]:
    """One row per proposal made in the area that the caller may see: when it was made and
    due, its owner, when and how it was first answered, and whether on time."""
    area = await _area(area_id)
    standing = await standing_of(actor)
    proposals = Problem.filter(visible_to(standing), area_id__in=await areas_within(area))
    return _as_csv(ACCOUNTABILITY_HEADER, _proposal_pages(proposals))


async def _proposal_pages(proposals: Any) -> AsyncIterator[list[list[str]]]:
    after = 0
    while True:
        page = (
            await proposals.filter(id__gt=after)
            .order_by("id")
            .limit(EXPORT_PAGE)
            .values(
                "id",
                "title",
                "area__name",
                "category",
                "status",
                "created_at",
                "response_due_at",
                "owner__name",
                "first_responded_at",
                "first_response_hours",
                "decline_reason",
                "first_response_on_time",
            )
        )
        if not page:
            return
        decisions = await _first_decisions([row["id"] for row in page])
        yield [_proposal_row(row, decisions.get(row["id"])) for row in page]
        after = page[-1]["id"]


async def _first_decisions(problem_ids: list[int]) -> dict[int, str]:
    """The decision of each proposal's first answer: that of its first routing (a referral
    is answered again by the next owner, on a routing of its own)."""
    first: dict[int, str] = {}
    routings = ProblemRouting.filter(problem_id__in=problem_ids, answered_at__isnull=False).order_by("id")
    for problem_id, decision in await routings.values_list("problem_id", "decision"):
        first.setdefault(problem_id, decision)
    return first


def _proposal_row(row: dict[str, Any], decision: str | None) -> list[str]:
    return [
        ids.encode("Problem", row["id"]),
        text_cell(row["title"]),
        text_cell(row["area__name"]),
        _cell(row["category"]),
        _cell(row["status"]),
        _cell(row["created_at"]),
        _cell(row["response_due_at"]),
        text_cell(row["owner__name"]),
        _cell(row["first_responded_at"]),
        _cell(row["first_response_hours"]),
        _cell(decision),
        _cell(row["decline_reason"]),
        _cell(row["first_response_on_time"]),
    ]
