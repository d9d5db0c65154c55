"""How often a person gets a progress digest: as they chose, or by the rung they stand on.

Until a person chooses, the digest goes weekly to those on the top rungs (volunteers and
co-designers in any area), whom the service most needs to keep informed, and to nobody
else: a resident who only follows a problem is not mailed a summary they never asked for.
Choosing DAILY, WEEKLY or NEVER (the notification preferences) settles it for good.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from backend.models import User
from backend.models.enums import DigestFrequency, ParticipationRung
from backend.services import ladder

# The rung from which people get the digest without asking for it.
DEFAULT_FROM = ParticipationRung.VOLUNTEER
# The time one digest covers, and so the time between two.
PERIOD = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# The words the digest uses for how often it comes.
IN_WORDS = {DigestFrequency.DAILY: "daily", DigestFrequency.WEEKLY: "weekly"}


def effective(chosen: DigestFrequency | None, *, on_a_top_rung: bool) -> DigestFrequency:
    """The frequency that applies: the person's choice, else the default for their rung."""
    if chosen is not None:
        return chosen
    return DigestFrequency.WEEKLY if on_a_top_rung else DigestFrequency.NEVER


async def frequency_of(user: User, *, now: datetime) -> DigestFrequency:
    """How often this person gets the digest now."""
    if user.digest is not None:
        return user.digest
    rung = await ladder.rung_of(user.id, None, now=now)
    return effective(None, on_a_top_rung=rung >= DEFAULT_FROM)


async def on_top_rungs(now: datetime) -> Collection[int]:
    """Everyone whose digest comes weekly until they choose otherwise (one query for all)."""
    return await ladder.people_reaching(DEFAULT_FROM, now=now)
