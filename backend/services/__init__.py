"""The service layer: one module per aggregate.

Each aggregate registers here what it shares with the others, so every process finds all
of it whichever service it imports first:

- whose news reaches people: its read rule, with the audiences registry;
- that keeps something about a person: its part of their data, with `personal_data`, in
  the order of the copy (erasure runs in reverse, the account last);
- whose mail may stop being owed while the worker sends it: why not, with `notifications`.
"""

from backend.models.enums import NotificationKind, SubjectKind
from backend.services import (
    accounts,
    activity,
    answer_templates,
    areas,
    audiences,
    digests,
    notifications,
    organisations,
    outcomes,
    personal_data,
    problems,
    volunteer_tasks,
    working_groups,
)
from backend.services.ladder import snapshots as ladder_snapshots
from backend.services.volunteer_tasks import personal_data as task_data
from backend.services.volunteer_tasks import reminders as task_reminders
from backend.services.working_groups import action_data

audiences.register(SubjectKind.PROBLEM, problems.READERS)
audiences.register(SubjectKind.WORKING_GROUP, working_groups.READERS)
audiences.register(SubjectKind.VOLUNTEER_TASK, volunteer_tasks.READERS)

for contribution in (
    accounts.ACCOUNT_DATA,
    organisations.PERSONAL_DATA,
    answer_templates.PERSONAL_DATA,
    areas.PERSONAL_DATA,
    accounts.SIGN_IN_DATA,
    problems.PERSONAL_DATA,
    working_groups.PERSONAL_DATA,
    action_data.PERSONAL_DATA,
    outcomes.PERSONAL_DATA,
    task_data.PERSONAL_DATA,
    notifications.PERSONAL_DATA,
    digests.PERSONAL_DATA,
    activity.PERSONAL_DATA,
    ladder_snapshots.PERSONAL_DATA,
):
    personal_data.register(contribution)

notifications.check_before_sending(NotificationKind.TASK_REMINDER, task_reminders.why_not_remind)
