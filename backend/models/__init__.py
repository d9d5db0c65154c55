"""Tortoise models: one module per aggregate."""

from backend.models.accounts import KnownDevice, LoginAttempt, MagicLinkToken, Session, User
from backend.models.activity import Activity
from backend.models.answer_versions import AnswerVersion
from backend.models.areas import Area, AreaRole, RoutingRule
from backend.models.digests import ProgressDigest
from backend.models.ladder import LadderRung, LadderSnapshot
from backend.models.notifications import Notification
from backend.models.organisations import AnswerTemplate, Organisation, OrganisationMembership
from backend.models.outcomes import OutcomeMeasure, OutcomeReading, ProblemResolution, ResolutionReview
from backend.models.problems import (
    Comment,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemRouting,
    ProblemSupport,
    ProblemUpdate,
    ResponseCorrection,
    StageChange,
)
from backend.models.volunteer_tasks import CalendarFeed, TaskAssignment, VolunteerTask
from backend.models.working_groups import Action, ActionOwner, GroupMembership, GroupProblem, WorkingGroup

__all__ = [
    "Action",
    "ActionOwner",
    "Activity",
    "AnswerTemplate",
    "AnswerVersion",
    "Area",
    "AreaRole",
    "CalendarFeed",
    "Comment",
    "GroupMembership",
    "GroupProblem",
    "KnownDevice",
    "LadderRung",
    "LadderSnapshot",
    "LoginAttempt",
    "MagicLinkToken",
    "Notification",
    "Organisation",
    "OrganisationMembership",
    "OutcomeMeasure",
    "OutcomeReading",
    "Problem",
    "ProblemFollow",
    "ProblemResolution",
    "ProblemResponse",
    "ProblemRouting",
    "ProblemSupport",
    "ProblemUpdate",
    "ProgressDigest",
    "ResolutionReview",
    "ResponseCorrection",
    "RoutingRule",
    "Session",
    "StageChange",
    "TaskAssignment",
    "User",
    "VolunteerTask",
    "WorkingGroup",
]
