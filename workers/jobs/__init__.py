"""Worker jobs, by the name operators use with `rungs jobs run NAME`."""

from workers.jobs.notifications import (
    deliver_due_notifications,
    deliver_notifications,
    prune_login_attempts,
)

# Jobs an operator may run once, now, by name.
RUNNABLE = {
    "deliver-notifications": deliver_due_notifications,
    "prune-login-attempts": prune_login_attempts,
}

__all__ = ["RUNNABLE", "deliver_due_notifications", "deliver_notifications", "prune_login_attempts"]
