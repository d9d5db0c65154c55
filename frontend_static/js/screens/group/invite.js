// Inviting a person: a picker that finds people by name (the server decides who may be
// found, and shows names and organisations, never addresses), then whether they speak for
// one of their organisations, and their role.

import { showError } from '../../banner.js';
import { h, uniqueId } from '../../dom.js';
import { GROUP_ROLES, ORGANISATION_KINDS, optionsOf, plural } from '../../format.js';
import { createForm, selectField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';

const AS_THEMSELF = { value: '', label: 'Themself, as a resident' };

function personLabel({ user, organisations }) {
  const names = organisations.map((organisation) => organisation.name);
  return names.length ? `${user.displayName} (${names.join(', ')})` : `${user.displayName} (resident)`;
}

function organisationLabel(organisation) {
  const kind = ORGANISATION_KINDS[organisation.kind];
  return kind ? `${organisation.name} (${kind})` : organisation.name;
}

export function inviteForm(group, { reload }) {
  let found = [];
  const person = selectField({ name: 'userId', label: 'Person', placeholder: 'Find them first' });
  const representing = selectField({
    name: 'organisationId',
    label: 'Taking part for',
    options: [AS_THEMSELF],
    hint: 'An organisation they belong to, when they speak for it in the group.',
  });
  const role = selectField({ name: 'role', label: 'Role', options: optionsOf(GROUP_ROLES), value: 'MEMBER' });

  const showOrganisations = () => {
    const chosen = found.find((candidate) => candidate.user.id === person.read());
    representing.setOptions([
      AS_THEMSELF,
      ...(chosen?.organisations ?? []).map((organisation) => ({ value: organisation.id, label: organisationLabel(organisation) })),
    ]);
  };
  person.control.addEventListener('change', showOrganisations);

  const id = uniqueId('find-person');
  const finder = h('input', { type: 'search', id, class: 'input', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
  const status = h('p', { class: 'lookup', role: 'status' });
  const find = async () => {
    const text = finder.value.trim();
    if (!text) {
      status.textContent = 'Type part of their name first.';
      status.className = 'lookup lookup-missing';
      return;
    }
    status.textContent = 'Searching…';
    status.className = 'lookup';
    try {
      const data = await request('GroupInvitees', { groupId: group.id, search: text });
      found = data.groupInvitees;
      person.setOptions(found.map((candidate) => ({ value: candidate.user.id, label: personLabel(candidate) })), found[0]?.user.id ?? '');
      showOrganisations();
      status.textContent = found.length ? `${plural(found.length, 'person', 'people')} found: choose below.` : 'Nobody who may be invited has that name.';
      status.className = found.length ? 'lookup lookup-found' : 'lookup lookup-missing';
    } catch (error) {
      status.textContent = '';
      showError(error);
    }
  };
  finder.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find();
    }
  });

  const picker = h(
    'div',
    { class: 'person-picker' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, 'Find a person by name'),
      h('p', { class: 'hint', id: `${id}-hint` }, 'People who live in the area, and members of the organisations in the group.'),
      h('div', { class: 'tag-entry' }, finder, h('button', { type: 'button', class: 'button button-secondary', onclick: find }, 'Find')),
      status,
    ),
    person,
  );

  return createForm({
    label: 'Invite someone',
    fields: [picker, representing, role],
    submitLabel: 'Send invitation',
    busyLabel: 'Sending…',
    onSubmit: (values) => {
      if (!values.userId) return { errors: [{ field: 'userId', message: 'Find the person and choose them.' }] };
      return mutate('InviteToWorkingGroup', {
        groupId: group.id,
        userId: values.userId,
        organisationId: values.organisationId || null,
        role: values.role,
      });
    },
    onSuccess: ({ membership }) => reload(`${membership.user.displayName} is invited. They are told.`),
  });
}
