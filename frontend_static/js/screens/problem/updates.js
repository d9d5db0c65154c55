// The problem's history (the proposal, every official response and update, oldest first)
// and the form that posts an update. A corrected response says so, with the time, and its
// correction notes show under it; those who may correct it find how beside it.

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

/** The mark of a response whose text was corrected, and the notes under it. */
function corrections(response) {
  const notes = response.corrections.filter((correction) => correction.kind === 'NOTE');
  return [
    response.correctedAt &&
      h(
        'p',
        { class: 'corrected-mark' },
        h('strong', {}, 'Corrected'),
        ' on ',
        h('time', { datetime: response.correctedAt }, formatDateTime(response.correctedAt)),
        '. Only the words were corrected; the decision is unchanged.',
      ),
    notes.length > 0 &&
      h(
        'ul',
        { class: 'correction-notes', 'aria-label': 'Correction notes' },
        notes.map((note) =>
          h(
            'li',
            { class: 'correction-note' },
            h('p', { class: 'history-kind' }, 'Correction note'),
            byline(note.author, note.organisation, note.createdAt, { asCoordinator: true }),
            h('p', { class: 'history-body' }, note.body),
          ),
        ),
      ),
  ];
}

function responseEntry(response, page) {
  return h(
    'li',
    { class: `history-item history-${response.decision.toLowerCase()}` },
    h('p', { class: 'history-kind' }, 'Official response'),
    h('h3', { class: 'history-title' }, responseTitle(response)),
    byline(response.author, response.organisation, response.createdAt, { asCoordinator: true }),
    response.body && h('p', { class: 'history-body' }, response.body),
    corrections(response),
    page && response.viewerCanCorrect && correctionForm(response, page),
  );
}

/**
 * Within the window, the text itself may be corrected; afterwards, a note goes under it.
 * Either way the decision stays: the form says so.
 */
function correctionForm(response, { reload }) {
  const inPlace = response.viewerCanCorrectText;
  const decision = `The decision (${DECISION_WORDS[response.decision]}) stays as it is: a correction changes only the words.`;
  const form = createForm({
    label: inPlace ? 'Correct the response' : 'Add a correction note',
    fields: [
      textAreaField({
        name: 'body',
        label: inPlace ? 'Corrected response' : 'Correction note',
        value: inPlace ? response.body : '',
        rows: 4,
        hint: inPlace
          ? `You can correct the text until ${formatDateTime(response.textCorrectableUntil)}; it will be marked as corrected. ${decision}`
          : `The response stays as it was published; your note shows under it. ${decision}`,
      }),
    ],
    submitLabel: inPlace ? 'Publish correction' : 'Add note',
    busyLabel: 'Publishing…',
    onSubmit: (values) =>
      mutate(inPlace ? 'CorrectProblemResponse' : 'AddResponseCorrectionNote', { responseId: response.id, body: values.body }),
    onSuccess: () => reload('Your correction is published. Followers are told.'),
  });
  return h(
    'details',
    { class: 'correction' },
    h('summary', {}, inPlace ? 'Correct this response' : 'Add a correction note'),
    form,
  );
}

const DECISION_WORDS = { ACCEPT: 'accepted', DECLINE: 'declined', REFER: 'referred', DUPLICATE: 'marked as a duplicate' };

function history(problem, page) {
  const entries = [
    ...problem.responses.map((response) => ({
      at: response.createdAt,
      node: responseEntry(response, page),
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

export function historySection(problem, page) {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    h('p', { class: 'hint' }, 'The official responses and updates, oldest first.'),
    history(problem, page),
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
