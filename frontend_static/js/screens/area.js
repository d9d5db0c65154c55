// One area: where it sits, how fast it must answer, who owns proposals made in it, and
// whether they get the answers they are owed.

import { accountabilityFigures } from '../accountability.js';
import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { PROBLEM_CATEGORIES, days, plural } from '../format.js';
import { request } from '../graphql.js';
import { boardPath, proposePath } from '../problems.js';
import { groupsSection } from './area/groups.js';
import { tasksSection } from './area/tasks.js';

function areaPath(area) {
  return `/areas/${encodeURIComponent(area.id)}`;
}

export async function render(view, { params, session, setTitle }) {
  setTitle('Area');
  const heading = h('h1', {}, 'Area');
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the area…'));
  view.append(crumbs, h('div', { class: 'page-head' }, heading), body);

  const [{ area }, figures] = await Promise.all([
    request('Area', { id: params.id }),
    request('AreaAccountability', { id: params.id }),
  ]);
  body.removeAttribute('aria-busy');
  if (!area) {
    heading.textContent = 'Area not found';
    setTitle('Area not found');
    replaceChildren(body, emptyState('There is no area at this address.', null, link('/', 'See all areas', { class: 'button button-primary' })));
    return;
  }

  setTitle(area.name);
  heading.textContent = area.name;
  replaceChildren(
    crumbs,
    h(
      'ol',
      {},
      h('li', {}, link('/', 'Areas')),
      area.parent && h('li', {}, link(areaPath(area.parent), area.parent.name)),
      h('li', {}, h('span', { 'aria-current': 'page' }, area.name)),
    ),
  );

  const facts = h(
    'dl',
    { class: 'facts' },
    h('div', { class: 'fact' }, h('dt', {}, 'Response time'), h('dd', {}, `Every proposal gets an official answer within ${days(area.responseDays)}`)),
    h('div', { class: 'fact' }, h('dt', {}, 'Part of'), h('dd', {}, area.parent ? link(areaPath(area.parent), area.parent.name) : 'Top-level area')),
    h('div', { class: 'fact' }, h('dt', {}, 'Smaller areas'), h('dd', {}, area.children.length ? plural(area.children.length, 'area') : 'None')),
    h(
      'div',
      { class: 'fact' },
      h('dt', {}, 'Coordinators'),
      h(
        'dd',
        { id: 'area-coordinators' },
        area.coordinators.length
          ? area.coordinators.map((person) => person.displayName).join(', ')
          : area.parent
            ? `Those of ${area.parent.name} and the areas above it`
            : 'None yet',
      ),
    ),
  );

  const children = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'children-title' },
    h('h2', { id: 'children-title' }, 'Areas within ', area.name),
    area.children.length
      ? h(
          'ul',
          { class: 'link-list' },
          area.children.map((child) => h('li', {}, link(areaPath(child), child.name))),
        )
      : h('p', { class: 'muted' }, `${area.name} is not divided into smaller areas.`),
  );

  const rules = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'rules-title' },
    h('h2', { id: 'rules-title' }, 'Who answers proposals here'),
    h('p', { class: 'hint' }, 'Proposals in each category are owned by an organisation, which must respond to them.'),
    area.routingRules.length
      ? h(
          'table',
          { class: 'table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Owned by'))),
          h(
            'tbody',
            {},
            area.routingRules.map((rule) =>
              h('tr', {}, h('th', { scope: 'row' }, PROBLEM_CATEGORIES[rule.category] ?? rule.category), h('td', {}, rule.organisation.name)),
            ),
          ),
        )
      : h(
          'p',
          { class: 'muted' },
          area.parent
            ? `No owners are set for ${area.name} itself; those set for ${area.parent.name} and the areas above it apply.`
            : `No owners are set for ${area.name} yet.`,
        ),
  );

  const actions = h(
    'p',
    { class: 'page-actions' },
    link(boardPath(area.id), `Problems in ${area.name}`, { class: 'button button-primary' }),
    link(proposePath(area.id), 'Propose a problem here', { class: 'button button-accent' }),
    session.viewer?.isAdmin &&
      link(`/admin?area=${encodeURIComponent(area.id)}`, 'Manage this area', { class: 'button button-secondary' }),
  );

  const accountability =
    figures.area &&
    h(
      'section',
      { class: 'card panel accountability', 'aria-labelledby': 'accountability-title' },
      h('h2', { id: 'accountability-title' }, 'How proposals here are answered'),
      h(
        'p',
        { class: 'hint' },
        `Every proposal made in ${area.name}${area.children.length ? ' and the areas within it' : ''}, judged by its first official answer.`,
      ),
      accountabilityFigures(figures.area.accountability),
    );

  const exportPath = (name) => `/export/areas/${encodeURIComponent(area.id)}/${name}.csv`;
  const exports = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'exports-title' },
    h('h2', { id: 'exports-title' }, 'Download the figures'),
    h(
      'p',
      { class: 'hint' },
      `Spreadsheet files (CSV) for ${area.name}${area.children.length ? ' and the areas within it' : ''}, with what you may see.`,
    ),
    h(
      'ul',
      { class: 'export-links' },
      h('li', {}, h('a', { href: exportPath('outcomes'), download: '' }, 'Outcome readings'), ': one row per reading of a measure'),
      h('li', {}, h('a', { href: exportPath('accountability'), download: '' }, 'Answers to proposals'), ': one row per proposal, answered on time or not'),
    ),
  );

  const groups = groupsSection(area);
  const tasks = tasksSection(area);
  replaceChildren(body, actions, facts, accountability, exports, groups, tasks, h('div', { class: 'two-columns' }, rules, children));
  await Promise.all([groups.load(), tasks.load()]);
}
