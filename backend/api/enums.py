"""The domain's vocabularies, exposed to GraphQL under the same names."""

import strawberry

from backend.errors import ErrorCode
from backend.models.enums import (
    AreaRoleKind,
    CredentialKind,
    DeclineReason,
    DigestFrequency,
    NotificationKind,
    OrganisationKind,
    OrganisationRole,
    ProblemCategory,
    ProblemStatus,
    ResponseDecision,
    SaraStage,
    Visibility,
)

__all__ = [
    "AreaRoleKind",
    "CredentialKind",
    "DeclineReason",
    "DigestFrequency",
    "ErrorCode",
    "NotificationKind",
    "OrganisationKind",
    "OrganisationRole",
    "ProblemCategory",
    "ProblemStatus",
    "ResponseDecision",
    "SaraStage",
    "Visibility",
]

# strawberry.enum registers each class in place and returns it unchanged, so the names
# exported above are the domain classes themselves, usable as annotations.
for _name in __all__:
    strawberry.enum(globals()[_name])
