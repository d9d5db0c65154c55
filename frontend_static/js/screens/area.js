// One area: where it sits, how fast it must answer, who owns proposals made in it, whether
// they get the answers they are owed, and how many people take part there, rung by rung.

import { accountabilityFigures } from '../accountability.js';
import { showError } from '../banner.js';
import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { PROBLEM_CATEGORIES, days, plural } from '../format.js';
import { request } from '../graphql.js';
import { boardPath, proposePath } from '../problems.js';
import { groupsSection } from './area/groups.js';
import { ladderSection } from './area/ladder.js';
import { tasksSection } from './area/tasks.js';

// The periods the figures can cover: all time, or the last so many days.
const PERIODS = [
  ['', 'All time'],
  ['365', 'The last 12 months'],
  ['90', 'The last 90 days'],
];

function periodChooser(choose) {
  const select = h(
    'select',
    { id: 'figures-period', class: 'input' },
    PERIODS.map(([value, label]) => h('option', { value }, label)),
  );
  select.addEventListener('change', () => {
    const back = Number(select.value);
    // The first day of the period, as the API's Date (UTC).
    const since = back ? new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10) : null;
    choose(since).catch(showError);
  });
  return h('div', { class: 'inline-field' }, h('label', { for: 'figures-period' }, 'Period'), select);
}

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
    h(
      'p',
      { class: 'hint' },
      'Proposals in each category are owned by an organisation, which must respond to them. A rule set on an area applies to the areas within it, unless they set their own.',
    ),
    area.routingRulesInForce.length
      ? h(
          'table',
          { class: 'table', id: 'rules-in-force' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Owned by')),
          ),
          h(
            'tbody',
            {},
            area.routingRulesInForce.map((rule) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, PROBLEM_CATEGORIES[rule.category] ?? rule.category),
                h(
                  'td',
                  {},
                  link(`/organisations/${encodeURIComponent(rule.organisation.id)}`, rule.organisation.name),
                  // Where the rule is set, under the owner: a third column would not fit a phone.
                  h(
                    'span',
                    { class: 'rule-origin' },
                    'Set for ',
                    rule.inherited ? [link(areaPath(rule.area), rule.area.name), ' (inherited)'] : `${area.name} itself`,
                  ),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, `No organisation owns proposals made in ${area.name}.`),
    h(
      'p',
      { class: 'hint' },
      area.routingRulesInForce.length < Object.keys(PROBLEM_CATEGORIES).length
        ? 'Proposals in any other category are answered by the coordinators of this area and of the areas above it.'
        : 'The coordinators of this area and of the areas above it may answer any proposal here too.',
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

  const shownFigures = h(
    'div',
    { 'aria-live': 'polite' },
    figures.area && accountabilityFigures(figures.area.accountability, { scope: { area: area.id } }),
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
        `Every proposal made in ${area.name}${area.children.length ? ' and the areas within it' : ''}, counted once: answered, or awaiting an answer. A referral to another organisation is not an answer; the proposal awaits the new owner's. Each figure links to the proposals it counts.`,
      ),
      periodChooser(async (since) => {
        const fresh = await request('AreaAccountability', { id: area.id, since });
        replaceChildren(shownFigures, accountabilityFigures(fresh.area.accountability, { scope: { area: area.id }, since }));
      }),
      shownFigures,
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
  const ladder = ladderSection(area);
  replaceChildren(body, actions, facts, accountability, ladder, exports, groups, tasks, h('div', { class: 'two-columns' }, rules, children));
  await Promise.all([groups.load(), tasks.load(), ladder.load()]);
}
