// The volunteer tasks of an area and the areas inside it, soonest first, with the filters of
// the volunteer page but this area fixed.

import { h, link } from '../../dom.js';
import { readTaskCriteria, taskFinder } from '../../task-finder.js';
import { volunteerPath } from '../../tasks.js';

export function tasksSection(area) {
  const finder = taskFinder({ criteria: readTaskCriteria(new URLSearchParams()), areaId: area.id, label: `Volunteer tasks in ${area.name}` });
  const section = h(
    'section',
    { class: 'card panel area-tasks', 'aria-labelledby': 'area-tasks-title' },
    h('h2', { id: 'area-tasks-title' }, 'Volunteer tasks'),
    h(
      'p',
      { class: 'hint' },
      `Tasks the working groups of ${area.name}${area.children.length ? ' and the areas within it' : ''} need a hand with. `,
      link(volunteerPath(area.id), 'Open on the volunteer page'),
    ),
    h('div', { class: 'area-tasks-layout' }, finder.filters, finder.results),
  );
  section.load = () => finder.load();
  return section;
}
