// The problem's history (the proposal, every official response and update, oldest first)
// and the form that posts an update.

import { h, link } from '../../dom.js';
import { DECLINE_REASONS, formatDate, formatDateTime } from '../../format.js';
import { createForm, textAreaField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { AWAITING_RESPONSE, ownerName, problemPath } from '../../problems.js';

function byline(author, organisation, at, { asCoordinator = false } = {}) {
  let speaking = '';
  if (organisation) speaking = ` for ${organisation.name}`;
  else if (asCoordinator) speaking = ' as a coordinator of the area';
  return h('p', { class: 'history-meta' }, `${author.displayName}${speaking} · `, h('time', { datetime: at }, formatDateTime(at)));
}

function responseTitle(response) {
  switch (response.decision) {
    case 'ACCEPT':
      return 'Accepted';
    case 'DECLINE':
      return `Declined: ${DECLINE_REASONS[response.reasonCode] ?? 'no reason given'}`;
    case 'REFER':
      return `Referred to ${response.referredTo?.name ?? 'another organisation'}`;
    default:
      return response.duplicateOf
        ? ['Marked as a duplicate of ', link(problemPath(response.duplicateOf.id), response.duplicateOf.title)]
        : 'Marked as a duplicate';
  }
}

function history(problem) {
  const entries = [
    ...problem.responses.map((response) => ({
      at: response.createdAt,
      node: h(
        'li',
        { class: `history-item history-${response.decision.toLowerCase()}` },
        h('p', { class: 'history-kind' }, 'Official response'),
        h('h3', { class: 'history-title' }, responseTitle(response)),
        byline(response.author, response.organisation, response.createdAt, { asCoordinator: true }),
        response.body && h('p', { class: 'history-body' }, response.body),
      ),
    })),
    ...problem.updates.map((update) => ({
      at: update.createdAt,
      node: h(
        'li',
        { class: 'history-item history-update' },
        h('h3', { class: 'history-kind' }, 'Update'),
        byline(update.author, update.organisation, update.createdAt),
        h('p', { class: 'history-body' }, update.body),
      ),
    })),
  ].sort((a, b) => new Date(a.at) - new Date(b.at));
  const proposed = h(
    'li',
    { class: 'history-item history-proposed' },
    h('p', { class: 'history-kind' }, 'Proposal'),
    h('h3', { class: 'history-title' }, 'Proposed'),
    byline(problem.proposer, null, problem.createdAt),
  );
  const awaiting =
    AWAITING_RESPONSE.includes(problem.status) &&
    h(
      'li',
      { class: `history-item history-pending${problem.isResponseOverdue ? ' is-overdue' : ''}` },
      h('h3', { class: 'history-title' }, problem.isResponseOverdue ? 'Official response overdue' : 'Awaiting an official response'),
      h(
        'p',
        { class: 'history-meta' },
        `${ownerName(problem)} ${problem.isResponseOverdue ? 'had to' : 'must'} answer by ${formatDate(problem.responseDueAt)}.`,
      ),
    );
  return h('ol', { class: 'history', id: 'problem-history' }, proposed, entries.map((entry) => entry.node), awaiting);
}

export function historySection(problem) {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    h('p', { class: 'hint' }, 'The official responses and updates, oldest first.'),
    history(problem),
  );
}

export function updateForm(problem, { reload }) {
  return createForm({
    label: 'Post an update',
    fields: [
      textAreaField({
        name: 'body',
        label: 'Update',
        limit: 5000,
        rows: 4,
        hint: 'What has been done and what happens next. Followers are told.',
      }),
    ],
    submitLabel: 'Post update',
    busyLabel: 'Posting…',
    onSubmit: (values) => mutate('PostProblemUpdate', { problemId: problem.id, body: values.body }),
    onSuccess: () => reload('Your update is posted. Followers are told.'),
  });
}
