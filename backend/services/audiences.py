"""Who may receive news about something: one read rule per kind of subject (DESIGN.md §5).

A notification about something (a problem; later a working group, a volunteer task, an
outcome, a digest line) reaches only people who may read that thing. The outbox filters
every audience through the rule of the subject's kind when it writes the notification,
asks the rule again just before delivering it, and the notification centre lists only
what the rule still allows: someone who lost access since hears nothing more.

Each aggregate owns its rule, the same one its own reads use, and registers it here
(`backend/services/__init__.py` does, for every aggregate).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.links import group_path, problem_path, task_path
from backend.models.enums import SubjectKind
from backend.services.standing import Standing

# Every kind of subject has a page of its own, where notifications about it link.
_PAGES = {
    SubjectKind.PROBLEM: problem_path,
    SubjectKind.WORKING_GROUP: group_path,
    SubjectKind.VOLUNTEER_TASK: task_path,
}


@dataclass(frozen=True)
class Subject:
    """The thing a notification is about."""

    kind: SubjectKind
    id: int

    @property
    def key(self) -> str:
        """How the outbox's unique key names it: `problem:12`."""
        return f"{self.kind.value.lower()}:{self.id}"

    @property
    def page(self) -> str:
        """The path of its page in the web interface, where a notification about it links."""
        return _PAGES[self.kind](self.id)


class ReadRule(Protocol):
    """Who may read the subjects of one kind; the same rule as that aggregate's reads."""

    async def readers_among(self, subject_id: int, people: Collection[int]) -> set[int]:
        """Those of `people` who may read the subject (nobody, once it is gone), in a
        fixed number of statements however many people there are."""
        ...

    def readable_by(self, standing: Standing) -> QuerySet[Any]:
        """The subjects this person may read, as a query to select their ids from."""
        ...


_rules: dict[SubjectKind, ReadRule] = {}


def register(kind: SubjectKind, rule: ReadRule) -> None:
    _rules[kind] = rule


def rule_for(kind: SubjectKind) -> ReadRule:
    try:
        return _rules[kind]
    except KeyError:
        raise LookupError(f"no read rule is registered for subjects of kind {kind.value}") from None


async def readers_among(subject: Subject, people: Collection[int]) -> set[int]:
    if not people:
        return set()
    return await rule_for(subject.kind).readers_among(subject.id, people)


async def may_read(subject: Subject, person: int) -> bool:
    return person in await readers_among(subject, [person])


def readable_notifications(standing: Standing) -> Q:
    """Notifications whose subject this person may read, and those about no subject."""
    readable = [
        Q(subject_type=kind, subject_id__in=Subquery(rule.readable_by(standing).values("id")))
        for kind, rule in _rules.items()
    ]
    return Q(Q(subject_type__isnull=True), *readable, join_type="OR")
