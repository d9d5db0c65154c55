// "Your working groups" on the profile: invitations to answer first, then the groups the
// viewer is in or has asked to join.

import { h, link, replaceChildren } from '../../dom.js';
import { GROUP_ROLES } from '../../format.js';
import { request } from '../../graphql.js';
import { groupPath, mutationButton, refusalSlot } from '../../groups.js';

function place(membership) {
  const role = GROUP_ROLES[membership.role] ?? membership.role;
  const speaking = membership.organisation ? ` for ${membership.organisation.name}` : '';
  switch (membership.status) {
    case 'INVITED':
      return `Invited as a ${role.toLowerCase()}${speaking}`;
    case 'REQUESTED':
      return 'You asked to join; a lead will decide';
    default:
      return `${role}${speaking}`;
  }
}

function membershipItem(membership, redraw, status) {
  const group = membership.group;
  let answer = null;
  if (membership.viewerCanAnswer) {
    const refused = refusalSlot();
    const respond = (accept, label, className, message) =>
      mutationButton({
        label,
        className,
        ariaLabel: `${label} the invitation to ${group.name}`,
        operation: 'RespondToInvitation',
        input: () => ({ membershipId: membership.id, accept }),
        done: async () => {
          await redraw();
          status.textContent = message;
        },
        refused,
      });
    answer = [
      h(
        'div',
        { class: 'button-row' },
        respond(true, 'Accept', 'button button-primary button-small', `You are a member of ${group.name}.`),
        respond(false, 'Decline', 'button button-secondary button-small', `You declined the invitation to ${group.name}.`),
      ),
      refused,
    ];
  }
  return h(
    'li',
    { class: `my-group${membership.status === 'INVITED' ? ' is-invitation' : ''}` },
    h('p', { class: 'my-group-name' }, link(groupPath(group.id), group.name)),
    h('p', { class: 'my-group-meta' }, `${place(membership)} · ${group.area.name}${group.status === 'CLOSED' ? ' · closed' : ''}`),
    answer,
  );
}

const ORDER = { INVITED: 0, ACTIVE: 1, REQUESTED: 2 };

export function groupsCard(memberships) {
  const body = h('div', {});
  const status = h('p', { class: 'form-status form-status-success', role: 'status' });

  function draw(current) {
    const shown = current
      .filter((membership) => membership.status in ORDER)
      .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
    replaceChildren(
      body,
      shown.length
        ? h('ul', { class: 'my-groups', 'aria-labelledby': 'my-groups-title' }, shown.map((membership) => membershipItem(membership, redraw, status)))
        : h('p', { class: 'muted' }, 'You are not in a working group yet. Groups form around problems: look for them on a problem’s page or an area’s.'),
    );
  }

  async function redraw() {
    const data = await request('ViewerGroupMemberships');
    if (data.viewer) draw(data.viewer.groupMemberships);
  }

  draw(memberships);
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'my-groups-title' },
    h('h2', { id: 'my-groups-title' }, 'Your working groups'),
    body,
    status,
  );
}
