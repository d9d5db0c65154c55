// What the group is for and where it stands: its purpose, the problems it works on, its
// facts, and closing it for those who may.

import { h, link } from '../../dom.js';
import { GROUP_STATUSES, JOIN_POLICIES, formatDate, plural } from '../../format.js';
import { createForm } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { formOnRequest } from '../../groups.js';
import { markers, problemPath } from '../../problems.js';

const JOINING = {
  OPEN: 'Anyone signed in may join at once.',
  APPROVAL: 'Anyone signed in may ask to join; a lead decides.',
  INVITE_ONLY: 'Members join when a lead invites them.',
};

function fact(term, ...details) {
  return h('div', { class: 'fact-row' }, h('dt', {}, term), h('dd', {}, details));
}

export function activeMembers(group) {
  return group.members.filter((member) => member.status === 'ACTIVE');
}

export function aboutCard(group) {
  return h(
    'section',
    { class: 'card panel about-card', 'aria-labelledby': 'purpose-title' },
    h('h2', { id: 'purpose-title' }, 'What the group is for'),
    h('p', { class: 'group-purpose' }, group.purpose),
    h('h3', { id: 'group-problems-title' }, 'Problems it works on'),
    h(
      'ul',
      { class: 'link-list group-problems', 'aria-labelledby': 'group-problems-title' },
      group.problems.map((problem) =>
        h('li', {}, h('div', { class: 'markers' }, markers(problem)), link(problemPath(problem.id), problem.title)),
      ),
    ),
  );
}

export function factsCard(group) {
  const members = activeMembers(group);
  const leads = members.filter((member) => member.role === 'LEAD');
  const organisations = new Set(members.filter((member) => member.organisation).map((member) => member.organisation.id));
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'group-facts-title' },
    h('h2', { id: 'group-facts-title' }, 'Where it stands'),
    h(
      'dl',
      { class: 'fact-list', id: 'group-facts' },
      fact('Status', GROUP_STATUSES[group.status] ?? group.status),
      fact('Area', link(`/areas/${encodeURIComponent(group.area.id)}`, group.area.name)),
      group.status === 'CLOSED'
        ? fact('Joining', 'It takes no new members')
        : fact('Joining', JOIN_POLICIES[group.joinPolicy] ?? group.joinPolicy, h('span', { class: 'fact-note' }, JOINING[group.joinPolicy])),
      fact('Members', plural(members.length, 'member'), organisations.size > 0 && h('span', { class: 'fact-note' }, `${plural(organisations.size, 'organisation')} represented`)),
      fact('Led by', leads.map((member) => member.user.displayName).join(', ') || 'Nobody at present'),
      fact('Formed', formatDate(group.createdAt)),
      group.closedAt && fact('Closed', formatDate(group.closedAt)),
    ),
  );
}

/** Closing, for its leads and the area's coordinators: the record stays, the work stops. */
export function closeCard(group, { reload }) {
  if (!group.viewerCanClose) return null;
  const slot = formOnRequest({
    label: 'Close the group…',
    build: (cancel) =>
      createForm({
        label: 'Close the group',
        fields: [h('p', {}, 'Once closed, it takes no new members or actions. Its record stays readable here.')],
        submitLabel: 'Close the group',
        busyLabel: 'Closing…',
        extraActions: [cancel],
        onSubmit: () => mutate('CloseWorkingGroup', { groupId: group.id }),
        onSuccess: () => reload('The group is closed. Its record stays here for everyone who could see it.'),
      }),
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'close-title' },
    h('h2', { id: 'close-title' }, 'When the work is done'),
    h('p', { class: 'hint' }, 'Leads and the area’s coordinators close the group when its work is over.'),
    slot,
  );
}
