"""Sending progress digests: the hourly job's work (`rungs jobs run send-digests` by hand).

Who is due: everyone whose frequency is DAILY or WEEKLY (`frequency`); someone who never had
a digest at the first run, covering the period just past; afterwards a full period after the
last one, covering everything since. The job runs hourly and takes some time to reach each
person, so "a full period" allows it SLACK: a weekly digest does not slip an hour each week.

Each digest is written with its number (the person's last one plus one), unique per person,
in the transaction of its notification and of the activity row that puts its reader on the
PASSIVE rung: two runs at once, or a run repeated, write each digest once. Nothing is written
for someone without news.

People are taken in batches of BATCH, each built in a fixed number of statements (`news`).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from backend.models import ProgressDigest, User
from backend.models.enums import ActivityKind, DigestFrequency, NotificationKind
from backend.services import activity, notifications
from backend.services.digests.frequency import IN_WORDS, PERIOD, effective, on_top_rungs
from backend.services.digests.news import Batch, Digest, Reader
from backend.services.notifications import OwnNotice
from backend.services.volunteer_tasks.notices import local

BATCH = 200
# Room for the hourly job's own drift: due this long before a full period is up.
SLACK = timedelta(minutes=10)
# A digest covers everything since the one before, when that was at most two periods ago;
# else the last period (someone who had nothing to hear for weeks, or turned the digest
# back on, hears of the last period only).
REACH = 2
# Where the digest's mail leads: the notification preferences, to change how often it comes.
PREFERENCES_PATH = "/#/profile"


async def send_due(*, now: datetime, batch: int = BATCH) -> int:
    """Write the digest of everyone due one now; returns how many were written."""
    top = set(await on_top_rungs(now))
    run = secrets.token_hex(16)
    written = 0
    after = 0
    while True:
        users = (
            await User.filter(
                Q(digest__isnull=True) | Q(digest__in=[DigestFrequency.DAILY, DigestFrequency.WEEKLY]),
                id__gt=after,
                erased_at__isnull=True,
                confirmed_at__isnull=False,
            )
            .order_by("id")
            .limit(batch)
        )
        if users:
            after = users[-1].id
            written += await send_batch(users, top, run=run, now=now)
        if len(users) < batch:
            return written


async def send_batch(users: Sequence[User], top: Collection[int], *, run: str, now: datetime) -> int:
    """The digests of one batch of people: those due, with news, each written once."""
    frequencies = {u.id: effective(u.digest, on_a_top_rung=u.id in top) for u in users}
    wanting = [u for u in users if frequencies[u.id] in PERIOD]
    readers = await _due(wanting, frequencies, now=now)
    if not readers:
        return 0
    batch = Batch([reader for reader, _ in readers.values()], now=now)
    await batch.load()
    digests = {person: batch.digest_of(reader) for person, (reader, _) in readers.items()}
    home = {u.id: u.home_area_id for u in wanting}
    return await _write(digests, readers, frequencies, home, run=run, now=now)


async def _write(
    digests: dict[int, Digest],
    readers: dict[int, tuple[Reader, int]],
    frequencies: dict[int, DigestFrequency],
    home: dict[int, int | None],
    *,
    run: str,
    now: datetime,
) -> int:
    """The digests with news, with their mail and activity, unless another run wrote them."""
    with_news = sorted(person for person, digest in digests.items() if digest.has_news)
    async with in_transaction():
        await ProgressDigest.bulk_create(
            [
                ProgressDigest(
                    person_id=person,
                    number=readers[person][1],
                    frequency=frequencies[person],
                    covers_from=readers[person][0].since,
                    covers_until=now,
                    run=run,
                )
                for person in with_news
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        # Those of this run's digests that another run at the same time did not write first.
        won = dict(
            await ProgressDigest.filter(run=run, person_id__in=with_news).values_list("person_id", "number")
        )
        await notifications.notify_each(
            NotificationKind.PROGRESS_DIGEST,
            [
                OwnNotice(
                    recipient_id=person,
                    occurrence=str(number),
                    context=context_of(digests[person], frequencies[person], readers[person][0].since),
                    url=PREFERENCES_PATH,
                )
                for person, number in sorted(won.items())
            ],
            now=now,
        )
        await activity.record_each(
            ActivityKind.DIGEST_RECEIVED,
            {person: area for person in won if (area := home[person]) is not None},
            now=now,
        )
    return len(won)


async def _due(
    users: Sequence[User], frequencies: dict[int, DigestFrequency], *, now: datetime
) -> dict[int, tuple[Reader, int]]:
    """Those of `users` due a digest now: each as a reader with the moment their digest
    starts, and the number it takes."""
    ids = [u.id for u in users]
    numbers = dict(
        await ProgressDigest.filter(person_id__in=ids)
        .annotate(last=Max("number"))
        .group_by("person_id")
        .values_list("person_id", "last")
    )
    recent: dict[int, datetime] = {}
    for person, until in await ProgressDigest.filter(
        person_id__in=ids, covers_until__gt=now - REACH * max(PERIOD.values())
    ).values_list("person_id", "covers_until"):
        recent[person] = max(until, recent.get(person, until))
    due = {}
    for user in users:
        period = PERIOD[frequencies[user.id]]
        last = recent.get(user.id)
        if last is None or last <= now - period + SLACK:
            since = last if last is not None and last > now - REACH * period else now - period
            due[user.id] = (Reader(user=user, since=since), int(numbers.get(user.id) or 0) + 1)
    return due


def context_of(digest: Digest, frequency: DigestFrequency, since: datetime) -> dict[str, object]:
    """What the digest's templates show (their opening comments list it)."""
    shown = local(since)
    return {
        "frequency": IN_WORDS[frequency],
        "since": f"{shown:%A} {shown.day} {shown:%B}",
        "problems": digest.problems,
        "groups": digest.groups,
        "upcoming": digest.upcoming,
        "next_step": digest.next_step,
    }
