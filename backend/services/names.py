"""How a person's name is shown: in full, or by initials to the public when they chose so.

A person may choose (on their profile) to be shown to the public by their initials alone.
"The public" is kept simple, the same on every page: visitors who are not signed in, and
other residents, meaning signed-in people who belong to no organisation and hold no role
in any area. Those who answer for problems and run the work (organisation members, area
coordinators and moderators, platform admins) see the full name, as they need it to reply
to and work with the person; and everyone always sees their own name in full.
"""

from __future__ import annotations

from backend.models import User
from backend.services.standing import Standing


def initials(name: str) -> str:
    """ "Jo Bloggs" is "J. B."; a name of no letters stays as it is."""
    letters = [word[0].upper() for word in name.split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters) or name


def sees_full_names(standing: Standing) -> bool:
    """Whether this viewer is beyond the public: they answer for problems or run the work."""
    return bool(
        standing.is_admin
        or standing.organisation_ids
        or standing.coordinated_area_ids
        or standing.moderated_area_ids
    )


def shown_name(person: User, standing: Standing) -> str:
    """The person's name as this viewer is shown it."""
    if not person.public_initials or person.id == standing.user_id or sees_full_names(standing):
        return person.display_name
    return initials(person.display_name)
