"""`rungs jobs run NAME`: an operator runs one job now, on the embedded defaults."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

RUNGS = Path(sys.executable).with_name("rungs")


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A fresh embedded installation: SQLite and mail files under DATA_DIR, nothing else set."""
    configured_elsewhere = {"DATABASE_URL", "REDIS_URL", "MAIL_URL", "SECRET_KEY", "ENVIRONMENT"}
    env = {key: value for key, value in os.environ.items() if key not in configured_elsewhere}
    env["DATA_DIR"] = str(tmp_path / "data")
    return env


def rungs(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUNGS, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def mail_in(directory: Path) -> dict[str, EmailMessage]:
    messages = {}
    for path in directory.iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        messages[path.name] = message
    return messages


def test_delivering_notifications_now_mails_them_once(environment: dict[str, str]) -> None:
    for setup in (["migrate"], ["demo-data"]):
        done = rungs(environment, *setup)
        assert done.returncode == 0, done.stderr

    first = rungs(environment, "jobs", "run", "deliver-notifications")

    assert first.returncode == 0, first.stderr
    label, _, count = first.stdout.strip().rpartition(": ")
    assert label == "deliver-notifications"
    mail = mail_in(Path(environment["DATA_DIR"]) / "mail")
    assert int(count) == len(mail) > 0
    assert all(message["To"].endswith(".demo") for message in mail.values())
    # The demo adds people to organisations, and proposals reach those who must answer them.
    subjects = [str(message["Subject"]) for message in mail.values()]
    assert any(subject.startswith("You were added to ") for subject in subjects)

    again = rungs(environment, "jobs", "run", "deliver-notifications")

    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "deliver-notifications: 0"
    assert mail_in(Path(environment["DATA_DIR"]) / "mail").keys() == mail.keys()


def test_an_unknown_job_is_refused_with_the_list_of_jobs(environment: dict[str, str]) -> None:
    refused = rungs(environment, "jobs", "run", "deliver-everything")

    assert refused.returncode == 1
    assert "deliver-everything" in refused.stderr
    assert "deliver-notifications" in refused.stderr
    assert "prune-login-attempts" in refused.stderr
    assert refused.stdout == ""


def test_escalating_overdue_responses_now_takes_each_step_once(environment: dict[str, str]) -> None:
    for setup in (["migrate"], ["demo-data"]):
        done = rungs(environment, *setup)
        assert done.returncode == 0, done.stderr

    first = rungs(environment, "jobs", "run", "escalate-overdue-responses")

    assert first.returncode == 0, first.stderr
    label, _, count = first.stdout.strip().rpartition(": ")
    # The demo has proposals left unanswered past their response time.
    assert label == "escalate-overdue-responses" and int(count) > 0
    again = rungs(environment, "jobs", "run", "escalate-overdue-responses")
    assert again.stdout.strip() == "escalate-overdue-responses: 0"


def test_the_verdict_on_closings_runs_by_name(environment: dict[str, str]) -> None:
    done = rungs(environment, "migrate")
    assert done.returncode == 0, done.stderr

    judged = rungs(environment, "jobs", "run", "reopen-disputed-resolutions")

    assert judged.returncode == 0, judged.stderr
    assert judged.stdout.strip() == "reopen-disputed-resolutions: 0"


def test_progress_digests_are_sent_by_name(environment: dict[str, str]) -> None:
    done = rungs(environment, "migrate")
    assert done.returncode == 0, done.stderr

    sent = rungs(environment, "jobs", "run", "send-digests")

    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "send-digests: 0"
