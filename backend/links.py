"""Addresses of the web interface's pages, for links in notifications and mail."""

from __future__ import annotations

from backend.ids import encode


def problem_link(public_url: str, problem_id: int) -> str:
    return f"{public_url}/#/problems/{encode('Problem', problem_id)}"


def group_path(group_id: int) -> str:
    """A working group's page, as a path: whoever sends the link puts the site's address before it."""
    return f"/#/groups/{encode('WorkingGroup', group_id)}"
