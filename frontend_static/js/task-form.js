// The form that describes a volunteer task, for creating one from its group's page and for
// changing one from its own page. Times are typed in the service's time zone and sent in UTC;
// the server judges the rest (ends after it starts, not in the past, slots and length) and
// names every field at fault at once.

import { h } from './dom.js';
import { checkboxField, createForm, selectField, tagsField, textAreaField, textField, wholeNumber } from './forms.js';
import { serviceTimeZone, utcToZoned, zonedToUtc } from './tasks.js';

const NOT_A_TIME = 'Enter a date and a time, such as 5 December 2026 at 10:00';

/** The group's actions a task may serve: those not done with. */
function actionChoices(group) {
  return (group.actions ?? [])
    .filter((action) => action.status === 'PROPOSED' || action.status === 'ACTIVE')
    .map((action) => ({ value: action.id, label: action.title }));
}

function fields(group, task) {
  const zone = serviceTimeZone().replaceAll('_', ' ');
  const actions = actionChoices(group);
  return [
    textField({ name: 'title', label: 'Title', value: task?.title ?? '', autocomplete: 'off', missing: 'Enter a title for the task', hint: 'What volunteers will do, such as “Litter pick along the canal path”.' }),
    textAreaField({ name: 'description', label: 'Details', rows: 4, value: task?.description ?? '', missing: 'Say what the task involves', hint: 'What it involves, what to bring, and whom to ask for on the day.' }),
    h(
      'div',
      { class: 'date-range' },
      textField({ name: 'startsAt', label: 'Starts', type: 'datetime-local', value: task ? utcToZoned(task.startsAt) : '', hint: `${zone} time.`, missing: 'Enter when the task starts' }),
      textField({ name: 'endsAt', label: 'Ends', type: 'datetime-local', value: task ? utcToZoned(task.endsAt) : '', hint: `${zone} time.`, missing: 'Enter when the task ends' }),
    ),
    checkboxField({ name: 'remote', label: 'Done from home', checked: task?.remote ?? false, hint: 'A small task volunteers do wherever they are, such as phoning or writing.' }),
    textField({ name: 'location', label: 'Where', optional: true, value: task?.location ?? '', autocomplete: 'off', hint: 'Where volunteers meet, such as “Riverside Community Centre, main door”.' }),
    tagsField({ name: 'skills', label: 'Skills that help', values: task?.skills ?? [], hint: 'Press Enter after each one.', placeholder: 'First aid, driving, Polish…' }),
    textField({ name: 'slots', label: 'Volunteers needed', value: task ? String(task.slots) : '', inputmode: 'numeric', class: 'input-short', missing: 'Enter how many volunteers are needed', hint: 'Those who sign up once these places are taken join a waiting list.' }),
    !task &&
      actions.length > 0 &&
      selectField({ name: 'actionId', label: 'Part of the action', optional: true, placeholder: 'None: a task of the group', options: actions }),
  ];
}

/** What cannot be sent at all: times that are not times, a number that is not one. */
function check(values) {
  const faults = [];
  if (values.startsAt && zonedToUtc(values.startsAt) === undefined) faults.push({ field: 'startsAt', message: NOT_A_TIME });
  if (values.endsAt && zonedToUtc(values.endsAt) === undefined) faults.push({ field: 'endsAt', message: NOT_A_TIME });
  const slots = wholeNumber(values.slots);
  if (slots === undefined) faults.push({ field: 'slots', message: 'The number of volunteers must be a whole number, such as 6' });
  return faults;
}

/** The task's details as the API takes them, from the form's values. */
function details(values) {
  return {
    title: values.title,
    description: values.description,
    startsAt: zonedToUtc(values.startsAt),
    endsAt: zonedToUtc(values.endsAt),
    remote: values.remote,
    location: values.location.trim() || null,
    skills: values.skills,
    slots: wholeNumber(values.slots),
  };
}

/** Only what changed: an unchanged time or place must not tell the volunteers of a change. */
function changes(task, values) {
  const now = details(values);
  const changed = {};
  for (const [key, value] of Object.entries(now)) {
    const before = key === 'startsAt' || key === 'endsAt' ? new Date(task[key]).toISOString() : task[key];
    if (JSON.stringify(value) !== JSON.stringify(before ?? null)) changed[key] = value;
  }
  // Null leaves a detail as it was: a place taken away is sent as an empty one.
  if (changed.location === null) changed.location = '';
  return changed;
}

/** A form that creates a task in `group`; `send(input)` sends it. */
export function newTaskForm(group, { send, onSuccess, extraActions }) {
  return createForm({
    label: 'Add a volunteer task',
    fields: fields(group, null),
    submitLabel: 'Add the task',
    busyLabel: 'Adding…',
    extraActions,
    check,
    onSubmit: (values) => send({ groupId: group.id, actionId: values.actionId || null, ...details(values) }),
    onSuccess,
  });
}

/** A form that changes `task`; `send(input)` sends only what changed. */
export function editTaskForm(group, task, { send, onSuccess, extraActions }) {
  return createForm({
    label: 'Change the task',
    fields: fields(group, task),
    submitLabel: 'Save the changes',
    busyLabel: 'Saving…',
    extraActions,
    check,
    onSubmit: (values) => send({ taskId: task.id, ...changes(task, values) }),
    onSuccess,
  });
}
