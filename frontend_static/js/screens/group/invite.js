// Inviting a person: a picker that finds people by name (the server decides who may be
// found, and shows names and organisations, never addresses), then whether they speak for
// one of their organisations, and their role.

import { GROUP_ROLES, ORGANISATION_KINDS, optionsOf, plural } from '../../format.js';
import { createForm, selectField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';
import { picker } from '../../picker.js';

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
  const person = selectField({ name: 'userId', label: 'Person', placeholder: 'Find them first', missing: 'Find the person to invite, and choose them.' });
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

  const finder = picker({
    label: 'Find a person by name',
    hint: 'People who live in the area, and members of the organisations in the group.',
    choice: person,
    blank: 'Type part of their name first.',
    search: async (text) => {
      found = (await request('GroupInvitees', { groupId: group.id, search: text })).groupInvitees;
      return {
        options: found.map((candidate) => ({ value: candidate.user.id, label: personLabel(candidate) })),
        message: found.length ? `${plural(found.length, 'person', 'people')} found: choose below.` : 'Nobody who may be invited has that name.',
      };
    },
  });

  return createForm({
    label: 'Invite someone',
    fields: [finder, representing, role],
    submitLabel: 'Send invitation',
    busyLabel: 'Sending…',
    onSubmit: (values) =>
      mutate('InviteToWorkingGroup', {
        groupId: group.id,
        userId: values.userId,
        organisationId: values.organisationId || null,
        role: values.role,
      }),
    onSuccess: ({ membership }) => reload(`${membership.user.displayName} is invited. They are told.`),
  });
}
