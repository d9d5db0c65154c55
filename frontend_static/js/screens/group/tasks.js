// The group's volunteer tasks, soonest first, the ones still to come before those over or
// cancelled; its active members add new ones here.

import { h } from '../../dom.js';
import { mutate } from '../../graphql.js';
import { formOnRequest } from '../../groups.js';
import { newTaskForm } from '../../task-form.js';
import { taskCard } from '../../tasks.js';

const COMING = ['OPEN', 'FULL'];

function taskList(id, tasks) {
  return h('ul', { class: 'task-list task-list-compact', 'aria-labelledby': id }, tasks.map((task) => taskCard(task, { level: 4, showGroup: false })));
}

export function tasksPanel(group, { reload }) {
  const bySoonest = (a, b) => a.startsAt.localeCompare(b.startsAt);
  const coming = group.tasks.filter((task) => COMING.includes(task.status)).sort(bySoonest);
  const past = group.tasks.filter((task) => !COMING.includes(task.status)).sort((a, b) => bySoonest(b, a));
  return h(
    'section',
    { class: 'card panel group-tasks', 'aria-labelledby': 'group-tasks-title' },
    h('h2', { id: 'group-tasks-title' }, 'Volunteer tasks ', h('span', { class: 'count-note' }, `(${coming.length} coming up)`)),
    h('p', { class: 'hint' }, 'Time people give in the real world: each task has places, and a waiting list once they are taken.'),
    h('h3', { id: 'coming-tasks-title' }, 'Coming up'),
    coming.length ? taskList('coming-tasks-title', coming) : h('p', { class: 'muted' }, 'No tasks coming up.'),
    past.length > 0 && [h('h3', { id: 'past-tasks-title' }, 'Over or cancelled'), taskList('past-tasks-title', past)],
    group.viewerCanCreateTask &&
      formOnRequest({
        label: 'Add a volunteer task…',
        build: (cancel) =>
          newTaskForm(group, {
            send: (input) => mutate('CreateVolunteerTask', input),
            onSuccess: ({ task }) => reload(`“${task.title}” is posted. People can sign up for it now.`),
            extraActions: [cancel],
          }),
      }),
  );
}
