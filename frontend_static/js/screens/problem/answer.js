// The panel for those who answer for the problem: the official response, the stage and
// updates. What it offers comes from the server's rights on the problem (viewerCan…);
// the server checks each again when the form is sent, and its refusals show in the form.

import { showError } from '../../banner.js';
import { h } from '../../dom.js';
import { allOrganisations, organisationOptions } from '../../choices.js';
import { DECLINE_REASONS, PROBLEM_STATUSES, optionsOf, plural } from '../../format.js';
import { createForm, radioField, selectField, textAreaField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';
import { picker } from '../../picker.js';
import { stageForm } from './stage.js';
import { updateForm } from './updates.js';

const DECISIONS = [
  { value: 'ACCEPT', label: 'Accept', hint: 'You take the problem on: it moves to analysis.' },
  { value: 'DECLINE', label: 'Decline', hint: 'Give the reason, and say why in your response.' },
  { value: 'REFER', label: 'Refer to another organisation', hint: 'It becomes theirs to answer, with a new due date.' },
  { value: 'DUPLICATE', label: 'Mark as a duplicate', hint: 'Another problem covers it; supporters and followers carry over.' },
];

/** Whether the viewer has anything to do in the panel. */
export function answersFor(problem) {
  return problem.viewerCanRespond || problem.viewerCanSetStage || problem.viewerCanPostUpdate;
}

/** The button at the top of the page that takes those who answer to their panel. */
export function answerJump(problem) {
  return h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      onclick: () => {
        const heading = document.getElementById('answer-title');
        heading?.scrollIntoView({ block: 'start' });
        heading?.focus();
      },
    },
    problem.viewerCanRespond ? 'Answer this proposal' : 'Answer for this problem',
  );
}

export function answerPanel(problem, page) {
  const parts = [];
  if (problem.viewerCanRespond) {
    parts.push(h('h3', { id: 'respond-title' }, 'Respond to this proposal'), respondForm(problem, page));
  }
  if (problem.viewerCanSetStage) {
    parts.push(h('h3', { id: 'stage-title' }, 'Move it through the stages'), stageForm(problem, page));
  }
  if (problem.viewerCanPostUpdate) {
    parts.push(h('h3', { id: 'update-title' }, 'Post an update'), updateForm(problem, page));
  }
  return h(
    'section',
    { class: 'card panel answer-panel', 'aria-labelledby': 'answer-title' },
    h('h2', { id: 'answer-title', tabindex: '-1' }, 'Answer for this problem'),
    h(
      'p',
      { class: 'hint' },
      problem.viewerSpeaksFor
        ? `You answer for ${problem.viewerSpeaksFor.name}, which owns this problem.`
        : 'You answer as a coordinator of this area.',
    ),
    parts,
  );
}

function respondForm(problem, { reload }) {
  const decision = radioField({ name: 'decision', label: 'Your decision', options: DECISIONS, missing: 'Choose your decision' });
  const reason = selectField({
    name: 'reasonCode',
    label: 'Reason',
    placeholder: 'Choose a reason',
    missing: 'Choose the reason for declining',
    options: optionsOf(DECLINE_REASONS),
    hint: 'Published with your response, and counted in the area’s figures.',
  });
  const referTo = selectField({
    name: 'referToOrganisationId',
    label: 'Refer it to',
    placeholder: 'Choose an organisation',
    missing: 'Choose the organisation to refer it to',
  });
  const original = duplicatePicker(problem);
  const body = textAreaField({
    name: 'body',
    label: 'Your response',
    limit: 5000,
    rows: 5,
    hint: 'Published on this page, and sent to the proposer, supporters and followers. When declining, say why.',
  });
  const templates = problem.viewerSpeaksFor?.answerTemplates ?? [];
  const template = templates.length > 0 && templatePicker(templates, body);
  const showFor = () => {
    const chosen = decision.read();
    reason.hidden = chosen !== 'DECLINE';
    referTo.hidden = chosen !== 'REFER';
    original.hidden = chosen !== 'DUPLICATE';
  };
  decision.addEventListener('change', showFor);
  showFor();
  allOrganisations()
    .then((organisations) =>
      referTo.setOptions(organisationOptions(organisations.filter((organisation) => organisation.id !== problem.owner?.id))),
    )
    .catch(showError);

  return createForm({
    label: 'Respond to this proposal',
    fields: [
      decision,
      reason,
      referTo,
      original,
      template,
      body,
    ],
    submitLabel: 'Publish response',
    busyLabel: 'Publishing…',
    onSubmit: (values) =>
      mutate('RespondToProblem', {
        problemId: problem.id,
        decision: values.decision,
        body: values.body,
        reasonCode: values.decision === 'DECLINE' ? values.reasonCode || null : null,
        referToOrganisationId: values.decision === 'REFER' ? values.referToOrganisationId || null : null,
        duplicateOfId: values.decision === 'DUPLICATE' ? values.duplicateOfId : null,
      }),
    onSuccess: () => reload('Your response is published. The proposer, supporters and followers are told.'),
  });
}

/**
 * One of the organisation's common answers, chosen to fill the response's text, which is
 * then the responder's to make fit. The choice itself is not sent.
 */
function templatePicker(templates, body) {
  const choice = selectField({
    name: 'answerTemplate',
    label: 'Start from a common answer',
    placeholder: 'Write your own',
    optional: true,
    options: templates.map((template) => ({ value: template.id, label: template.title })),
    hint: 'Fills in your response below; then make it fit this proposal.',
  });
  choice.control.addEventListener('change', () => {
    const chosen = templates.find((template) => template.id === choice.read());
    if (chosen) body.control.value = chosen.body;
  });
  return choice;
}

/** Finds the original of a duplicate by words from its title, or by its ID. */
function duplicatePicker(problem) {
  const choice = selectField({
    name: 'duplicateOfId',
    label: 'The problem it duplicates',
    placeholder: 'Find it first',
    missing: 'Find and choose the problem this one duplicates',
  });
  return picker({
    label: 'Find the original problem',
    hint: 'Words from its title, or its ID from the end of its address.',
    choice,
    search: async (text) => {
      const [matches, byId] = await Promise.all([
        text.split(/\s+/).length <= 8 ? request('Problems', { filter: { search: text }, first: 20 }) : null,
        /^[A-Za-z0-9_-]{4,}$/.test(text) ? request('Problem', { id: text }) : null,
      ]);
      const candidates = [byId?.problem, ...(matches?.problems.edges.map((edge) => edge.node) ?? [])].filter(
        (candidate, index, all) =>
          candidate &&
          candidate.id !== problem.id &&
          candidate.status !== 'DUPLICATE' &&
          all.findIndex((other) => other?.id === candidate.id) === index,
      );
      return {
        options: candidates.map((candidate) => ({
          value: candidate.id,
          label: `${candidate.title} (${candidate.area.name}, ${PROBLEM_STATUSES[candidate.status]})`,
        })),
        message: candidates.length ? `${plural(candidates.length, 'problem')} found: choose one below.` : 'No other problem matches.',
      };
    },
  });
}
