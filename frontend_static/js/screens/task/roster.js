// The roster, for the group's leads and the area's coordinators: who holds a place and who
// waits, checking volunteers in on the day, recording the hours each gave, and marking those
// who did not come. Laid out as a list of rows that wrap, so it works on a phone held in one
// hand; the server says when each act is allowed (check-in from an hour before the start,
// no-shows after it), and its refusal shows in the row.

import { h } from '../../dom.js';
import { createForm, selectField, textField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { mutationButton, refusalSlot } from '../../groups.js';
import { assignmentBadge, formatHours, formatTaskMoment, taskHours } from '../../tasks.js';

const ON_ROSTER = ['CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW'];

function hoursForm(task, assignment, name, reload) {
  return createForm({
    label: `Hours given by ${name}`,
    fields: [
      textField({
        name: 'hours',
        label: 'Hours given',
        value: String(taskHours(task)),
        inputmode: 'decimal',
        class: 'input-short',
        autocomplete: 'off',
        missing: `Enter the hours ${name} gave`,
      }),
    ],
    submitLabel: 'Record hours',
    busyLabel: 'Recording…',
    check: (values) =>
      values.hours.trim() && !/^\d+(\.\d+)?$/.test(values.hours.trim())
        ? [{ field: 'hours', message: 'The hours must be a number, such as 2.5' }]
        : [],
    onSubmit: (values) => mutate('CompleteAssignment', { assignmentId: assignment.id, hours: Number(values.hours) }),
    onSuccess: ({ assignment: done }) => reload(`${name} gave ${formatHours(done.hours)}. Thank you for recording it.`),
  });
}

function controls(task, assignment, { reload }) {
  const name = assignment.volunteer.displayName;
  const refused = refusalSlot();
  const act = (label, className, operation, message) =>
    mutationButton({
      label,
      className,
      ariaLabel: `${label}: ${name}`,
      operation,
      input: () => ({ assignmentId: assignment.id }),
      done: () => reload(message),
      refused,
    });
  switch (assignment.status) {
    case 'CONFIRMED':
      return [
        h(
          'div',
          { class: 'button-row' },
          act('Check in', 'button button-primary', 'CheckInVolunteer', `${name} is checked in.`),
          act('Did not come', 'button button-secondary', 'MarkNoShow', `${name} is marked as not having come.`),
        ),
        refused,
      ];
    case 'CHECKED_IN':
      return hoursForm(task, assignment, name, reload);
    default:
      return null;
  }
}

// Who may be put on the task: the group's active members not already holding a place or
// waiting for one (a withdrawn place may be given again).
const HOLDING = [...ON_ROSTER, 'WAITLISTED'];

function assignForm(task, { reload }) {
  const holding = new Set(task.assignments.filter((a) => HOLDING.includes(a.status)).map((a) => a.volunteer.id));
  const free = (task.groupMembers ?? []).filter((member) => !holding.has(member.user.id));
  if (!free.length) return h('p', { class: 'muted' }, 'Every active member of the group already has a place or is waiting.');
  const person = selectField({
    name: 'userId',
    label: 'Member',
    placeholder: 'Choose a member',
    options: free.map((member) => ({ value: member.user.id, label: member.user.displayName })),
    hint: 'They get a place while one is free, otherwise a place on the waiting list, and are told.',
    missing: 'Choose the member to assign.',
  });
  return createForm({
    label: 'Assign a volunteer',
    fields: [person],
    submitLabel: 'Assign',
    busyLabel: 'Assigning…',
    onSubmit: (values) => mutate('AssignVolunteer', { taskId: task.id, userId: values.userId }),
    onSuccess: ({ assignment }) =>
      reload(
        assignment.status === 'WAITLISTED'
          ? `${assignment.volunteer.displayName} is on the waiting list: every place is taken.`
          : `${assignment.volunteer.displayName} has a place on the task.`,
      ),
  });
}

function meta(assignment) {
  if (assignment.status === 'COMPLETED') return formatHours(assignment.hours);
  if (assignment.checkedInAt) return `Checked in ${formatTaskMoment(assignment.checkedInAt)}`;
  if (assignment.status === 'WAITLISTED') return `Waiting since ${formatTaskMoment(assignment.createdAt)}`;
  return null;
}

function volunteerRow(task, assignment, page) {
  const details = meta(assignment);
  return h(
    'li',
    { class: `roster-row roster-${assignment.status.toLowerCase().replaceAll('_', '-')}` },
    h(
      'div',
      { class: 'roster-head' },
      h('span', { class: 'roster-name' }, assignment.volunteer.displayName),
      assignmentBadge(assignment.status),
      details && h('span', { class: 'roster-meta' }, details),
    ),
    controls(task, assignment, page),
  );
}

export function rosterSection(task, page) {
  const byArrival = (a, b) => a.createdAt.localeCompare(b.createdAt);
  const placed = task.assignments.filter((assignment) => ON_ROSTER.includes(assignment.status)).sort(byArrival);
  const waiting = task.assignments.filter((assignment) => assignment.status === 'WAITLISTED').sort(byArrival);
  return h(
    'section',
    { class: 'card panel roster', 'aria-labelledby': 'roster-title' },
    h('h2', { id: 'roster-title' }, 'Roster ', h('span', { class: 'count-note' }, `(${placed.length} of ${task.slots})`)),
    h('p', { class: 'hint' }, 'Check volunteers in from an hour before the start, then record the hours each gave.'),
    placed.length
      ? h('ol', { class: 'roster-list', 'aria-label': 'Volunteers' }, placed.map((assignment) => volunteerRow(task, assignment, page)))
      : h('p', { class: 'muted' }, 'Nobody has signed up yet.'),
    h('h3', { id: 'waiting-title' }, `Waiting list (${waiting.length})`),
    waiting.length
      ? h('ol', { class: 'roster-list', 'aria-labelledby': 'waiting-title' }, waiting.map((assignment) => volunteerRow(task, assignment, page)))
      : h('p', { class: 'muted' }, 'Nobody is waiting.'),
    task.status !== 'CANCELLED' &&
      task.status !== 'FINISHED' && [h('h3', { id: 'assign-title' }, 'Assign a volunteer'), assignForm(task, page)],
  );
}
