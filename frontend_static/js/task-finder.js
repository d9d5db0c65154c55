// Finding volunteer tasks: filters (area and the areas inside it, skills, from home or in
// person, dates, places free) over a list shown a page at a time, soonest first. The volunteer
// page and an area's page both use it; the volunteer page keeps the filters in its address.

import { showError } from './banner.js';
import { emptyState, h, loading, replaceChildren, uniqueId } from './dom.js';
import { plural } from './format.js';
import { clearFieldError, selectField, setFieldError, textField } from './forms.js';
import { request } from './graphql.js';
import { pagedList } from './paged-list.js';
import { dayStart, knowTimeZone, nextDay, taskCard, today } from './tasks.js';

const PAGE = 20;
const WHERE = { '': 'In person or from home', 'in-person': 'In person', remote: 'From home' };

/** What an address asks for, keeping only values the filters know. */
export function readTaskCriteria(query) {
  const where = query.get('where') ?? '';
  const day = (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value ?? '') ? value : '');
  return {
    area: query.get('area') ?? '',
    skills: query.getAll('skill').filter(Boolean),
    where: where in WHERE ? where : '',
    from: day(query.get('from')),
    to: day(query.get('to')),
    openOnly: query.get('open') === '1',
  };
}

export function taskCriteriaQuery(criteria) {
  const query = new URLSearchParams();
  if (criteria.area) query.set('area', criteria.area);
  for (const skill of criteria.skills) query.append('skill', skill);
  if (criteria.where) query.set('where', criteria.where);
  if (criteria.from) query.set('from', criteria.from);
  if (criteria.to) query.set('to', criteria.to);
  if (criteria.openOnly) query.set('open', '1');
  return query.toString();
}

function isFiltered(criteria) {
  return Boolean(criteria.skills.length || criteria.where || criteria.from || criteria.to || criteria.openOnly);
}

/** The API's filter: from today on (tasks under way included) unless a first day is given. */
function filterOf(criteria, areaId) {
  return {
    areaId: areaId || criteria.area || null,
    skills: criteria.skills.length ? criteria.skills : null,
    remote: criteria.where === 'remote' ? true : criteria.where === 'in-person' ? false : null,
    startsAfter: dayStart(criteria.from || today()),
    startsBefore: criteria.to ? dayStart(nextDay(criteria.to)) : null,
    openOnly: criteria.openOnly || null,
  };
}

/**
 * `areaId` fixes the area (an area's page); otherwise `areas` are the chooser's options.
 * `onApply(criteria)` follows each change of the filters. Answers `{ filters, results, load }`.
 */
export function taskFinder({ criteria: initial, areaId = null, areaChoices = null, onApply = () => {}, level = 3, label = 'Volunteer tasks' }) {
  let criteria = initial;
  const area =
    areaChoices &&
    selectField({ name: 'area', label: 'Area', placeholder: 'All areas', required: false, options: areaChoices, value: criteria.area });
  const skills = textField({
    name: 'skills',
    label: 'Skills',
    type: 'search',
    required: false,
    autocomplete: 'off',
    value: criteria.skills.join(', '),
    hint: 'Tasks asking for any of these; separate them with commas.',
  });
  const where = selectField({
    name: 'where',
    label: 'Where',
    options: Object.entries(WHERE).map(([value, text]) => ({ value, label: text })),
    value: criteria.where,
  });
  const from = textField({ name: 'from', label: 'From', type: 'date', required: false, value: criteria.from, class: 'input-short', hint: 'Today when left empty.' });
  const to = textField({ name: 'to', label: 'Until', type: 'date', required: false, value: criteria.to, class: 'input-short' });
  const openId = uniqueId('open-only');
  const openOnly = h('input', { type: 'checkbox', id: openId, checked: criteria.openOnly });

  const filters = h(
    'form',
    { class: 'card panel filters task-filters', 'aria-label': `Filter ${label[0].toLowerCase()}${label.slice(1)}`, role: 'search', novalidate: true },
    area,
    skills,
    where,
    h('div', { class: 'date-range' }, from, to),
    h('div', { class: 'inline-check' }, openOnly, h('label', { for: openId }, 'Only tasks with a place free')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Find tasks')),
  );

  const summary = h('p', { class: 'section-note', 'aria-live': 'polite' });
  const list = h('ul', { class: 'task-list', 'aria-label': label });
  const results = h('div', { class: 'task-results', 'aria-busy': 'true' }, loading('Loading tasks…'));

  const pages = pagedList({
    list,
    item: (task) => taskCard(task, { level }),
    moreLabel: 'Show more tasks',
    focusIn: 'a',
    load: async (after) => {
      await knowTimeZone();
      return (await request('VolunteerTasks', { filter: filterOf(criteria, areaId), first: PAGE, after })).volunteerTasks;
    },
    onShow: ({ totalCount }) => {
      summary.textContent = totalCount ? `Showing ${pages.shown} of ${plural(totalCount, 'task')}` : 'No tasks';
      results.removeAttribute('aria-busy');
      if (pages.shown === 0) {
        replaceChildren(
          results,
          isFiltered(criteria)
            ? emptyState('No tasks match these filters', 'Try fewer filters, or other dates.')
            : emptyState('No volunteer tasks coming up', 'Working groups post tasks here when they need a hand.'),
        );
      } else if (!results.contains(list)) {
        replaceChildren(results, list, pages.more);
      }
    },
  });

  function apply() {
    for (const field of [from, to]) clearFieldError(field);
    const next = {
      area: area ? area.read() : criteria.area,
      skills: skills
        .read()
        .split(',')
        .map((skill) => skill.trim())
        .filter(Boolean),
      where: where.read(),
      from: from.read(),
      to: to.read(),
      openOnly: openOnly.checked,
    };
    if (next.from && next.to && next.to < next.from) {
      setFieldError(to, 'The last day must be on or after the first day.');
      to.control.focus();
      return;
    }
    criteria = next;
    onApply(criteria);
    // Pages of the old filters still on their way are dropped by the reset.
    pages.reset();
    results.setAttribute('aria-busy', 'true');
    replaceChildren(results, loading('Loading tasks…'));
    pages.next().catch(showError);
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  // Choices apply at once; typed skills wait for Enter or the button.
  filters.addEventListener('change', (event) => {
    if (event.target !== skills.control) apply();
  });

  return {
    filters,
    results: h('div', { class: 'task-found' }, summary, results),
    load: () => pages.next(),
    setAreaChoices: (choices) => area?.setOptions(choices, criteria.area),
  };
}
