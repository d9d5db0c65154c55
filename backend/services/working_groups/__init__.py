"""Working groups: police, partner agencies and residents working together on problems.

- `access`: who may see a group (its read rule, for the audiences too) and what each
  person may do in it;
- `forming`: forming a group around a problem, adding problems, closing it;
- `membership`: invitations, requests to join, leaving, leads;
- `reading`: lists of groups, and who sees which members;
- `notices`: who hears of what, and what they are told;
- `personal_data`: a member's part of the export and the erasure.
"""

from backend.services.working_groups.access import READERS, GroupReaders, access_group, membership_of
from backend.services.working_groups.forming import add_problem, close, form
from backend.services.working_groups.membership import (
    decide_request,
    invite,
    join,
    leave,
    respond_to_invitation,
    set_role,
)
from backend.services.working_groups.personal_data import PERSONAL_DATA

__all__ = [
    "PERSONAL_DATA",
    "READERS",
    "GroupReaders",
    "access_group",
    "add_problem",
    "close",
    "decide_request",
    "form",
    "invite",
    "join",
    "leave",
    "membership_of",
    "respond_to_invitation",
    "set_role",
]
