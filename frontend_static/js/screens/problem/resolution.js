// How the problem was closed, and whether the community agrees: the resolution with its
// counts and the viewer's own review (which they may change), earlier closings the
// community's verdict undid, and the form for closing it. What the viewer may do comes from
// the server (viewerCanClose, viewerCanReview).

import { showError } from '../../banner.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDate, plural } from '../../format.js';
import { createForm, radioField, textAreaField } from '../../forms.js';
import { mutate } from '../../graphql.js';

const OUTCOMES = {
  RESOLVED: { label: 'Resolved', hint: 'The problem is fixed, as far as those who answer for it can tell.' },
  UNRESOLVED: { label: 'Not resolved', hint: 'The work is over but the problem remains; say why and what happens now.' },
};

function closing(resolution) {
  return [
    h('p', { class: `resolution-outcome resolution-${resolution.outcome.toLowerCase()}` }, OUTCOMES[resolution.outcome].label),
    h('p', { class: 'resolution-summary' }, resolution.summary),
    h('p', { class: 'history-meta' }, `Closed by ${resolution.closedBy.displayName} on ${formatDate(resolution.closedAt)}.`),
  ];
}

function countsInWords(resolution) {
  return `${plural(resolution.agreeCount, 'person agrees', 'people agree')}, ${plural(resolution.disagreeCount, 'person disagrees', 'people disagree')}.`;
}

function viewerSaid(resolution) {
  if (resolution.viewerAgrees === null || resolution.viewerAgrees === undefined) return 'You have not said yet.';
  return `You ${resolution.viewerAgrees ? 'agree' : 'disagree'}. You can change your mind.`;
}

/** Agree and disagree buttons, pressed as the viewer last said; the counts follow each answer. */
function reviewControls(problemId, resolution, counts) {
  const said = h('p', { class: 'review-said', 'aria-live': 'polite' });
  const refused = h('p', { class: 'take-part-error', role: 'alert', hidden: true });
  const agree = h('button', { type: 'button', class: 'button' }, 'I agree');
  const disagree = h('button', { type: 'button', class: 'button' }, 'I disagree');

  function paint() {
    counts.textContent = countsInWords(resolution);
    for (const [button, agrees] of [
      [agree, true],
      [disagree, false],
    ]) {
      const pressed = resolution.viewerAgrees === agrees;
      button.setAttribute('aria-pressed', String(pressed));
      button.className = pressed ? 'button button-primary' : 'button button-secondary';
    }
    said.textContent = viewerSaid(resolution);
  }

  async function review(button, agrees) {
    if (button.getAttribute('aria-disabled') === 'true' || resolution.viewerAgrees === agrees) return;
    button.setAttribute('aria-disabled', 'true');
    refused.hidden = true;
    try {
      const payload = await mutate('ReviewResolution', { problemId, agrees });
      if (payload.errors.length) {
        refused.textContent = payload.errors.map((error) => error.message).join(' ');
        refused.hidden = false;
        return;
      }
      Object.assign(resolution, payload.problem.resolution);
      paint();
      said.textContent = `${viewerSaid(resolution)} ${countsInWords(resolution)}`;
    } catch (error) {
      showError(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  agree.addEventListener('click', () => review(agree, true));
  disagree.addEventListener('click', () => review(disagree, false));
  paint();
  return h(
    'div',
    { class: 'review', role: 'group', 'aria-labelledby': 'review-question' },
    h('p', { id: 'review-question', class: 'review-question' }, 'Do you agree with how it was closed?'),
    h('div', { class: 'take-part-actions' }, agree, disagree),
    said,
    refused,
  );
}

function currentResolution(outcomes) {
  const resolution = outcomes.resolution;
  const counts = h('p', { class: 'review-counts', id: 'review-counts' }, countsInWords(resolution));
  return [
    closing(resolution),
    counts,
    outcomes.viewerCanReview
      ? reviewControls(outcomes.id, resolution, counts)
      : h('p', { class: 'hint' }, 'The people who proposed, supported or followed the problem may say whether they agree.'),
  ];
}

function pastResolutions(outcomes) {
  const past = outcomes.pastResolutions ?? [];
  if (!past.length) return null;
  return h(
    'details',
    { class: 'form-disclosure' },
    h('summary', {}, `Earlier closings the community did not accept (${past.length})`),
    h(
      'ol',
      { class: 'history' },
      past.map((resolution) =>
        h(
          'li',
          { class: 'history-item' },
          closing(resolution),
          h('p', { class: 'history-meta' }, countsInWords(resolution), ` Reopened on ${formatDate(resolution.reopenedAt)}.`),
        ),
      ),
    ),
  );
}

function closeForm(outcomes, { reload }) {
  return createForm({
    label: 'Close this problem',
    fields: [
      radioField({
        name: 'outcome',
        label: 'How it ends',
        options: Object.entries(OUTCOMES).map(([value, { label, hint }]) => ({ value, label, hint })),
        missing: 'Choose whether the problem is resolved.',
      }),
      textAreaField({
        name: 'summary',
        label: 'Summary',
        limit: 4000,
        rows: 4,
        missing: 'Enter a summary of what was done and what changed.',
        hint: 'What was done and what changed. The proposer, supporters and followers are asked whether they agree.',
      }),
    ],
    submitLabel: 'Close problem',
    busyLabel: 'Closing…',
    onSubmit: (values) => mutate('CloseProblem', { problemId: outcomes.id, outcome: values.outcome, summary: values.summary }),
    onSuccess: () => reload('The problem is closed. The proposer, supporters and followers are asked whether they agree.'),
  });
}

/** The resolution section, or nothing while the problem is open and the viewer may not close it. */
export function resolutionSection(outcomes, page) {
  const reopened = outcomes.pastResolutions?.at(-1);
  if (!outcomes.resolution && !outcomes.viewerCanClose && !reopened) return null;
  const body = h('div', { class: 'resolution' });
  replaceChildren(
    body,
    outcomes.resolution
      ? currentResolution(outcomes)
      : h(
          'p',
          { class: 'hint' },
          reopened
            ? `Reopened on ${formatDate(reopened.reopenedAt)}: more people disagreed with how it was closed than agreed.`
            : 'The problem is open.',
        ),
  );
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'resolution-title', id: 'resolution' },
    h('h2', { id: 'resolution-title' }, 'Resolution'),
    body,
    pastResolutions(outcomes),
    outcomes.viewerCanClose &&
      h('details', { class: 'form-disclosure' }, h('summary', {}, 'Close this problem'), closeForm(outcomes, page)),
  );
}
