"""Progress digests: what changed in the work a person follows or is part of, as often as
they chose (or their rung decides), one digest per person per period, through the outbox."""

from backend.services.digests.frequency import DEFAULT_FROM, PERIOD, effective, frequency_of
from backend.services.digests.news import Digest, Reader
from backend.services.digests.personal_data import PERSONAL_DATA
from backend.services.digests.sending import BATCH, SLACK, send_batch, send_due

__all__ = [
    "BATCH",
    "DEFAULT_FROM",
    "PERIOD",
    "PERSONAL_DATA",
    "SLACK",
    "Digest",
    "Reader",
    "effective",
    "frequency_of",
    "send_batch",
    "send_due",
]
