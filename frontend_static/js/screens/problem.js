// One problem: what was proposed, the official answers and updates, whether it got better
// and how it ended, and the conversation.
// Each part of the page is its own module under problem/; this one fetches the problem and
// lays them out. What the viewer may do comes with the problem (its viewerCan… fields),
// from the server's own rules.

import { detailPage } from '../detail-page.js';
import { h, link, replaceChildren } from '../dom.js';
import { PROBLEM_CATEGORIES, formatDate } from '../format.js';
import { request } from '../graphql.js';
import { boardPath, markers } from '../problems.js';
import { answerJump, answerPanel, answersFor } from './problem/answer.js';
import { commentsSection } from './problem/comments.js';
import { descriptionCard, factsCard } from './problem/facts.js';
import { groupsCard } from './problem/groups.js';
import { measuresSection } from './problem/measures.js';
import { takePartCard } from './problem/participation.js';
import { resolutionSection } from './problem/resolution.js';
import { historySection } from './problem/updates.js';

export function render(view, context) {
  return detailPage(view, context, {
    noun: 'Problem',
    // What it is and how it is answered, and whether it got better: fetched side by side.
    load: async () => {
      const id = context.params.id;
      const [answered, measured] = await Promise.all([request('Problem', { id }), request('ProblemOutcomes', { id })]);
      return answered.problem && measured.problem ? { ...answered.problem, outcomes: measured.problem } : null;
    },
    missing: (viewer) => [
      'There is no problem at this address.',
      viewer ? 'It may have been removed, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
      link('/problems', 'See all problems', { class: 'button button-primary' }),
    ],
    draw: (problem, { heading, crumbs, badges, lead }, page) => {
      context.setTitle(problem.title);
      heading.textContent = problem.title;
      replaceChildren(badges, markers(problem));
      replaceChildren(
        lead,
        `${PROBLEM_CATEGORIES[problem.category] ?? problem.category} in `,
        link(`/areas/${encodeURIComponent(problem.area.id)}`, problem.area.name),
        `, proposed by ${problem.proposer.displayName} on ${formatDate(problem.createdAt)}.`,
        // Those who answer reach their panel from the top, however long the page above it.
        answersFor(problem) && h('span', { class: 'answer-jump' }, answerJump(problem)),
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
      return {
        // Where it stands comes first: on a narrow screen it is what shows under the title.
        side: [factsCard(problem), takePartCard(problem, page), groupsCard(problem)],
        main: [
          descriptionCard(problem),
          // Once closed, how it ended leads; while open, whether it is getting better does.
          problem.outcomes.resolution
            ? [resolutionSection(problem.outcomes, page), measuresSection(problem.outcomes, page)]
            : [measuresSection(problem.outcomes, page), resolutionSection(problem.outcomes, page)],
          answersFor(problem) && answerPanel(problem, page),
          historySection(problem, page),
          commentsSection(problem, page),
        ],
      };
    },
  });
}
