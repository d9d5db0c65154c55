"""The domain's vocabularies, exposed to GraphQL under the same names."""

import strawberry

from backend.errors import ErrorCode
from backend.models.enums import (
    ActionStatus,
    AreaRoleKind,
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
    ProblemCategory,
    ProblemStatus,
    ResolutionOutcome,
    ResponseDecision,
    SaraStage,
    Visibility,
    WorkingGroupStatus,
)

# strawberry.enum registers each class in place and returns it unchanged, so the names
# below are the domain classes themselves, usable as annotations.
for _enum in (
    ActionStatus,
    AreaRoleKind,
    CredentialKind,
    DeclineReason,
    DigestFrequency,
    ErrorCode,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    NotificationKind,
    OrganisationKind,
    OrganisationRole,
    OutcomeDirection,
    OwnerStatus,
    ProblemCategory,
    ProblemStatus,
    ResolutionOutcome,
    ResponseDecision,
    SaraStage,
    Visibility,
    WorkingGroupStatus,
):
    strawberry.enum(_enum)

__all__ = [
    "ActionStatus",
    "AreaRoleKind",
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
    "ProblemCategory",
    "ProblemStatus",
    "ResolutionOutcome",
    "ResponseDecision",
    "SaraStage",
    "Visibility",
    "WorkingGroupStatus",
]
