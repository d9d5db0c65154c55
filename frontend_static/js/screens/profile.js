// The signed-in person's profile: name, home area, skills, notification preferences, and
// the ID they give an administrator who is to assign them a role.

import { h, link, loading, replaceChildren } from '../dom.js';
import { allAreas, areaOptions } from '../choices.js';
import { AREA_ROLES, DIGEST_FREQUENCIES, ORGANISATION_KINDS, ORGANISATION_ROLES, optionsOf } from '../format.js';
import { checkboxField, createForm, selectField, tagsField, textField } from '../forms.js';
import { mutate } from '../graphql.js';
import { flash } from '../banner.js';
import { navigate } from '../router.js';

function idCard(viewer) {
  const code = h('code', { class: 'user-id', id: 'your-id' }, viewer.user.id);
  const copied = h('span', { class: 'copy-status', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary button-small',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(viewer.user.id);
          copied.textContent = 'Copied.';
        } catch {
          window.getSelection().selectAllChildren(code);
          copied.textContent = 'Selected: copy it with your keyboard.';
        }
      },
    },
    'Copy',
  );
  return h(
    'section',
    { class: 'card panel id-card', 'aria-labelledby': 'id-title' },
    h('h2', { id: 'id-title' }, 'Your ID'),
    h('p', { class: 'hint' }, 'An administrator who is to give you a role in an area needs this ID. Share it with them.'),
    h('div', { class: 'id-row' }, code, copy, copied),
  );
}

function rolesCard(viewer) {
  const items = [
    viewer.isAdmin &&
      h(
        'li',
        {},
        h('span', { class: 'role-name' }, 'Platform administrator'),
        h('span', { class: 'pill' }, 'Areas and organisations'),
      ),
    ...viewer.organisations.map((membership) =>
      h(
        'li',
        {},
        h('span', { class: 'role-name' }, membership.organisation.name),
        h(
          'span',
          { class: 'pill' },
          `${ORGANISATION_ROLES[membership.role]} · ${ORGANISATION_KINDS[membership.organisation.kind]}`,
        ),
      ),
    ),
    ...viewer.areaRoles.map((role) =>
      h(
        'li',
        {},
        link(`/areas/${encodeURIComponent(role.area.id)}`, role.area.name, { class: 'role-name' }),
        h('span', { class: 'pill' }, `${AREA_ROLES[role.role]} of the area`),
      ),
    ),
  ];
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'roles-title' },
    h('h2', { id: 'roles-title' }, 'Your roles'),
    items.some(Boolean)
      ? h('ul', { class: 'role-list' }, items)
      : h('p', { class: 'muted' }, 'You are taking part as a resident. Organisations and area coordinators are set up by administrators.'),
  );
}

function dataCard(session) {
  const eraseForm = createForm({
    label: 'Erase your account',
    fields: [
      textField({
        name: 'password',
        label: 'Your password',
        type: 'password',
        autocomplete: 'current-password',
        hint: 'Erasing cannot be undone. What you said in public stays, shown as a former participant.',
      }),
    ],
    submitLabel: 'Erase my account',
    busyLabel: 'Erasing…',
    onSubmit: (values) => mutate('EraseAccount', { password: values.password }),
    onSuccess: () => {
      session.set(null);
      flash('Your account is erased. Thank you for taking part.');
      navigate('/');
    },
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title' }, 'Your data'),
    h(
      'p',
      {},
      h('a', { href: '/export/my-data.json', download: '', class: 'button button-secondary button-small', id: 'download-data' }, 'Download a copy of your data'),
    ),
    eraseForm,
  );
}

export async function render(view, context) {
  const { session, setTitle } = context;
  setTitle('Your profile');
  if (!context.requireViewer()) return;
  const lead = h('p', { class: 'lead' }, `Signed in as ${session.viewer.email}`);
  const body = h('div', { class: 'profile-layout', 'aria-busy': 'true' }, loading('Loading your profile…'));
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Your profile'), lead), body);
  // What the server holds now, not what this page remembered from earlier.
  const [viewer, areas] = await Promise.all([session.refresh(), allAreas()]);
  if (!context.requireViewer()) return;
  lead.textContent = `Signed in as ${viewer.email}`;
  body.removeAttribute('aria-busy');
  draw(body, viewer, areaOptions(areas), session);
}

function draw(body, viewer, areaChoices, session) {
  const homeArea = selectField({
    name: 'homeAreaId',
    label: 'Home area',
    placeholder: 'No home area',
    optional: true,
    options: areaChoices,
    value: viewer.homeArea?.id ?? '',
  });
  const profileForm = createForm({
    label: 'Profile',
    fields: [
      textField({ name: 'displayName', label: 'Your name', value: viewer.user.displayName, autocomplete: 'name' }),
      homeArea,
      tagsField({
        name: 'skills',
        label: 'Skills',
        values: viewer.skills,
        hint: 'What you could offer a working group or a volunteer task. Press Enter after each one.',
        placeholder: 'First aid, translation, litter picking…',
      }),
    ],
    submitLabel: 'Save profile',
    busyLabel: 'Saving…',
    onSubmit: (values) =>
      mutate('UpdateProfile', {
        displayName: values.displayName,
        homeAreaId: values.homeAreaId || null,
        skills: values.skills,
      }),
    onSuccess: (payload, form) => {
      session.set(payload.viewer);
      form.succeed('Your profile is saved.');
    },
  });

  const preferences = viewer.notificationPreferences;
  const preferencesForm = createForm({
    label: 'Notification preferences',
    fields: [
      checkboxField({
        name: 'email',
        label: 'Email me my notifications',
        checked: preferences.email,
        hint: 'Sign-in links are always emailed.',
      }),
      checkboxField({
        name: 'taskReminders',
        label: 'Remind me before volunteer tasks I signed up for',
        checked: preferences.taskReminders,
      }),
      selectField({
        name: 'digest',
        label: 'Progress digest',
        options: optionsOf(DIGEST_FREQUENCIES),
        value: preferences.digest,
        hint: 'A summary of progress on the problems you follow.',
      }),
    ],
    submitLabel: 'Save preferences',
    busyLabel: 'Saving…',
    onSubmit: (values) => mutate('UpdateNotificationPreferences', values),
    onSuccess: (payload, form) => {
      session.set(payload.viewer);
      form.succeed('Your notification preferences are saved.');
    },
  });

  replaceChildren(
    body,
    h(
      'div',
      { class: 'profile-main' },
      h('section', { class: 'card panel', 'aria-labelledby': 'about-title' }, h('h2', { id: 'about-title' }, 'About you'), profileForm),
      h(
        'section',
        { class: 'card panel', 'aria-labelledby': 'prefs-title' },
        h('h2', { id: 'prefs-title' }, 'Notifications'),
        preferencesForm,
      ),
    ),
    h('div', { class: 'profile-side' }, idCard(viewer), rolesCard(viewer), dataCard(session)),
  );
}
