// The group's members. Everyone sees the active members; the server also sends leads and
// the area's coordinators the invitations and requests, with contact emails, and says on
// each membership whether the viewer may decide it or change its role (viewerCan…).

import { h } from '../../dom.js';
import { ORGANISATION_KINDS } from '../../format.js';
import { mutationButton, refusalSlot } from '../../groups.js';
import { activeMembers } from './about.js';
import { inviteForm } from './invite.js';

function who(member) {
  return [
    h('span', { class: 'member-name' }, member.user.displayName),
    member.role === 'LEAD' && h('span', { class: 'pill pill-lead' }, 'Lead'),
  ];
}

function speaking(member) {
  if (!member.organisation) return 'Resident';
  const { name } = member.organisation;
  const kind = ORGANISATION_KINDS[member.organisation.kind];
  // "Northshire Police (Police)" would say it twice.
  return kind && !name.toLowerCase().includes(kind.toLowerCase()) ? `${name} (${kind})` : name;
}

function contact(member) {
  return member.contactEmail && h('a', { class: 'member-contact', href: `mailto:${member.contactEmail}` }, member.contactEmail);
}

function roleButton(member, { viewer, reload }, refused) {
  const promote = member.role === 'MEMBER';
  const self = viewer && member.user.id === viewer.user.id;
  let label = 'Make a lead';
  if (!promote) label = self ? 'Step down as lead' : 'Make a member';
  return mutationButton({
    label,
    ariaLabel: self ? null : `${label}: ${member.user.displayName}`,
    operation: 'SetGroupMemberRole',
    input: () => ({ membershipId: member.id, role: promote ? 'LEAD' : 'MEMBER' }),
    done: () =>
      reload(
        promote
          ? `${member.user.displayName} is now a lead.`
          : self
            ? 'You are no longer a lead.'
            : `${member.user.displayName} is now a member.`,
      ),
    refused,
  });
}

/** One person in a list: who, for whom, what else the list says of them, and its buttons. */
function memberRow(member, { note = null, extra = null, actions = null, refused = null } = {}) {
  return h(
    'li',
    { class: 'member' },
    h(
      'div',
      { class: 'member-main' },
      h('p', { class: 'member-who' }, who(member)),
      h('p', { class: 'member-meta' }, speaking(member), note),
      extra,
      contact(member),
    ),
    actions && h('div', { class: 'member-actions' }, actions),
    refused,
  );
}

function memberItem(member, page) {
  const refused = refusalSlot();
  return memberRow(member, { actions: member.viewerCanSetRole && roleButton(member, page, refused), refused });
}

function requestItem(member, { reload }) {
  const refused = refusalSlot();
  const decide = (approve, label, className, message) =>
    mutationButton({
      label,
      className,
      ariaLabel: `${label}: ${member.user.displayName}`,
      operation: 'DecideJoinRequest',
      input: () => ({ membershipId: member.id, approve }),
      done: () => reload(message),
      refused,
    });
  return memberRow(member, {
    extra: member.message && h('blockquote', { class: 'member-message' }, member.message),
    actions: member.viewerCanDecide && [
      decide(true, 'Approve', 'button button-primary button-small', `${member.user.displayName} is now a member. They are told.`),
      decide(false, 'Decline', 'button button-secondary button-small', `The request from ${member.user.displayName} is declined. They are told.`),
    ],
    refused,
  });
}

function invitationItem(member) {
  return memberRow(member, { note: ' · not yet answered' });
}

function subsection(id, title, items, empty) {
  return [
    h('h3', { id }, title),
    items.length ? h('ul', { class: 'member-list', 'aria-labelledby': id }, items) : h('p', { class: 'muted' }, empty),
  ];
}

export function membersPanel(group, page) {
  const active = activeMembers(group);
  const requests = group.members.filter((member) => member.status === 'REQUESTED');
  const invitations = group.members.filter((member) => member.status === 'INVITED');
  // Only those who may see requests and invitations are sent them.
  const seesPending = group.viewerCanLead || requests.length > 0 || invitations.length > 0;
  return h(
    'section',
    { class: 'card panel members-panel', 'aria-labelledby': 'members-title' },
    h('h2', { id: 'members-title' }, 'Members ', h('span', { class: 'count-note' }, `(${active.length})`)),
    h(
      'ul',
      { class: 'member-list', 'aria-labelledby': 'members-title' },
      active.map((member) => memberItem(member, page)),
    ),
    seesPending && [
      subsection('requests-title', `Requests to join (${requests.length})`, requests.map((member) => requestItem(member, page)), 'No requests waiting.'),
      subsection('invitations-title', `Invitations (${invitations.length})`, invitations.map(invitationItem), 'No invitations waiting for an answer.'),
    ],
    group.viewerCanInvite && [
        h('h3', { id: 'invite-title' }, 'Invite someone'),
        h('p', { class: 'hint' }, 'They are told, and join when they accept.'),
        inviteForm(group, page),
      ],
  );
}
