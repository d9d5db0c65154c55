"""The demo's common answers: a few per organisation, written by its admins (or by the
platform admin, for an organisation without one), for its members' response form."""

from __future__ import annotations

from datetime import datetime

from backend.demo_people import DANA, PRIYA, RUTH
from backend.models import Organisation, User
from backend.services import answer_templates
from backend.services.actors import Actor

# (organisation, who writes them: an admin's email, or None for the platform admin, [(title, text)])
TEMPLATES: list[tuple[str, str | None, list[tuple[str, str]]]] = [
    (
        "Northshire Police",
        PRIYA,
        [
            (
                "Accepted: patrols arranged",
                "Thank you for raising this. We're accepting it: the neighbourhood team will patrol "
                "at the times you describe, and we'll post an update here once we know more.",
            ),
            (
                "Referred: a matter for the council",
                "Thank you for raising this. It isn't a police matter, so we've referred it to the "
                "council, who can act on it; they'll answer here.",
            ),
            (
                "Declined: please report crimes in progress on 999",
                "If a crime is happening now, please call 999. We're declining this proposal because "
                "it describes a single incident, which we deal with as a crime report, not a local problem.",
            ),
        ],
    ),
    (
        "Kingsbridge Borough Council",
        DANA,
        [
            (
                "Accepted: repairs booked",
                "Thank you. We've booked the repair with our contractor and will post the date here.",
            ),
            (
                "Referred: not council land",
                "This land isn't the council's, so we've referred it to the organisation that "
                "looks after it.",
            ),
        ],
    ),
    (
        "Northshire Homes",
        None,
        [
            (
                "Accepted: estate repairs",
                "Thank you. Our estates team will inspect within a week and post what they find here.",
            ),
        ],
    ),
    (
        "Northshire Fire and Rescue",
        None,
        [
            (
                "Accepted: home fire safety visits",
                "Thank you. We'll offer free home fire safety visits in the streets you name.",
            ),
        ],
    ),
    (
        "Riverside Youth Trust",
        RUTH,
        [
            (
                "Accepted: youth workers will visit",
                "Thank you. Our youth workers will visit and talk with the young people there first.",
            ),
        ],
    ),
]


async def write_templates(
    *, admin: User, users: dict[str, User], organisations: dict[str, Organisation], now: datetime
) -> int:
    written = 0
    for organisation, author, templates in TEMPLATES:
        actor = Actor(user=users[author] if author else admin)
        for title, body in templates:
            await answer_templates.create(
                actor, organisation_id=organisations[organisation].id, title=title, body=body, now=now
            )
            written += 1
    return written
