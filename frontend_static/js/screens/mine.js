// My activity: the problems the signed-in person proposed, supports and follows, each with
// its status, its stage in plain words, and whether its answer is due or overdue.

import { append, emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { SARA_STAGES, formatDate, plural } from '../format.js';
import { request } from '../graphql.js';
import { pagedList } from '../paged-list.js';
import { AWAITING_RESPONSE, boardPath, markers, ownerName, problemPath, proposePath } from '../problems.js';

const PAGE = 10;

const LISTS = [
  {
    involvement: 'PROPOSED',
    title: 'My proposals',
    empty: ['You have not proposed anything yet', 'Raise a local problem, and its owner must answer it by a due date.'],
  },
  {
    involvement: 'SUPPORTED',
    title: 'Proposals I support',
    empty: ['You support no one else’s proposal yet', 'Supporting a proposal shows its owner how many people it matters to.'],
  },
  {
    involvement: 'FOLLOWING',
    title: 'Problems I follow',
    empty: ['You follow no one else’s problem yet', 'Follow a problem to hear of its answer and its progress.'],
  },
];

/** Whether the answer is still owed, overdue, or given: the words a resident looks for. */
function answerLine(problem) {
  if (problem.isResponseOverdue) {
    return h('span', { class: 'overdue-text' }, `Answer overdue: it was due ${formatDate(problem.responseDueAt)}`);
  }
  if (AWAITING_RESPONSE.includes(problem.status)) return h('span', {}, `Answer due by ${formatDate(problem.responseDueAt)}`);
  if (problem.firstRespondedAt) return h('span', {}, `Answered ${formatDate(problem.firstRespondedAt)}`);
  return null;
}

function card(problem) {
  return h(
    'li',
    { class: 'card problem-card' },
    h('div', { class: 'markers' }, markers(problem)),
    h('h3', { class: 'card-title' }, link(problemPath(problem.id), problem.title)),
    h('p', { class: 'card-meta' }, `${problem.area.name} · Owner: ${ownerName(problem)} · Stage: ${SARA_STAGES[problem.stage] ?? problem.stage}`),
    h('p', { class: 'problem-card-foot' }, answerLine(problem), h('span', {}, plural(problem.supportCount, 'supporter'))),
  );
}

function section(list, context) {
  const id = `mine-${list.involvement.toLowerCase()}`;
  const items = h('ul', { class: 'problem-list', 'aria-label': list.title });
  const count = h('span', { class: 'section-note' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading…'));
  const pages = pagedList({
    list: items,
    item: card,
    moreLabel: `Show more of ${list.title.toLowerCase()}`,
    focusIn: 'a',
    load: async (after) => {
      const data = await request('ViewerProblems', { involvement: list.involvement, first: PAGE, after });
      if (!data.viewer) {
        context.requireViewer();
        return null;
      }
      return data.viewer.problems;
    },
    onShow: ({ totalCount }) => {
      body.removeAttribute('aria-busy');
      count.textContent = totalCount ? plural(totalCount, 'problem') : '';
      if (pages.shown === 0) {
        const action = list.involvement === 'PROPOSED'
          ? link(proposePath(context.session.viewer?.homeArea?.id), 'Propose a problem', { class: 'button button-accent' })
          : link(boardPath(context.session.viewer?.homeArea?.id), 'Look at the problems board', { class: 'button button-secondary' });
        replaceChildren(body, emptyState(list.empty[0], list.empty[1], action));
      } else if (!body.contains(items)) {
        replaceChildren(body, items, pages.more);
      }
    },
  });
  const element = h(
    'section',
    { class: 'section', 'aria-labelledby': id },
    h('div', { class: 'section-head' }, h('h2', { id }, list.title), count),
    body,
  );
  return { element, ready: pages.next() };
}

export async function render(view, context) {
  context.setTitle('My activity');
  if (!context.requireViewer()) return;
  const sections = LISTS.map((list) => section(list, context));
  append(view, [
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'My activity'),
      h('p', { class: 'lead' }, 'What you proposed, support and follow, and whether each answer is due or overdue.'),
    ),
    sections.map((part) => part.element),
  ]);
  await Promise.all(sections.map((part) => part.ready));
}
