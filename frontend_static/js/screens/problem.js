// One problem: what was proposed, the official answers and updates, and the conversation.
// Each part of the page is its own module under problem/; this one fetches the problem and
// lays them out. What the viewer may do comes with the problem (its viewerCan… fields),
// from the server's own rules.

import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { PROBLEM_CATEGORIES, formatDate } from '../format.js';
import { request } from '../graphql.js';
import { boardPath, markers } from '../problems.js';
import { answerPanel, answersFor } from './problem/answer.js';
import { commentsSection } from './problem/comments.js';
import { descriptionCard, factsCard } from './problem/facts.js';
import { takePartCard } from './problem/participation.js';
import { measuresSection } from './problem/measures.js';
import { resolutionSection } from './problem/resolution.js';
import { historySection } from './problem/updates.js';

export async function render(view, context) {
  const { params, session, setTitle } = context;
  setTitle('Problem');
  const viewer = session.viewer;
  const heading = h('h1', {}, 'Problem');
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' });
  const badges = h('div', { class: 'markers' });
  const lead = h('p', { class: 'lead' });
  const notice = h('div', { class: 'page-notice', role: 'status', tabindex: '-1' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the problem…'));
  view.append(crumbs, h('div', { class: 'page-head' }, badges, heading, lead), notice, body);

  // What it is and how it is answered, and whether it got better: fetched side by side.
  const fetchBoth = (id) => Promise.all([request('Problem', { id }), request('ProblemOutcomes', { id })]);
  const [data, outcomes] = await fetchBoth(params.id);
  body.removeAttribute('aria-busy');
  if (!data.problem) {
    heading.textContent = 'Problem not found';
    setTitle('Problem not found');
    replaceChildren(
      body,
      emptyState(
        'There is no problem at this address.',
        viewer ? 'It may have been removed, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
        link('/problems', 'See all problems', { class: 'button button-primary' }),
      ),
    );
    return;
  }

  const page = {
    viewer,
    notice,
    /** Fetches the problem again and draws it afresh, after an answer that changes its history. */
    async reload(message) {
      const [fresh, freshOutcomes] = await fetchBoth(data.problem.id);
      if (!fresh.problem || !freshOutcomes.problem) {
        replaceChildren(body, emptyState('This problem is no longer there.', null, link('/problems', 'See all problems', { class: 'button button-primary' })));
        return;
      }
      draw(fresh.problem, freshOutcomes.problem);
      replaceChildren(notice, h('p', {}, message));
      notice.focus();
    },
  };

  function draw(problem, problemOutcomes) {
    setTitle(problem.title);
    heading.textContent = problem.title;
    replaceChildren(badges, markers(problem));
    replaceChildren(
      lead,
      `${PROBLEM_CATEGORIES[problem.category] ?? problem.category} in `,
      link(`/areas/${encodeURIComponent(problem.area.id)}`, problem.area.name),
      `, proposed by ${problem.proposer.displayName} on ${formatDate(problem.createdAt)}.`,
    );
    replaceChildren(
      crumbs,
      h(
        'ol',
        {},
        h('li', {}, link('/problems', 'Problems')),
        h('li', {}, link(boardPath(problem.area.id), problem.area.name)),
        h('li', {}, h('span', { 'aria-current': 'page' }, problem.title)),
      ),
    );
    replaceChildren(
      body,
      h(
        'div',
        { class: 'problem-layout' },
        // Where it stands comes first: on a narrow screen it is what shows under the title.
        h('div', { class: 'problem-side' }, factsCard(problem), takePartCard(problem, page)),
        h(
          'div',
          { class: 'problem-main' },
          descriptionCard(problem),
          // Once closed, how it ended leads; while open, whether it is getting better does.
          problemOutcomes.resolution
            ? [resolutionSection(problemOutcomes, page), measuresSection(problemOutcomes, page)]
            : [measuresSection(problemOutcomes, page), resolutionSection(problemOutcomes, page)],
          answersFor(problem) && answerPanel(problem, page),
          historySection(problem),
          commentsSection(problem, page),
        ),
      ),
    );
  }

  draw(data.problem, outcomes.problem);
}
