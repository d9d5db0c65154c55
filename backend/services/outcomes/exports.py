"""An area's outcomes and accountability as CSV files, for the area and every area inside it.

Rows are read a page at a time by keyset (constant memory however many there are) and only
from problems the caller may see, so a RESTRICTED problem's rows reach only those who may
read it. Files are UTF-8 with a byte order mark (so spreadsheets read them as UTF-8) and a
header row; a text cell that a spreadsheet would take for a formula is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

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


def _problem_id(value: int) -> str:
    return ids.encode("Problem", value)


@dataclass(frozen=True)
class Column:
    """A column of a file: its header, the value of a row it shows, and how that is written."""

    header: str
    value: str
    cell: Callable[[Any], str] = _cell


def _problem_columns(through: str) -> tuple[Column, ...]:
    """Every file's first columns: the problem a row is about, read `through` its relations
    ("" for a problem's own row)."""
    return (
        Column("problem_id", f"{through}id", _problem_id),
        Column("problem", f"{through}title", text_cell),
        Column("area", f"{through}area__name", text_cell),
    )


OUTCOMES_COLUMNS = (
    *_problem_columns("measure__problem__"),
    Column("measure", "measure__name", text_cell),
    Column("unit", "measure__unit", text_cell),
    Column("direction", "measure__direction"),
    Column("baseline", "measure__baseline"),
    Column("baseline_on", "measure__baseline_on"),
    Column("target", "measure__target"),
    Column("target_on", "measure__target_on"),
    Column("value", "value"),
    Column("observed_on", "observed_on"),
    Column("note", "note", text_cell),
)
# Not read with the proposal: the decision of its first answer is looked up a page at a time.
FIRST_DECISION = "first_decision"
ACCOUNTABILITY_COLUMNS = (
    *_problem_columns(""),
    Column("category", "category"),
    Column("status", "status"),
    Column("proposed_at", "created_at"),
    Column("response_due_at", "response_due_at"),
    Column("owner", "owner__name", text_cell),
    Column("first_responded_at", "first_responded_at"),
    Column("first_response_hours", "first_response_hours"),
    Column("decision", FIRST_DECISION),
    Column("decline_reason", "decline_reason"),
    Column("on_time", "first_response_on_time"),
)
OUTCOMES_HEADER = tuple(column.header for column in OUTCOMES_COLUMNS)
ACCOUNTABILITY_HEADER = tuple(column.header for column in ACCOUNTABILITY_COLUMNS)


def _cells(columns: Sequence[Column], row: dict[str, Any]) -> list[str]:
    return [column.cell(row[column.value]) for column in columns]


async def _pages(rows: QuerySet[Any], values: Iterable[str]) -> AsyncIterator[list[dict[str, Any]]]:
    """The rows' `values`, and the id that pages them, a page at a time by keyset."""
    read = list(dict.fromkeys(("id", *values)))
    after = 0
    while True:
        page = await rows.filter(id__gt=after).order_by("id").limit(EXPORT_PAGE).values(*read)
        if not page:
            return
        yield page
        after = page[-1]["id"]


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
    readings = OutcomeReading.filter(measure__problem_id__in=readable)
    async for page in _pages(readings, (column.value for column in OUTCOMES_COLUMNS)):
        yield [_cells(OUTCOMES_COLUMNS, row) for row in page]


async def accountability_csv(actor: Actor, area_id: int) -> AsyncIterator[str]:
    """One row per proposal made in the area that the caller may see: when it was made and
    due, its owner, when and how it was first answered, and whether on time."""
    area = await _area(area_id)
    standing = await standing_of(actor)
    proposals = Problem.filter(visible_to(standing), area_id__in=await areas_within(area))
    return _as_csv(ACCOUNTABILITY_HEADER, _proposal_pages(proposals))


async def _proposal_pages(proposals: QuerySet[Problem]) -> AsyncIterator[list[list[str]]]:
    read = (column.value for column in ACCOUNTABILITY_COLUMNS if column.value != FIRST_DECISION)
    async for page in _pages(proposals, read):
        decisions = await _first_decisions([row["id"] for row in page])
        yield [
            _cells(ACCOUNTABILITY_COLUMNS, {**row, FIRST_DECISION: decisions.get(row["id"])}) for row in page
        ]


async def _first_decisions(problem_ids: list[int]) -> dict[int, str]:
    """The decision of each proposal's first answer: that of its first routing (a referral
    is answered again by the next owner, on a routing of its own)."""
    first: dict[int, str] = {}
    routings = ProblemRouting.filter(problem_id__in=problem_ids, answered_at__isnull=False).order_by("id")
    for problem_id, decision in await routings.values_list("problem_id", "decision"):
        first.setdefault(problem_id, decision)
    return first
