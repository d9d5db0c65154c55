// Planning an action: what, by when, and who co-owns it: organisations represented in the
// group, and resident members. Each owner is asked to accept its share.

import { h, uniqueId } from '../../dom.js';
import { createForm, textAreaField, textField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { formOnRequest } from '../../groups.js';
import { activeMembers } from './about.js';

/** The group's possible owners: each organisation its members speak for, then its residents. */
function ownerChoices(group) {
  const organisations = new Map();
  const residents = [];
  for (const member of activeMembers(group)) {
    if (member.organisation) organisations.set(member.organisation.id, member.organisation);
    else residents.push(member.user);
  }
  return [
    ...[...organisations.values()].map((organisation) => ({
      value: `organisation:${organisation.id}`,
      label: organisation.name,
      input: { organisationId: organisation.id },
    })),
    ...residents.map((user) => ({ value: `user:${user.id}`, label: `${user.displayName} (resident)`, input: { userId: user.id } })),
  ];
}

/** Several choices at once: a fieldset of checkboxes whose errors tie to the first box. */
function ownersField(choices) {
  const id = uniqueId('field-owners');
  const hintId = `${id}-hint`;
  const boxes = choices.map((choice, index) =>
    h(
      'div',
      { class: 'inline-check' },
      h('input', { type: 'checkbox', id: `${id}-${index}`, name: 'owners', value: choice.value }),
      h('label', { for: `${id}-${index}` }, choice.label),
    ),
  );
  const wrapper = h(
    'fieldset',
    { id, class: 'field field-group', dataset: { field: 'owners', label: 'Owners' }, 'aria-describedby': hintId, tabindex: boxes.length ? null : '-1' },
    h('legend', {}, 'Owners'),
    h('p', { class: 'hint', id: hintId }, 'Each one is asked to accept its share, and reports its own progress.'),
    h('div', { class: 'owner-choices' }, boxes),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
  );
  wrapper.control = wrapper.querySelector('input') ?? wrapper;
  wrapper.read = () =>
    [...wrapper.querySelectorAll('input:checked')].map((box) => choices.find((choice) => choice.value === box.value).input);
  return wrapper;
}

export function newActionForm(group, { reload }) {
  return formOnRequest({
    label: 'Plan an action…',
    build: (cancel) =>
      createForm({
        label: 'Plan an action',
        fields: [
          textField({ name: 'title', label: 'What will be done', limit: 200, autocomplete: 'off', hint: 'A short title, such as “Fit brighter lighting in the underpass”.' }),
          textAreaField({ name: 'description', label: 'Details', rows: 4, limit: 5000, hint: 'What it involves, and how the group will know it worked.' }),
          textField({ name: 'dueOn', label: 'Due by', type: 'date', optional: true, class: 'input-short' }),
          ownersField(ownerChoices(group)),
        ],
        submitLabel: 'Add to the plan',
        busyLabel: 'Adding…',
        extraActions: [cancel],
        onSubmit: async (values) => {
          const payload = await mutate('CreateAction', {
            groupId: group.id,
            title: values.title,
            description: values.description,
            dueOn: values.dueOn || null,
            owners: values.owners,
          });
          // An error about one owner ("owners[1].userId") belongs beside the owners.
          const errors = payload.errors.map((error) => (error.field?.startsWith('owners') ? { ...error, field: 'owners' } : error));
          return { ...payload, errors };
        },
        onSuccess: ({ action }) => reload(`“${action.title}” is in the plan. Its owners are asked to accept their shares.`),
      }),
  });
}
