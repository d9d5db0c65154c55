"""Worker jobs, by the name operators use with `rungs jobs run NAME`."""

from workers.jobs.digests import send_digests
from workers.jobs.ladder import snapshot_ladder
from workers.jobs.notifications import (
    deliver_due_notifications,
    deliver_notifications,
    prune_login_attempts,
    send_task_reminders,
)
from workers.jobs.outcomes import reopen_disputed_resolutions
from workers.jobs.problems import escalate_overdue_responses

# Jobs an operator may run once, now, by name.
RUNNABLE = {
    "deliver-notifications": deliver_due_notifications,
    "prune-login-attempts": prune_login_attempts,
    "escalate-overdue-responses": escalate_overdue_responses,
    "reopen-disputed-resolutions": reopen_disputed_resolutions,
    "send-task-reminders": send_task_reminders,
    "send-digests": send_digests,
    "snapshot-ladder": snapshot_ladder,
}

__all__ = [
    "RUNNABLE",
    "deliver_due_notifications",
    "deliver_notifications",
    "escalate_overdue_responses",
    "prune_login_attempts",
    "reopen_disputed_resolutions",
    "send_digests",
    "send_task_reminders",
    "snapshot_ladder",
]
