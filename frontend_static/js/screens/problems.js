// The problems board: every problem the viewer may see, filtered and ordered, as a list or
// on a map. The filters and the view live in the address
// (`#/problems?area=…&owner=…&status=…&q=…&view=map`), so a board can be linked to. The
// accountability figures link here with the filters that select what each counts (`since`,
// `referred`, `due`, `onTime`, `reason`): those have no control, but are kept, named above the
// results, until cleared. On a phone the results come first and the filters wait behind a button.

import { showError } from '../banner.js';
import { emptyState, h, link, loading, replaceChildren, uniqueId } from '../dom.js';
import { allAreas, allOrganisations, areaOptions, organisationOptions } from '../choices.js';
import { DECLINE_REASONS, PROBLEM_CATEGORIES, PROBLEM_ORDERS, PROBLEM_STATUSES, formatDate, formatDay, plural } from '../format.js';
import { clearFieldError, selectField, setFieldError, textField } from '../forms.js';
import { request } from '../graphql.js';
import { problemsMap } from '../map.js';
import { pagedList } from '../paged-list.js';
import { AWAITING_RESPONSE, problemCardHeading, proposePath } from '../problems.js';
import { loadSite } from '../site.js';

const PAGE = 20;
// The map shows this many of the problems in view, the API's largest page.
const ON_THE_MAP = 100;
// The API looks for at most this many words.
const MAX_SEARCH_WORDS = 8;

/** What the address asks for, keeping only values the API knows. */
function readCriteria(query) {
  const order = query.get('order');
  return {
    area: query.get('area') ?? '',
    statuses: query.getAll('status').filter((status) => status in PROBLEM_STATUSES),
    categories: query.getAll('category').filter((category) => category in PROBLEM_CATEGORIES),
    search: query.get('q') ?? '',
    overdue: query.get('overdue') === '1',
    order: order in PROBLEM_ORDERS ? order : 'NEWEST',
    owner: query.get('owner') ?? '',
    figures: readFigureCriteria(query),
    view: query.get('view') === 'map' ? 'map' : 'list',
  };
}

/** The filters the accountability figures link with (see accountability.js). */
function readFigureCriteria(query) {
  const since = query.get('since') ?? '';
  const flag = (name) => (query.get(name) === '1' ? true : query.get(name) === '0' ? false : null);
  return {
    since: /^\d{4}-\d{2}-\d{2}$/.test(since) ? since : '',
    referred: flag('referred'),
    due: flag('due'),
    onTime: flag('onTime'),
    reasons: query.getAll('reason').filter((reason) => reason in DECLINE_REASONS),
  };
}

function figureQuery(figures, query) {
  if (figures.since) query.set('since', figures.since);
  for (const name of ['referred', 'due', 'onTime']) {
    if (figures[name] !== null) query.set(name, figures[name] ? '1' : '0');
  }
  for (const reason of figures.reasons) query.append('reason', reason);
}

function hasFigureCriteria(figures) {
  return Boolean(figures.since || figures.referred !== null || figures.due !== null || figures.onTime !== null || figures.reasons.length);
}

/** The figure filters in words, for the line above the results. */
function describeFigures(figures) {
  const words = [];
  if (figures.since) words.push(`proposed since ${formatDay(figures.since)}`);
  if (figures.referred !== null) words.push(figures.referred ? 'referred at least once' : 'never referred');
  if (figures.due !== null) words.push(figures.due ? 'answer due: answered or overdue' : 'answer not yet due');
  if (figures.onTime !== null) words.push(figures.onTime ? 'answered on time' : 'not answered on time');
  if (figures.reasons.length) words.push(`declined as: ${figures.reasons.map((reason) => DECLINE_REASONS[reason]).join(', ')}`);
  return words.join('; ');
}

