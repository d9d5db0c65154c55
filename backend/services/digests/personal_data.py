"""Personal data in progress digests: which digests a person was sent, and when; erasure
deletes the record (what each digest said is in their notifications, which go with them)."""

from __future__ import annotations

from datetime import datetime

from backend.models import ProgressDigest, User
from backend.services import personal_data
from backend.services.personal_data import Sections
from backend.services.standing import Standing


async def _export(user: User, standing: Standing) -> Sections:
    sent = await ProgressDigest.filter(person_id=user.id).order_by("number")
    return {
        "progress_digests": [
            {
                "frequency": digest.frequency.value,
                "covers_from": personal_data.moment(digest.covers_from),
                "covers_until": personal_data.moment(digest.covers_until),
            }
            for digest in sent
        ]
    }


async def _erase(user: User, now: datetime) -> None:
    await ProgressDigest.filter(person_id=user.id).delete()


PERSONAL_DATA = personal_data.Contribution(
    name="progress digests", export=_export, erase=_erase, erases=("ProgressDigest",)
)
