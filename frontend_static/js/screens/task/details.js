// What the task is: when (in the service's time zone), where, the skills that help, the group
// and action it serves, and what it involves.

import { h, link } from '../../dom.js';
import { groupPath } from '../../groups.js';
import { formatHours, formatTaskTime, taskHours } from '../../tasks.js';

function fact(term, ...details) {
  return h('div', { class: 'fact-row' }, h('dt', {}, term), h('dd', {}, details));
}

export function detailsCard(task) {
  return h(
    'section',
    { class: 'card panel task-details', 'aria-labelledby': 'task-details-title' },
    h('h2', { id: 'task-details-title' }, 'About the task'),
    h(
      'dl',
      { class: 'fact-list', id: 'task-facts' },
      fact('When', h('time', { datetime: task.startsAt }, formatTaskTime(task.startsAt, task.endsAt)), h('span', { class: 'fact-note' }, formatHours(taskHours(task)))),
      fact('Where', task.remote ? 'From home' : task.location || 'To be confirmed', task.remote && task.location && h('span', { class: 'fact-note' }, task.location)),
      task.skills.length > 0 && fact('Skills that help', task.skills.join(', ')),
      fact('Working group', link(groupPath(task.group.id), task.group.name)),
      task.action && fact('Part of the action', task.action.title),
    ),
    h('h3', {}, 'What it involves'),
    h('p', { class: 'task-description' }, task.description),
  );
}