function addressOf(criteria) {
  const query = new URLSearchParams();
  if (criteria.area) query.set('area', criteria.area);
  if (criteria.owner) query.set('owner', criteria.owner);
  for (const status of criteria.statuses) query.append('status', status);
  for (const category of criteria.categories) query.append('category', category);
  if (criteria.search) query.set('q', criteria.search);
  if (criteria.overdue) query.set('overdue', '1');
  if (criteria.order !== 'NEWEST') query.set('order', criteria.order);
  figureQuery(criteria.figures, query);
  if (criteria.view === 'map') query.set('view', 'map');
  const search = query.toString();
  return search ? `/problems?${search}` : '/problems';
}

function filterOf(criteria) {
  return {
    areaId: criteria.area || null,
    ownerId: criteria.owner || null,
    proposedSince: criteria.figures.since || null,
    referred: criteria.figures.referred,
    answerDue: criteria.figures.due,
    answeredOnTime: criteria.figures.onTime,
    declineReasons: criteria.figures.reasons.length ? criteria.figures.reasons : null,
    statuses: criteria.statuses.length ? criteria.statuses : null,
    categories: criteria.categories.length ? criteria.categories : null,
    search: criteria.search || null,
    responseOverdue: criteria.overdue ? true : null,
  };
}

function isFiltered(criteria) {
  return Boolean(
    criteria.area ||
      criteria.owner ||
      criteria.statuses.length ||
      criteria.categories.length ||
      criteria.search ||
      criteria.overdue ||
      hasFigureCriteria(criteria.figures),
  );
}

/** A group of checkboxes, one per value, for filters that take several values at once. */
function checkboxGroup({ name, legend, labels, chosen }) {
  const boxes = Object.entries(labels).map(([value, label]) => {
    const id = uniqueId(`filter-${name}`);
    return h(
      'div',
      { class: 'inline-check' },
      h('input', { type: 'checkbox', id, name, value, checked: chosen.includes(value) }),
      h('label', { for: id }, label),
    );
  });
  const group = h('fieldset', { class: 'filter-group' }, h('legend', {}, legend), h('div', { class: 'filter-options' }, boxes));
  group.read = () => [...group.querySelectorAll('input:checked')].map((box) => box.value);
  return group;
}

function card(problem) {
  const awaiting = AWAITING_RESPONSE.includes(problem.status);
  let timing;
  if (problem.isResponseOverdue) {
    timing = `Response was due ${formatDate(problem.responseDueAt)}`;
  } else if (awaiting) {
    timing = `Response due ${formatDate(problem.responseDueAt)}`;
  } else if (problem.firstRespondedAt) {
    timing = `Answered ${formatDate(problem.firstRespondedAt)}`;
  }
  return h(
    'li',
    { class: 'card problem-card' },
    ...problemCardHeading(problem),
    h(
      'p',
      { class: 'problem-card-foot' },
      h('span', {}, plural(problem.supportCount, 'supporter')),
      h('span', {}, plural(problem.commentCount, 'comment')),
      timing && h('span', { class: problem.isResponseOverdue ? 'overdue-text' : null }, timing),
    ),
  );
}

