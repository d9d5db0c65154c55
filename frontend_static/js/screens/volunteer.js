// The volunteer page: tasks working groups need a hand with, soonest first, filtered by area
// (and the areas inside it), skills, from home or in person, dates and places free. The
// filters live in the address (`#/volunteer?area=…&skill=…`), so a search can be linked to.

import { allAreas, areaOptions } from '../choices.js';
import { h, link } from '../dom.js';
import { readTaskCriteria, taskCriteriaQuery, taskFinder } from '../task-finder.js';

export async function render(view, { query, setTitle, session }) {
  setTitle('Volunteer');
  const finder = taskFinder({
    criteria: readTaskCriteria(query),
    areaChoices: [],
    level: 2,
    onApply: (criteria) => {
      const search = taskCriteriaQuery(criteria);
      window.history.pushState(null, '', `#/volunteer${search ? `?${search}` : ''}`);
    },
  });
  view.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Volunteer'),
      h(
        'p',
        { class: 'lead' },
        'Give an hour or a morning: tasks the working groups need a hand with, in person or from home.',
        session.viewer && [' ', link('/profile', 'Your tasks and hours'), ' are on your profile.'],
      ),
    ),
    h('div', { class: 'board-layout' }, finder.filters, h('section', { class: 'board-results', 'aria-label': 'Tasks found' }, finder.results)),
  );
  const choices = allAreas().then((areas) => finder.setAreaChoices(areaOptions(areas)));
  await Promise.all([finder.load(), choices]);
}
