"""Paths of the web interface's pages, for links in notifications and mail: stored as paths,
and made into links with PUBLIC_URL where they leave the system (mail, the API)."""

from __future__ import annotations

from backend.ids import encode


def problem_path(problem_id: int) -> str:
    return f"/#/problems/{encode('Problem', problem_id)}"


def group_path(group_id: int) -> str:
    return f"/#/groups/{encode('WorkingGroup', group_id)}"


def task_path(task_id: int) -> str:
    return f"/#/tasks/{encode('VolunteerTask', task_id)}"


def preferences_path() -> str:
    """The profile, where the notification preferences are."""
    return "/#/profile"
