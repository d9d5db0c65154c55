// Running the task, for the group's leads and the area's coordinators: changing its details
// (confirmed volunteers are told of a new time or place), and cancelling it with a reason
// every volunteer is sent.

import { h } from '../../dom.js';
import { createForm, textAreaField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { formOnRequest } from '../../groups.js';
import { editTaskForm } from '../../task-form.js';

function editSlot(task, { reload }) {
  return formOnRequest({
    label: 'Change the task…',
    build: (cancel) =>
      editTaskForm(task.group, task, {
        send: (input) => mutate('UpdateVolunteerTask', input),
        onSuccess: () => reload('The task is changed. Its volunteers are told of a new time or place.'),
        extraActions: [cancel],
      }),
  });
}

function cancelSlot(task, { reload }) {
  return formOnRequest({
    label: 'Cancel the task…',
    build: (cancel) =>
      createForm({
        label: 'Cancel the task',
        fields: [
          textAreaField({
            name: 'reason',
            label: 'Why it is cancelled',
            rows: 3,
            hint: 'Every volunteer signed up or waiting is sent this.',
            missing: 'Say why the task is cancelled',
          }),
        ],
        submitLabel: 'Cancel the task',
        busyLabel: 'Cancelling…',
        extraActions: [cancel],
        onSubmit: (values) => mutate('CancelVolunteerTask', { taskId: task.id, reason: values.reason }),
        onSuccess: () => reload('The task is cancelled. Its volunteers are told why.'),
      }),
  });
}

export function manageCard(task, page) {
  if (task.status === 'CANCELLED' || task.status === 'FINISHED') return null;
  return h(
    'section',
    { class: 'card panel manage-task', 'aria-labelledby': 'manage-title' },
    h('h2', { id: 'manage-title' }, 'Run the task'),
    h('div', { class: 'manage-actions' }, editSlot(task, page), cancelSlot(task, page)),
  );
}
