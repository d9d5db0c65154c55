"""The domain's vocabularies, exposed to GraphQL under the same names."""

import strawberry

from backend.errors import ErrorCode
from backend.models.enums import (
    ActionStatus,
    AreaRoleKind,
    AssignmentStatus,
    CorrectionKind,
    CredentialKind,
    DeclineReason,
    DigestFrequency,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    NotificationKind,
    OrganisationKind,
    OrganisationRole,
    OutcomeDirection,
    OwnerStatus,
    ParticipationRung,
    ProblemCategory,
    ProblemInvolvement,
    ProblemStatus,
    ResolutionOutcome,
    ResponseDecision,
    SaraStage,
    TaskStatus,
    Visibility,
    WorkingGroupStatus,
)

__all__ = [
    "ActionStatus",
    "AreaRoleKind",
    "AssignmentStatus",
    "CorrectionKind",
    "CredentialKind",
    "DeclineReason",
    "DigestFrequency",
    "ErrorCode",
    "GroupRole",
    "JoinPolicy",
    "MembershipStatus",
    "NotificationKind",
    "OrganisationKind",
    "OrganisationRole",
    "OutcomeDirection",
    "OwnerStatus",
    "ParticipationRung",
    "ProblemCategory",
    "ProblemInvolvement",
    "ProblemStatus",
    "ResolutionOutcome",
    "ResponseDecision",
    "SaraStage",
    "TaskStatus",
    "Visibility",
    "WorkingGroupStatus",
]

# strawberry.enum registers each class in place and returns it unchanged, so the names
# exported above are the domain classes themselves, usable as annotations.
for _name in __all__:
    strawberry.enum(globals()[_name])
