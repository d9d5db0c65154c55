// Taking part: supporting and following the problem, with their counts.

import { showError } from '../../banner.js';
import { h, link, replaceChildren } from '../../dom.js';
import { plural } from '../../format.js';
import { request } from '../../graphql.js';
import { problemPath } from '../../problems.js';
import { originalOf } from './facts.js';

export function takePartCard(problem, { viewer }) {
  const counts = h('p', { class: 'take-part-counts' });
  const said = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const refused = h('p', { class: 'take-part-error', role: 'alert', hidden: true });
  const support = h('button', { type: 'button', class: 'button' });
  const follow = h('button', { type: 'button', class: 'button button-secondary' });
  const duplicateOf = originalOf(problem);

  function paint() {
    replaceChildren(
      counts,
      h('span', { id: 'supporter-count' }, plural(problem.supportCount, 'supporter')),
      h('span', { id: 'follower-count' }, plural(problem.followerCount, 'follower')),
    );
    support.textContent = problem.viewerSupports ? 'Withdraw support' : 'Support this problem';
    support.className = problem.viewerSupports ? 'button button-secondary' : 'button button-primary';
    follow.textContent = problem.viewerFollows ? 'Unfollow' : 'Follow';
  }

  // aria-disabled rather than disabled while busy: a disabled button would drop the focus.
  async function act(button, operation, done) {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    refused.hidden = true;
    try {
      const data = await request(operation, { problemId: problem.id });
      const [payload] = Object.values(data);
      if (payload.errors.length) {
        refused.textContent = payload.errors.map((error) => error.message).join(' ');
        refused.hidden = false;
        return;
      }
      Object.assign(problem, payload.problem);
      paint();
      said.textContent = done();
    } catch (error) {
      showError(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  support.addEventListener('click', () =>
    problem.viewerSupports
      ? act(support, 'WithdrawSupport', () => `You no longer support this problem. ${plural(problem.supportCount, 'supporter')}.`)
      : act(support, 'SupportProblem', () => `You support this problem. ${plural(problem.supportCount, 'supporter')}.`),
  );
  follow.addEventListener('click', () =>
    problem.viewerFollows
      ? act(follow, 'UnfollowProblem', () => 'You no longer follow this problem.')
      : act(follow, 'FollowProblem', () => 'You follow this problem: its updates come to your notifications.'),
  );
  paint();

  let actions;
  if (!viewer) {
    actions = h(
      'p',
      {},
      link(`/sign-in?next=${encodeURIComponent(problemPath(problem.id))}`, 'Sign in to support or follow this problem', {
        class: 'button button-primary',
      }),
    );
  } else {
    // A duplicate gathers no support of its own: it counts towards the original.
    const supportable = problem.status !== 'DUPLICATE' || problem.viewerSupports;
    actions = [
      h('div', { class: 'take-part-actions' }, supportable && support, follow),
      !supportable &&
        h(
          'p',
          { class: 'hint' },
          'This problem is a duplicate. ',
          duplicateOf ? ['Support ', link(problemPath(duplicateOf.id), duplicateOf.title), ' instead.'] : 'Support the original instead.',
        ),
    ];
  }
  return h(
    'section',
    { class: 'card panel take-part', 'aria-labelledby': 'take-part-title' },
    h('h2', { id: 'take-part-title' }, 'Take part'),
    h('p', { class: 'hint' }, 'Supporting shows it matters to you. Following brings its updates to your notifications.'),
    counts,
    actions,
    refused,
    said,
  );
}
