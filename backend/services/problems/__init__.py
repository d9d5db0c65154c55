"""Problems: proposals, and the presumption that every one gets an official response.

A proposal is routed on creation to an owner (the area's routing rule for its category,
else the nearest area above that has one, else nobody: the area's coordinators answer)
and owes a response within the area's response time. Each time a proposal reaches an
owner (at proposal, and at each referral) is a `ProblemRouting`: its answer and its
escalations are recorded there, once each.

One module per thing people do with a problem; every one fetches a problem through
`access.access_problem`, so a restricted problem is NOT_FOUND to those who may not see it
on every path. Callers use the names below (`problems.propose(...)`), not the modules.
"""

from __future__ import annotations

from backend.services.problems.access import (
    ANSWERERS,
    AWAITING_RESPONSE,
    BEING_WORKED_ON,
    PUBLIC_LOCATION_DECIMALS,
    READERS,
    ProblemReaders,
    access_problem,
    answering_organisation,
    answers_for,
    may_correct,
    may_hide_comments,
    may_post_update,
    may_respond,
    may_see,
    may_set_stage,
    public_location,
    sees_exact_location,
    visible_to,
)
from backend.services.problems.correcting import (
    add_note,
    correct_text,
    may_correct_text,
    text_correctable_until,
)
from backend.services.problems.escalation import ESCALATION_BATCH, escalate_overdue
from backend.services.problems.personal_data import PERSONAL_DATA
from backend.services.problems.progress import STAGES_AFTER_ACCEPTANCE, move_to, post_update, set_stage
from backend.services.problems.proposing import MAX_DESCRIPTION, MAX_TITLE, propose
from backend.services.problems.queue import (
    QUEUE_ORDER,
    QueueCounts,
    answered_by,
    has_queue,
    queue_counts,
    response_queue,
)
from backend.services.problems.reading import (
    MAX_SEARCH_WORD,
    MAX_SEARCH_WORDS,
    SHOWN_COMMENTS,
    ProblemFilter,
    answer_due,
    answered_on_time,
    involving,
    is_response_overdue,
    listing,
    search_words,
    start_of,
    was_referred,
)
from backend.services.problems.responding import MAX_BODY, respond
from backend.services.problems.taking_part import (
    MAX_COMMENT,
    MAX_REASON,
    comment,
    follow,
    hide_comment,
    support,
    unfollow,
    withdraw_support,
)

__all__ = [
    "ANSWERERS",
    "AWAITING_RESPONSE",
    "BEING_WORKED_ON",
    "ESCALATION_BATCH",
    "MAX_BODY",
    "MAX_COMMENT",
    "MAX_DESCRIPTION",
    "MAX_REASON",
    "MAX_SEARCH_WORD",
    "MAX_SEARCH_WORDS",
    "MAX_TITLE",
    "PERSONAL_DATA",
    "PUBLIC_LOCATION_DECIMALS",
    "QUEUE_ORDER",
    "READERS",
    "SHOWN_COMMENTS",
    "STAGES_AFTER_ACCEPTANCE",
    "ProblemFilter",
    "ProblemReaders",
    "QueueCounts",
    "access_problem",
    "add_note",
    "answer_due",
    "answered_by",
    "answered_on_time",
    "answering_organisation",
    "answers_for",
    "comment",
    "correct_text",
    "escalate_overdue",
    "follow",
    "has_queue",
    "hide_comment",
    "involving",
    "is_response_overdue",
    "listing",
    "may_correct",
    "may_correct_text",
    "may_hide_comments",
    "may_post_update",
    "may_respond",
    "may_see",
    "may_set_stage",
    "move_to",
    "post_update",
    "propose",
    "public_location",
    "queue_counts",
    "respond",
    "response_queue",
    "search_words",
    "sees_exact_location",
    "set_stage",
    "start_of",
    "support",
    "text_correctable_until",
    "unfollow",
    "visible_to",
    "was_referred",
    "withdraw_support",
]
