// Home: what Rungs is for, and the areas it covers.

import { append, emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { days, plural } from '../format.js';
import { request } from '../graphql.js';
import { nextStepsCard } from '../next-steps.js';
import { pagedList } from '../paged-list.js';
import { boardPath, proposePath } from '../problems.js';

const PAGE = 12;

const RUNGS = [
  ['Follow', 'Read updates on problems near you'],
  ['Talk', 'Comment and ask questions'],
  ['Turn up', 'Meetings, walkabouts, check-ins'],
  ['Propose', 'Raise a problem and rally support'],
  ['Volunteer', 'Give time to a task'],
  ['Co-design', 'Plan the answer with police and partners'],
];

const PROMISES = [
  [
    'Raise what matters',
    'Residents propose local problems and support each other’s. Police and partners see what the neighbourhood cares about most.',
  ],
  [
    'Every proposal answered',
    'Each proposal gets an owner and a due date. The answer is public: accepted, declined with a reason, or referred on.',
  ],
  [
    'Solve it together',
    'Working groups of residents, police and partner agencies plan the response, run volunteer tasks and check it worked.',
  ],
];

/** `level`: the hero's heading is the page's h1, unless the person's own area leads the page. */
function hero(viewer, level = 'h1') {
  return h(
    'section',
    { class: 'hero', 'aria-labelledby': 'home-title' },
    h(
      'div',
      { class: 'hero-text' },
      h('p', { class: 'eyebrow' }, 'Neighbourhood policing, designed together'),
      h(level, { id: 'home-title', class: 'hero-title' }, 'Safer streets start with people who take part'),
      h(
        'p',
        { class: 'lead' },
        'Rungs brings residents, police teams and partner agencies — councils, housing, fire, health and charities — ',
        'together to name local problems, agree what to do and see whether it worked.',
      ),
      h(
        'div',
        { class: 'hero-actions' },
        viewer
          ? [
              link('/profile', 'Your profile', { class: 'button button-accent' }),
              link('/notifications', 'Your notifications', { class: 'button button-ghost' }),
            ]
          : [
              link('/register', 'Join your neighbourhood', { class: 'button button-accent' }),
              link('/sign-in', 'Sign in', { class: 'button button-ghost' }),
            ],
      ),
    ),
    h(
      'div',
      { class: 'ladder-card' },
      h('p', { class: 'ladder-title', id: 'ladder-title' }, 'Take part at the level you choose'),
      h(
        'ol',
        { class: 'ladder', reversed: true, 'aria-labelledby': 'ladder-title' },
        [...RUNGS].reverse().map(([name, text], index) => {
          const rung = h('li', { class: 'rung' }, h('span', { class: 'rung-name' }, name), h('span', { class: 'rung-text' }, text));
          // Set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
          rung.style.setProperty('--rung', String(RUNGS.length - index));
          return rung;
        }),
      ),
    ),
  );
}

function promises() {
  return h(
    'section',
    { class: 'promises', 'aria-label': 'How Rungs works' },
    h(
      'ul',
      { class: 'promise-list' },
      PROMISES.map(([title, text], index) =>
        h(
          'li',
          { class: 'promise' },
          h('span', { class: 'promise-number', 'aria-hidden': 'true' }, String(index + 1)),
          h('h2', { class: 'promise-title' }, title),
          h('p', {}, text),
        ),
      ),
    ),
  );
}

function areaCard(area) {
  return h(
    'li',
    {},
    h(
      'a',
      { class: 'card card-link area-card', href: `#/areas/${encodeURIComponent(area.id)}` },
      h('span', { class: 'card-title' }, area.name),
      h('span', { class: 'card-meta' }, area.parent ? `Part of ${area.parent.name}` : 'Top-level area'),
      h('span', { class: 'pill' }, `Answers within ${days(area.responseDays)}`),
    ),
  );
}

function areasSection() {
  const list = h('ul', { class: 'card-grid', id: 'area-list' });
  const summary = h('p', { class: 'section-note', 'aria-live': 'polite' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading areas…'));
  const section = h(
    'section',
    { class: 'section', 'aria-labelledby': 'areas-title' },
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'areas-title' }, 'Areas'),
      summary,
    ),
    h('p', { class: 'section-intro' }, 'Each area has its own response time. Choose one to see who answers proposals there.'),
    body,
  );

  const pages = pagedList({
    list,
    item: areaCard,
    moreLabel: 'Show more areas',
    focusIn: 'a',
    load: async (after) => (await request('Areas', { first: PAGE, after })).areas,
    onShow: ({ totalCount }) => {
      summary.textContent = totalCount ? `Showing ${pages.shown} of ${plural(totalCount, 'area')}` : '';
    },
  });

  const ready = pages.next().then(() => {
    body.removeAttribute('aria-busy');
    if (pages.shown === 0) {
      replaceChildren(body, emptyState('No areas yet', 'A platform administrator creates the areas Rungs covers.'));
    } else {
      replaceChildren(body, list, pages.more);
    }
  });
  return { section, ready };
}

/** Where a person with a home area starts: their area, its board, and their own activity. */
function homeAreaSection(area) {
  return h(
    'section',
    { class: 'card panel home-area', 'aria-labelledby': 'home-area-title' },
    h('p', { class: 'home-area-label' }, 'Your area'),
    h('h1', { id: 'home-area-title' }, area.name),
    h(
      'div',
      { class: 'hero-actions' },
      link(boardPath(area.id), `Problems in ${area.name}`, { class: 'button button-primary' }),
      link(`/areas/${encodeURIComponent(area.id)}`, 'About the area', { class: 'button button-secondary' }),
      link(proposePath(area.id), 'Propose a problem', { class: 'button button-secondary' }),
      link('/mine', 'My activity', { class: 'button button-quiet' }),
    ),
  );
}

export async function render(view, { session, setTitle }) {
  setTitle('Neighbourhood policing, together');
  const areas = areasSection();
  const viewer = session.viewer;
  const homeArea = viewer?.homeArea;
  // The signed-in see where they stand and what they could do next, before the introduction.
  const steps = viewer ? nextStepsCard(viewer) : null;
  // Someone with a home area starts there; the introduction follows.
  append(view, homeArea ? [homeAreaSection(homeArea), steps?.card, hero(viewer, 'h2')] : [steps?.card, hero(viewer)]);
  append(view, [promises(), areas.section]);
  await Promise.all([areas.ready, steps?.ready]);
}
