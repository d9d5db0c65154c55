// The signed-in person's place on the ladder of participation, and their next steps up it:
// shown on the home page and the profile.

import { h, loading, replaceChildren } from './dom.js';
import { request } from './graphql.js';

/** Each rung, lowest first: its name, and what standing on it means, said to the person. */
export const RUNGS = {
  NONE: ['Not yet', 'you have not taken part in the last 12 months'],
  PASSIVE: ['Following', 'you follow problems and read their updates'],
  CONVERSATION: ['Conversation', 'you comment and say what you think'],
  PARTICIPATION: ['Participation', 'you turn up: at tasks, meetings and walkabouts'],
  ACTIVIST: ['Activist', 'you propose or support problems'],
  VOLUNTEER: ['Volunteer', 'you give your time to tasks'],
  CO_DESIGNER: ['Co-designer', 'you work with police and partners in a working group'],
};

/** "Activist: you propose or support problems". */
export function rungInWords(rung) {
  const [name, meaning] = RUNGS[rung] ?? [rung, ''];
  return meaning ? `${name}: ${meaning}` : name;
}

function ladderList(current, labelId) {
  return h(
    'ol',
    { class: 'my-ladder', 'aria-labelledby': labelId },
    Object.entries(RUNGS)
      .filter(([rung]) => rung !== 'NONE')
      .map(([rung, [name]]) => {
        const here = rung === current;
        return h(
          'li',
          { class: `my-ladder-rung${here ? ' is-current' : ''}`, 'aria-current': here ? 'step' : null },
          name,
          here ? h('span', { class: 'my-ladder-here' }, ' (you)') : null,
        );
      }),
  );
}

function stepItem(step) {
  const [reaches] = RUNGS[step.rung] ?? [step.rung];
  return h(
    'li',
    { class: 'next-step' },
    h('a', { class: 'next-step-link', href: step.url }, step.title),
    h('span', { class: 'next-step-rung' }, `Takes you to: ${reaches}`),
  );
}

function noSteps(rung, viewer) {
  if (rung === 'CO_DESIGNER') return 'You are on the top rung. Thank you for working on your neighbourhood’s problems.';
  if (!viewer.homeArea) return 'Nothing is open near you right now. Choose your home area on your profile to see what is.';
  return 'Nothing is open near you right now: new problems, tasks and groups will show here.';
}

/**
 * A card with the viewer's rung over all areas, the ladder with theirs marked, and links to
 * their next steps. `ready` settles once it is filled in.
 */
export function nextStepsCard(viewer) {
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading your next steps…'));
  const card = h(
    'section',
    { class: 'card panel next-steps', 'aria-labelledby': 'next-steps-title' },
    h('h2', { id: 'next-steps-title' }, 'Your place on the ladder'),
    body,
  );
  const ready = request('ViewerLadder').then((data) => {
    body.removeAttribute('aria-busy');
    const ladder = data.viewer;
    if (!ladder) {
      replaceChildren(body);
      return;
    }
    replaceChildren(
      body,
      h('p', { class: 'my-rung', id: 'my-rung' }, rungInWords(ladder.rung)),
      h('p', { class: 'visually-hidden', id: 'my-ladder-title' }, 'The ladder of participation, lowest rung first'),
      ladderList(ladder.rung, 'my-ladder-title'),
      h('h3', { class: 'next-steps-title', id: 'next-steps-list-title' }, 'Next steps'),
      ladder.nextSteps.length
        ? h('ul', { class: 'next-step-list', 'aria-labelledby': 'next-steps-list-title' }, ladder.nextSteps.map(stepItem))
        : h('p', { class: 'muted' }, noSteps(ladder.rung, viewer)),
    );
  });
  return { card, ready };
}
