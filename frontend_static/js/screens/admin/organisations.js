// Organisations, and the members of one: platform admins correct and remove organisations;
// platform admins and an organisation's admins make members admins, or not, and remove them.

import { h, link } from '../../dom.js';
import { ORGANISATION_KINDS, ORGANISATION_ROLES, optionsOf } from '../../format.js';
import { selectField, textField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';
import { adminTable } from './table.js';

export function organisationsTable({ reloadAll }) {
  const table = adminTable({
    label: 'Organisations',
    columns: ['Organisation', 'Kind'],
    empty: 'No organisations yet: create the first below.',
    name: (organisation) => organisation.name,
    cells: (organisation) => [
      link(`/organisations/${encodeURIComponent(organisation.id)}`, organisation.name),
      ORGANISATION_KINDS[organisation.kind] ?? organisation.kind,
    ],
    edit: (organisation) => ({
      fields: [
        textField({ name: 'name', label: 'Name', value: organisation.name, limit: 120, autocomplete: 'off' }),
        selectField({ name: 'kind', label: 'Kind', options: optionsOf(ORGANISATION_KINDS), value: organisation.kind }),
      ],
      submit: (values) => mutate('UpdateOrganisation', { organisationId: organisation.id, name: values.name, kind: values.kind }),
    }),
    remove: (organisation) => mutate('RemoveOrganisation', { organisationId: organisation.id }),
    describe: {
      edited: ({ organisation }) => `Saved ${organisation.name}.`,
      removed: (organisation) => `Removed ${organisation.name}.`,
    },
  });
  table.reload = reloadAll;
  return table;
}

/** The members of the organisation chosen in `chooser` (a select field). */
export function membersTable({ chooser, viewer }) {
  let organisation = null;
  const table = adminTable({
    label: 'Members',
    columns: ['Member', 'Email address', 'Role'],
    empty: 'Nobody is a member yet: add people below.',
    name: (member) => member.user.displayName,
    cells: (member) => [
      member.user.id === viewer.user.id ? `${member.user.displayName} (you)` : member.user.displayName,
      member.email,
      ORGANISATION_ROLES[member.role] ?? member.role,
    ],
    extraActions: (member) => {
      const becomes = member.role === 'ADMIN' ? 'MEMBER' : 'ADMIN';
      const words = becomes === 'ADMIN' ? 'Make admin' : 'Make member';
      return h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary button-small',
          'aria-label': `${words}: ${member.user.displayName}`,
          onclick: async () => {
            const payload = await mutate('SetOrganisationMemberRole', { organisationId: organisation.id, userId: member.user.id, role: becomes });
            if (payload.errors.length) return table.say(payload.errors.map((error) => error.message).join(' '), true);
            table.say(`${member.user.displayName} is now ${becomes === 'ADMIN' ? 'an admin' : 'a member'} of ${organisation.name}.`);
            return table.reload();
          },
        },
        words,
      );
    },
    remove: (member) => mutate('RemoveOrganisationMember', { organisationId: organisation.id, userId: member.user.id }),
    describe: { removed: (member) => `${member.user.displayName} is no longer a member of ${organisation.name}.` },
  });
  table.reload = async () => {
    const id = chooser.read();
    organisation = id ? { id, name: chooser.control.selectedOptions[0]?.textContent.replace(/ \([^)]*\)$/, '') } : null;
    table.hidden = !organisation;
    if (!organisation) return;
    table.show((await request('OrganisationMembers', { organisationId: id })).organisationMembers);
  };
  return table;
}
