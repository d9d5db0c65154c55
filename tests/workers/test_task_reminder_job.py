"""`send-task-reminders`, called as arq (or `rungs jobs run`) calls it: a reminder goes out
when it is due, once, however often the job runs and whatever Redis lost meanwhile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import redis as redis_client
from action_plan import Plan
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from neighbourhood import Neighbourhood
from support import GraphQL, People, RecordingMailer
from workers.jobs import RUNNABLE, send_task_reminders


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    return await build_plan(gql, people, neighbourhood, clock)


async def test_the_reminder_job_sends_what_is_due_once(
    plan: Plan, clock: ManualClock, sealer: Sealer, redis: redis_client.Redis
) -> None:
    mailer = RecordingMailer()
    ctx: dict[str, Any] = {"mailer": mailer, "sealer": sealer, "clock": clock, "job_try": 1}
    assert RUNNABLE["send-task-reminders"] is send_task_reminders
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    await send_task_reminders(ctx)
    mailer.letters.clear()
    # Whatever the queue held is gone: the outbox still knows what is due, and when.
    redis.flushdb()
    clock.set(SATURDAY - timedelta(hours=2))
    assert await send_task_reminders(ctx) == 2
    assert await send_task_reminders({**ctx, "job_try": 2}) == 0
    assert [letter.to for letter in mailer.letters] == [plan.nell.user.email] * 2
    assert all(letter.subject.startswith("Reminder: Litter pick on Mill Lane") for letter in mailer.letters)
