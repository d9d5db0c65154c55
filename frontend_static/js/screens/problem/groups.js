// The working groups on the problem, and forming one for those the server says may
// (viewerCanFormWorkingGroup).

import { flash } from '../../banner.js';
import { h } from '../../dom.js';
import { createForm, radioField, textAreaField, textField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { formOnRequest, groupCard, groupPath } from '../../groups.js';
import { navigate } from '../../router.js';

const POLICIES = [
  { value: 'OPEN', label: 'Open to all', hint: 'Anyone signed in joins at once.' },
  { value: 'APPROVAL', label: 'Join on approval', hint: 'Anyone may ask; a lead decides.' },
  { value: 'INVITE_ONLY', label: 'By invitation', hint: 'Only those the leads invite.' },
];

function formGroup(problem) {
  return formOnRequest({
    label: 'Form a working group…',
    build: (cancel) =>
      createForm({
        label: 'Form a working group',
        fields: [
          textField({ name: 'name', label: 'Name of the group', limit: 120, autocomplete: 'off', hint: 'Such as “Riverside underpass group”.' }),
          textAreaField({ name: 'purpose', label: 'Purpose', rows: 4, limit: 5000, hint: 'What the group will do together, and what would count as success.' }),
          radioField({ name: 'joinPolicy', label: 'Who may join', options: POLICIES, value: 'APPROVAL' }),
        ],
        submitLabel: 'Form the group',
        busyLabel: 'Forming…',
        extraActions: [cancel],
        onSubmit: (values) =>
          mutate('FormWorkingGroup', {
            problemId: problem.id,
            name: values.name,
            purpose: values.purpose,
            joinPolicy: values.joinPolicy || null,
          }),
        onSuccess: ({ workingGroup }) => {
          flash(`${workingGroup.name} is formed, and you lead it. Invite the people who should take part.`);
          navigate(groupPath(workingGroup.id));
        },
      }),
  });
}

export function groupsCard(problem) {
  const groups = problem.workingGroups;
  if (!groups.length && !problem.viewerCanFormWorkingGroup) return null;
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'groups-title' },
    h('h2', { id: 'groups-title' }, 'Working groups'),
    h('p', { class: 'hint' }, 'Police, partners and residents working on this problem together.'),
    groups.length
      ? h('ul', { class: 'group-list group-list-compact', 'aria-labelledby': 'groups-title' }, groups.map((group) => groupCard(group, { brief: true })))
      : h('p', { class: 'muted' }, 'No group works on it yet.'),
    problem.viewerCanFormWorkingGroup && formGroup(problem),
  );
}
