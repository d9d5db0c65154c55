// "Awaiting your answer": the proposals the signed-in officer or coordinator must answer,
// overdue first, then soonest due. Officers land here after signing in.

import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { formatDate, plural } from '../format.js';
import { request } from '../graphql.js';
import { pagedList } from '../paged-list.js';
import { problemCardHeading, problemPath } from '../problems.js';

const PAGE = 20;

function card(problem) {
  const due = problem.isResponseOverdue
    ? h('span', { class: 'overdue-text' }, `Answer was due ${formatDate(problem.responseDueAt)}`)
    : h('span', {}, `Answer due ${formatDate(problem.responseDueAt)}`);
  return h(
    'li',
    { class: 'card problem-card' },
    ...problemCardHeading(problem),
    h(
      'p',
      { class: 'problem-card-foot' },
      h('span', {}, `Proposed ${formatDate(problem.createdAt)}`),
      h('span', {}, plural(problem.supportCount, 'supporter')),
      due,
    ),
    h('p', {}, link(problemPath(problem.id), 'Answer this proposal', { class: 'button button-primary' })),
  );
}

/** "3 awaiting your answer, 1 overdue", as the header's count says it. */
export function queueSummary(counts) {
  if (!counts.awaiting) return 'Nothing awaits your answer.';
  const overdue = counts.overdue ? `, ${counts.overdue} overdue` : '';
  return `${plural(counts.awaiting, 'proposal')} awaiting your answer${overdue}.`;
}

export async function render(view, { session, setTitle, navigate }) {
  setTitle('Awaiting your answer');
  if (!session.viewer) {
    navigate('/sign-in?next=/queue', { replace: true });
    return;
  }
  const summary = h('p', { class: 'lead', 'aria-live': 'polite' });
  const list = h('ul', { class: 'problem-list', 'aria-label': 'Proposals awaiting your answer' });
  const results = h('div', { 'aria-busy': 'true' }, loading('Loading your queue…'));
  view.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Awaiting your answer'),
      h(
        'p',
        { class: 'section-note' },
        'Proposals your organisation owns, or made in an area you coordinate: overdue first, then the soonest due.',
      ),
      summary,
    ),
    results,
  );

  const pages = pagedList({
    list,
    item: card,
    moreLabel: 'Load more proposals',
    focusIn: 'a',
    load: async (after) => {
      const data = await request('ResponseQueue', { first: PAGE, after });
      const counts = data.viewer.responseQueueCounts;
      summary.textContent = queueSummary(counts);
      // The header's count follows what this page found.
      session.patch({ responseQueueCounts: counts });
      return data.viewer.responseQueue;
    },
    onShow: () => {
      results.removeAttribute('aria-busy');
      if (pages.shown === 0) {
        replaceChildren(
          results,
          emptyState(
            'Nothing awaits your answer',
            session.viewer.hasResponseQueue
              ? 'Every proposal you answer for has its answer. New ones appear here, and in your notifications.'
              : 'Proposals appear here for members of an organisation that owns them, and for area coordinators.',
            link('/problems', 'See the problems board', { class: 'button button-secondary' }),
          ),
        );
      } else if (!results.contains(list)) {
        replaceChildren(results, list, pages.more);
      }
    },
  });
  await pages.next();
}
