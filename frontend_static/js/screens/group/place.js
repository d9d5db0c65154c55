// The viewer's place in the group: joining or asking to join as the group's policy allows,
// answering an invitation, leaving. The buttons follow the server's viewerCan… fields and
// the viewer's membership; the server checks each again.

import { h, link } from '../../dom.js';
import { GROUP_ROLES } from '../../format.js';
import { createForm, textAreaField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { groupPath, mutationButton, refusalSlot } from '../../groups.js';

/** " for Northshire Police", when the viewer speaks for an organisation the page shows. */
function speakingFor(group, membership) {
  const organisation = group.members.find((member) => member.id === membership.id)?.organisation;
  return organisation ? ` for ${organisation.name}` : '';
}

function invitation(group, membership, reload) {
  const refused = refusalSlot();
  const answer = (accept, label, className, message) =>
    mutationButton({
      label,
      className,
      operation: 'RespondToInvitation',
      input: () => ({ membershipId: membership.id, accept }),
      done: () => reload(message),
      refused,
    });
  return [
    h(
      'p',
      { class: 'place-status' },
      `You are invited to join as a ${GROUP_ROLES[membership.role].toLowerCase()}${speakingFor(group, membership)}.`,
    ),
    h(
      'div',
      { class: 'button-row' },
      answer(true, 'Accept the invitation', 'button button-primary', `You are a member of ${group.name}. Welcome.`),
      answer(false, 'Decline', 'button button-secondary', 'You declined the invitation.'),
    ),
    refused,
  ];
}

function leaveButton(group, label, reload, message) {
  const refused = refusalSlot();
  return [
    h(
      'div',
      { class: 'button-row' },
      mutationButton({
        label,
        operation: 'LeaveWorkingGroup',
        className: 'button button-secondary',
        input: () => ({ groupId: group.id }),
        done: () => reload(message),
        refused,
      }),
    ),
    refused,
  ];
}

function joining(group, reload) {
  if (!group.viewerCanJoin) {
    return h(
      'p',
      { class: 'place-status' },
      group.joinPolicy === 'INVITE_ONLY' ? 'Members join when a lead invites them.' : 'You cannot join this group.',
    );
  }
  if (group.joinPolicy === 'OPEN') {
    const refused = refusalSlot();
    return [
      h('p', { class: 'place-status' }, 'Anyone may join this group and take part in its work.'),
      h(
        'div',
        { class: 'button-row' },
        mutationButton({
          label: 'Join this group',
          className: 'button button-primary',
          operation: 'JoinWorkingGroup',
          input: () => ({ groupId: group.id }),
          done: () => reload(`You are a member of ${group.name}. Welcome.`),
          refused,
        }),
      ),
      refused,
    ];
  }
  return createForm({
    label: 'Ask to join',
    fields: [
      h('p', { class: 'place-status' }, 'A lead decides on each request to join.'),
      textAreaField({
        name: 'message',
        label: 'A word to the leads',
        limit: 1000,
        optional: true,
        rows: 3,
        hint: 'What you could bring to the group, or why it matters to you.',
      }),
    ],
    submitLabel: 'Ask to join',
    busyLabel: 'Asking…',
    onSubmit: (values) => mutate('JoinWorkingGroup', { groupId: group.id, message: values.message.trim() || null }),
    onSuccess: () => reload('Your request to join is sent. The leads are told.'),
  });
}

function content(group, { viewer, reload }) {
  const membership = group.viewerMembership;
  if (!viewer) {
    return h(
      'p',
      {},
      link(`/sign-in?next=${encodeURIComponent(groupPath(group.id))}`, 'Sign in to take part', { class: 'button button-primary' }),
    );
  }
  if (group.status === 'CLOSED') {
    return h('p', { class: 'place-status' }, 'This group has finished its work and takes no new members.');
  }
  switch (membership?.status) {
    case 'INVITED':
      return membership.viewerCanAnswer ? invitation(group, membership, reload) : h('p', { class: 'place-status' }, 'You are invited to join.');
    case 'REQUESTED':
      return [
        h('p', { class: 'place-status' }, 'You asked to join. A lead will decide.'),
        group.viewerCanLeave && leaveButton(group, 'Withdraw my request', reload, 'Your request to join is withdrawn.'),
      ];
    case 'ACTIVE':
      return [
        h(
          'p',
          { class: 'place-status' },
          `You are a ${GROUP_ROLES[membership.role].toLowerCase()} of this group${speakingFor(group, membership)}.`,
        ),
        group.viewerCanLeave && leaveButton(group, 'Leave the group', reload, `You have left ${group.name}.`),
      ];
    default:
      return joining(group, reload);
  }
}

export function placeCard(group, page) {
  return h(
    'section',
    { class: 'card panel place-card', 'aria-labelledby': 'place-title' },
    h('h2', { id: 'place-title' }, 'Take part'),
    content(group, page),
  );
}
