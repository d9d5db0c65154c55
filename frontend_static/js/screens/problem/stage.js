// The SARA stages: where an accepted problem is, and the form that moves it on (or back).

import { h } from '../../dom.js';
import { SARA_STAGE_MEANINGS, SARA_STAGES } from '../../format.js';
import { createForm, selectField } from '../../forms.js';
import { mutate } from '../../graphql.js';

const STAGES_AFTER_ACCEPTANCE = ['ANALYSIS', 'RESPONSE', 'ASSESSMENT'];

export function stages(current) {
  return h(
    'div',
    { class: 'stages-explained' },
    h(
      'ol',
      { class: 'stages', 'aria-label': 'Stages of solving it' },
      Object.entries(SARA_STAGES).map(([stage, label]) =>
        h('li', { class: stage === current ? 'stage is-current' : 'stage', 'aria-current': stage === current ? 'step' : null }, label),
      ),
    ),
    SARA_STAGE_MEANINGS[current] && h('p', { class: 'hint stage-meaning' }, SARA_STAGE_MEANINGS[current]),
  );
}

export function stageForm(problem, { reload }) {
  const at = STAGES_AFTER_ACCEPTANCE.indexOf(problem.stage);
  const next = STAGES_AFTER_ACCEPTANCE[at + 1];
  const options = [
    next && { value: next, label: `Forward to ${SARA_STAGES[next]}` },
    ...STAGES_AFTER_ACCEPTANCE.slice(0, Math.max(at, 0))
      .reverse()
      .map((stage) => ({ value: stage, label: `Back to ${SARA_STAGES[stage]}` })),
  ].filter(Boolean);
  return createForm({
    label: 'Set the stage',
    fields: [
      h('p', { class: 'hint' }, `It is at the “${SARA_STAGES[problem.stage]}” stage. It moves forward one stage at a time, or back when an assessment shows the response did not work.`),
      selectField({ name: 'stage', label: 'Move it to', options, value: options[0]?.value }),
    ],
    submitLabel: 'Set stage',
    busyLabel: 'Saving…',
    onSubmit: (values) => mutate('SetProblemStage', { problemId: problem.id, stage: values.stage }),
    onSuccess: ({ problem: moved }) => reload(`The problem is now at the “${SARA_STAGES[moved.stage]}” stage.`),
  });
}
