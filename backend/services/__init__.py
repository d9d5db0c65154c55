"""The service layer: one module per aggregate.

Each aggregate whose news reaches people registers its read rule with the audiences
registry here, so the outbox finds every rule whichever service a process imports first.
"""

from backend.models.enums import SubjectKind
from backend.services import audiences, problems

audiences.register(SubjectKind.PROBLEM, problems.READERS)