export async function render(view, { query, setTitle, session }) {
  setTitle('Problems');
  let criteria = readCriteria(query);

  const propose = link(proposePath(criteria.area), 'Propose a problem', { class: 'button button-accent' });
  const search = textField({
    name: 'q',
    label: 'Search',
    type: 'search',
    value: criteria.search,
    required: false,
    autocomplete: 'off',
    hint: 'Words in the title or the description.',
  });
  const area = selectField({ name: 'area', label: 'Area', placeholder: 'All areas', required: false, value: criteria.area });
  const owner = selectField({
    name: 'owner',
    label: 'Owned by',
    placeholder: 'Any organisation',
    required: false,
    value: criteria.owner,
    hint: 'The organisation that must answer, or answered.',
  });
  const statuses = checkboxGroup({ name: 'status', legend: 'Status', labels: PROBLEM_STATUSES, chosen: criteria.statuses });
  const categories = checkboxGroup({ name: 'category', legend: 'Category', labels: PROBLEM_CATEGORIES, chosen: criteria.categories });
  const overdue = h('input', { type: 'checkbox', id: 'overdue-only', checked: criteria.overdue });
  const order = h(
    'select',
    { id: 'problem-order', class: 'input' },
    Object.entries(PROBLEM_ORDERS).map(([value, label]) => h('option', { value }, label)),
  );
  order.value = criteria.order;

  const filters = h(
    'form',
    { class: 'card panel filters', id: 'problem-filters', 'aria-label': 'Filter problems', role: 'search' },
    search,
    area,
    owner,
    h('div', { class: 'inline-check filter-overdue' }, overdue, h('label', { for: 'overdue-only' }, 'Overdue only')),
    statuses,
    categories,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, 'Apply filters'),
      h('a', { href: '#/problems', class: 'button button-quiet' }, 'Clear filters'),
    ),
  );

  const summary = h('p', { class: 'section-note', 'aria-live': 'polite' });
  const figureNote = h('p', { class: 'section-note figure-filters' });
  const showFigureNote = () => {
    figureNote.hidden = !hasFigureCriteria(criteria.figures);
    figureNote.textContent = figureNote.hidden ? '' : `Counted by an accountability figure: ${describeFigures(criteria.figures)}.`;
  };
  showFigureNote();
  const list = h('ul', { class: 'problem-list', 'aria-label': 'Problems' });
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading problems…'));
  const mapView = h('div', { class: 'board-map', hidden: true });

  // Shown on narrow screens only (the stylesheet hides the filters there until it is pressed).
  const filtersButton = h(
    'button',
    { type: 'button', class: 'button button-secondary filters-toggle', 'aria-expanded': 'false', 'aria-controls': filters.id },
    'Filters',
  );
  const viewButtons = ['list', 'map'].map((view) =>
    h('button', { type: 'button', class: 'view-choice', 'aria-pressed': String(criteria.view === view), dataset: { view } }, view === 'list' ? 'List' : 'Map'),
  );
  const viewChoice = h('div', { class: 'view-switch', role: 'group', 'aria-label': 'Show the problems as' }, viewButtons);

  view.append(
    h(
      'div',
      { class: 'page-head page-head-actions' },
      h(
        'div',
        {},
        h('h1', {}, 'Problems'),
        h('p', { class: 'lead' }, 'Local problems residents proposed, and how police and partners answered them.'),
      ),
      propose,
    ),
    h(
      'div',
      { class: 'board-layout folding-filters' },
      h('div', { class: 'filters-bar' }, filtersButton),
      filters,
      h(
        'section',
        { class: 'board-results', 'aria-label': 'Results' },
        h(
          'div',
          { class: 'toolbar' },
          summary,
          h('div', { class: 'toolbar-choices' }, viewChoice, h('div', { class: 'inline-field' }, h('label', { for: 'problem-order' }, 'Order'), order)),
        ),
        figureNote,
        results,
        mapView,
      ),
    ),
  );

  const layout = view.querySelector('.board-layout');
  filtersButton.addEventListener('click', () => {
    const open = filtersButton.getAttribute('aria-expanded') !== 'true';
    filtersButton.setAttribute('aria-expanded', String(open));
    layout.classList.toggle('filters-open', open);
    if (open) search.control.focus();
  });

  /** The problems in view on the map, fetched afresh for the criteria; the list stays as it is. */
  let mapGeneration = 0;
  async function drawMap() {
    const mine = ++mapGeneration;
    mapView.setAttribute('aria-busy', 'true');
    replaceChildren(mapView, loading('Loading the map…'));
    const [site, data] = await Promise.all([loadSite(), request('Problems', { filter: filterOf(criteria), orderBy: criteria.order, first: ON_THE_MAP })]);
    if (mine !== mapGeneration) return;
    const problems = data.problems.edges.map((edge) => edge.node);
    const placed = problems.filter((problem) => problem.location).length;
    let words = `${placed} of the ${plural(data.problems.totalCount, 'problem')} in view ${placed === 1 ? 'has' : 'have'} a place on the map.`;
    if (data.problems.totalCount > problems.length) words += ` The map shows the first ${ON_THE_MAP}.`;
    mapView.removeAttribute('aria-busy');
    replaceChildren(
      mapView,
      h('p', { class: 'section-note' }, words, ' ', h('button', { type: 'button', class: 'button button-quiet button-small', onclick: () => showView('list', { focus: true }) }, 'Show them as a list')),
      site.map ? problemsMap(site.map, problems) : h('p', { class: 'notice' }, 'This site shows no maps. The list shows every problem.'),
    );
  }

  function showView(view, { focus = false, record = true } = {}) {
    criteria = { ...criteria, view };
    for (const button of viewButtons) button.setAttribute('aria-pressed', String(button.dataset.view === view));
    results.hidden = view === 'map';
    mapView.hidden = view !== 'map';
    if (record) window.history.pushState(null, '', `#${addressOf(criteria)}`);
    if (view === 'map') drawMap().catch(showError);
    if (focus) viewButtons.find((button) => button.dataset.view === view).focus();
  }
  for (const button of viewButtons) button.addEventListener('click', () => showView(button.dataset.view));

  let areasReady = false;
  let ownersReady = false;

  const pages = pagedList({
    list,
    item: card,
    moreLabel: 'Load more problems',
    focusIn: 'a',
    load: async (after) => {
      const data = await request('Problems', {
        filter: filterOf(criteria),
        orderBy: criteria.order,
        first: PAGE,
        after,
      });
      return data.problems;
    },
    onShow: ({ totalCount }) => {
      summary.textContent = totalCount ? `Showing ${pages.shown} of ${plural(totalCount, 'problem')}` : 'No problems';
      results.removeAttribute('aria-busy');
      if (pages.shown === 0) {
        replaceChildren(
          results,
          isFiltered(criteria)
            ? emptyState('No problems match these filters', 'Try fewer filters, or other words.', link('/problems', 'Clear filters', { class: 'button button-secondary' }))
            : emptyState(
                'No problems yet',
                'Residents propose the local problems they want police and partners to work on.',
                session.viewer && link(proposePath(criteria.area), 'Propose a problem', { class: 'button button-primary' }),
              ),
        );
      } else if (!results.contains(list)) {
        replaceChildren(results, list, pages.more);
      }
    },
  });

  /** Shows the board for new criteria, and records them in the address without a reload. */
  function apply() {
    clearFieldError(search);
    if (search.read().trim().split(/\s+/).length > MAX_SEARCH_WORDS) {
      setFieldError(search, `Search for at most ${MAX_SEARCH_WORDS} words.`);
      search.control.focus();
      return;
    }
    criteria = {
      // Until the areas arrive, the chooser cannot show the area the address named.
      area: areasReady ? area.read() : criteria.area,
      owner: ownersReady ? owner.read() : criteria.owner,
      statuses: statuses.read(),
      categories: categories.read(),
      search: search.read().trim(),
      overdue: overdue.checked,
      order: order.value,
      // No control sets these: they stay until "Clear filters".
      figures: criteria.figures,
      view: criteria.view,
    };
    showFigureNote();
    window.history.pushState(null, '', `#${addressOf(criteria)}`);
    propose.setAttribute('href', `#${proposePath(criteria.area)}`);
    // Pages of the old criteria still on their way are dropped by the reset.
    pages.reset();
    results.setAttribute('aria-busy', 'true');
    replaceChildren(results, loading('Loading problems…'));
    pages.next().catch(showError);
    if (criteria.view === 'map') drawMap().catch(showError);
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  // Choices apply at once; typed words wait for Enter or the button.
  filters.addEventListener('change', (event) => {
    if (event.target !== search.control) apply();
  });
  order.addEventListener('change', apply);

  const choices = allAreas().then((areas) => {
    area.setOptions(areaOptions(areas), criteria.area);
    areasReady = true;
  });
  const owners = allOrganisations().then((organisations) => {
    owner.setOptions(organisationOptions(organisations), criteria.owner);
    ownersReady = true;
  });
  if (criteria.view === 'map') showView('map', { record: false });
  await Promise.all([pages.next(), choices, owners]);
}
