// The action plan: each action with its owners, each owner's answer, status and note. An
// owner the viewer answers for gets its buttons, as the server says (viewerCanAnswer,
// viewerCanReport): accept or decline its share, then report its progress.

import { h } from '../../dom.js';
import { ACTION_STATUSES, OWNER_STATUSES, formatDate, formatDay, plural } from '../../format.js';
import { createForm, radioField, textAreaField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { formOnRequest, mutationButton, refusalSlot } from '../../groups.js';
import { newActionForm } from './new-action.js';

const ACCEPTING = ['ACCEPTED', 'IN_PROGRESS', 'BLOCKED', 'DONE'];

const REPORTS = [
  { value: 'IN_PROGRESS', label: 'In progress', hint: 'Work on our share has started.' },
  { value: 'BLOCKED', label: 'Blocked', hint: 'Something stops us: say what in the note.' },
  { value: 'DONE', label: 'Done', hint: 'Our share is finished.' },
];

export function ownerName(owner) {
  return owner.organisation?.name ?? owner.user?.displayName ?? 'A former participant';
}

function statusBadge(status) {
  return h('span', { class: `status-badge action-status-${status.toLowerCase()}` }, ACTION_STATUSES[status] ?? status);
}

function ownerBadge(status) {
  return h('span', { class: `owner-status owner-${status.toLowerCase().replaceAll('_', '-')}` }, OWNER_STATUSES[status] ?? status);
}

function progressLine(action) {
  const accepting = action.owners.filter((owner) => ACCEPTING.includes(owner.status));
  if (!accepting.length) return null;
  const done = accepting.filter((owner) => owner.status === 'DONE').length;
  const percent = Math.round(action.progress * 100);
  return h(
    'div',
    { class: 'action-progress' },
    h('progress', { max: 100, value: percent, 'aria-label': `Progress of “${action.title}”` }, `${percent}%`),
    h('span', {}, `${done} of ${plural(accepting.length, 'owner')} done`),
  );
}

/** Who answered, as the notice after an answer or a report says it. */
function whose(owner, viewer) {
  return owner.user && owner.user.id === viewer?.user.id ? { who: 'You', its: 'your' } : { who: ownerName(owner), its: 'its' };
}

function answerButtons(action, owner, { viewer, reload }) {
  const refused = refusalSlot();
  const name = ownerName(owner);
  const { who, its } = whose(owner, viewer);
  const answer = (accept, label, className, message) =>
    mutationButton({
      label,
      className,
      ariaLabel: `${label} the share of ${name} in “${action.title}”`,
      operation: 'RespondToActionOwnership',
      input: () => ({ actionId: action.id, organisationId: owner.organisation?.id ?? null, accept }),
      done: () => reload(message),
      refused,
    });
  return h(
    'div',
    { class: 'owner-controls' },
    h(
      'div',
      { class: 'button-row' },
      answer(true, 'Accept', 'button button-primary button-small', `${who} accepted ${its} share of “${action.title}”.`),
      answer(false, 'Decline', 'button button-secondary button-small', `${who} declined ${its} share of “${action.title}”.`),
    ),
    refused,
  );
}

function reportControl(action, owner, { viewer, reload }) {
  const name = ownerName(owner);
  const { who, its } = whose(owner, viewer);
  const label = `Report progress for ${name} on “${action.title}”`;
  return h(
    'div',
    { class: 'owner-controls' },
    formOnRequest({
      label: 'Report progress',
      ariaLabel: label,
      className: 'button button-secondary button-small',
      build: (cancel) =>
        createForm({
          label,
          fields: [
            radioField({
              name: 'status',
              label: 'Where your share stands',
              options: REPORTS,
              value: REPORTS.some((report) => report.value === owner.status) ? owner.status : '',
              missing: 'Choose where your share stands.',
            }),
            textAreaField({
              name: 'note',
              label: 'Note',
              limit: 2000,
              optional: true,
              rows: 3,
              value: owner.note ?? '',
              hint: 'What was done, or what is in the way. The group’s members are told.',
            }),
          ],
          submitLabel: 'Send report',
          busyLabel: 'Sending…',
          extraActions: [cancel],
          onSubmit: (values) =>
            mutate('UpdateActionProgress', {
              actionId: action.id,
              organisationId: owner.organisation?.id ?? null,
              status: values.status,
              note: values.note.trim() || null,
            }),
          onSuccess: () => reload(`${who} reported ${its} progress on “${action.title}”. The group’s members are told.`),
        }),
    }),
  );
}

function ownerControls(action, owner, page) {
  // A share taken on is reported on; one not yet taken on (or declined) is answered.
  if (owner.viewerCanReport) return reportControl(action, owner, page);
  if (owner.viewerCanAnswer) return answerButtons(action, owner, page);
  return null;
}

function ownerItem(action, owner, page) {
  return h(
    'li',
    { class: 'owner' },
    h('div', { class: 'owner-head' }, h('span', { class: 'owner-name' }, ownerName(owner)), ownerBadge(owner.status)),
    owner.note && h('p', { class: 'owner-note' }, owner.note),
    owner.status !== 'PENDING' && h('p', { class: 'owner-meta' }, `Updated ${formatDate(owner.updatedAt)}`),
    ownerControls(action, owner, page),
  );
}

function actionItem(action, page) {
  return h(
    'li',
    { class: `action action-${action.status.toLowerCase()}` },
    h('div', { class: 'markers' }, statusBadge(action.status), action.isOverdue && h('span', { class: 'marker marker-overdue' }, 'Overdue')),
    h('h3', { class: 'action-title' }, action.title),
    h(
      'p',
      { class: 'action-meta' },
      action.dueOn ? `Due ${formatDay(action.dueOn)}` : 'No due date',
      ` · planned ${formatDate(action.createdAt)}`,
    ),
    progressLine(action),
    h('p', { class: 'action-description' }, action.description),
    h('h4', { class: 'owners-title' }, 'Owners'),
    h('ul', { class: 'owner-list', 'aria-label': `Owners of “${action.title}”` }, action.owners.map((owner) => ownerItem(action, owner, page))),
  );
}

export function actionPlan(group, page) {
  return h(
    'section',
    { class: 'card panel action-plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'Action plan ', h('span', { class: 'count-note' }, `(${group.actions.length})`)),
    h('p', { class: 'hint' }, 'Each action is co-owned: every owner accepts its own share and reports its own progress.'),
    group.actions.length
      ? h('ol', { class: 'action-list', 'aria-labelledby': 'plan-title' }, group.actions.map((action) => actionItem(action, page)))
      : h('p', { class: 'muted' }, 'No actions planned yet.'),
    group.viewerCanCreateAction && newActionForm(group, page),
  );
}
