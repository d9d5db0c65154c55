// The signed-in person's profile: name, home area, skills, notification preferences, their
// volunteer tasks, hours and calendar address, the ID they give an administrator who is to
// assign them a role, their password, and where they are signed in (browsers and API tokens).

import { h, link, loading, replaceChildren } from '../dom.js';
import { allAreas, areaOptions } from '../choices.js';
import {
  AREA_ROLES,
  DIGEST_FREQUENCIES,
  ORGANISATION_KINDS,
  ORGANISATION_ROLES,
  describeBrowser,
  formatDate,
  formatDateTime,
  optionsOf,
} from '../format.js';
import { checkboxField, createForm, radioField, selectField, tagsField, textField, wholeNumber } from '../forms.js';
import { mutate, request } from '../graphql.js';
import { flash, showError } from '../banner.js';
import { navigate } from '../router.js';
import { groupsCard } from './profile/groups.js';
import { nextStepsCard } from '../next-steps.js';
import { tasksCards } from './profile/tasks.js';
import { copyRow } from '../copy.js';
import { knowTimeZone } from '../tasks.js';

// Sent only when something changed since the last one.
const DIGEST_HINTS = {
  NEVER: 'No digest.',
  DAILY: 'At most one a day, when there is news.',
  WEEKLY: 'At most one a week, when there is news.',
};

function idCard(viewer) {
  return h(
    'section',
    { class: 'card panel id-card', 'aria-labelledby': 'id-title' },
    h('h2', { id: 'id-title' }, 'Your ID'),
    h('p', { class: 'hint' }, 'An administrator who is to give you a role in an area needs this ID. Share it with them.'),
    copyRow(h('code', { class: 'user-id', id: 'your-id' }, viewer.user.id)),
  );
}

function passwordCard(afterChange) {
  const form = createForm({
    label: 'Change your password',
    fields: [
      textField({ name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' }),
      textField({
        name: 'newPassword',
        label: 'New password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 10 characters. Every other browser and API token signed in as you is signed out.',
      }),
    ],
    submitLabel: 'Change password',
    busyLabel: 'Changing…',
    onSubmit: (values) => mutate('ChangePassword', values),
    onSuccess: async (payload, form) => {
      for (const input of form.querySelectorAll('input')) input.value = '';
      form.succeed('Your password is changed. You are still signed in here, and signed out everywhere else.');
      await afterChange();
    },
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'password-title' },
    h('h2', { id: 'password-title' }, 'Password'),
    form,
  );
}

/** What a session is, in the words its owner would recognise. */
function sessionName(entry) {
  return entry.kind === 'API_TOKEN' ? `API token “${entry.label}”` : describeBrowser(entry.userAgent);
}

function when(iso, format = formatDate) {
  return h('time', { datetime: iso }, format(iso));
}

/** The browsers and API tokens signed in as the viewer, each with a button that ends it. */
function sessionsCard(session) {
  const table = h('div', { class: 'table-scroll' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const elsewhere = h('button', { type: 'button', class: 'button button-secondary' }, 'Sign out everywhere else');

  function say(message) {
    status.textContent = message;
  }

  function show(sessions) {
    elsewhere.disabled = sessions.every((entry) => entry.isCurrent);
    replaceChildren(
      table,
      h(
        'table',
        { class: 'table sessions-table' },
        h('caption', { class: 'visually-hidden' }, 'Browsers and API tokens signed in to your account'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Signed in with'),
            h('th', { scope: 'col' }, 'Since'),
            h('th', { scope: 'col' }, 'Last used'),
            h('th', { scope: 'col' }, 'Expires'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h('tbody', {}, sessions.map(row)),
      ),
    );
  }

  function row(entry) {
    const name = sessionName(entry);
    const button = h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary button-small',
        'aria-label': entry.isCurrent ? `Sign out of ${name}, the one you are using` : `Sign out ${name}, signed in ${formatDateTime(entry.createdAt)}`,
      },
      entry.isCurrent ? 'Sign out' : 'Revoke',
    );
    button.addEventListener('click', () => revoke(entry, button));
    return h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'session-name' }, name, entry.isCurrent && h('span', { class: 'pill' }, 'This browser')),
      ),
      h('td', { 'data-label': 'Since' }, when(entry.createdAt)),
      h('td', { 'data-label': 'Last used' }, when(entry.lastSeenAt, formatDateTime)),
      h('td', { 'data-label': 'Expires' }, when(entry.expiresAt)),
      h('td', { class: 'session-action' }, button),
    );
  }

  async function revoke(entry, button) {
    button.disabled = true;
    try {
      const payload = await mutate('RevokeSession', { sessionId: entry.id });
      if (payload.errors.length) {
        say(payload.errors.map((error) => error.message).join(' '));
        await reload();
        return;
      }
      if (entry.isCurrent) {
        session.set(null);
        flash('You are signed out.');
        navigate('/');
        return;
      }
      show(payload.viewer.sessions);
      say(`Signed out: ${sessionName(entry)}.`);
    } catch (error) {
      button.disabled = false;
      showError(error);
    }
  }

  elsewhere.addEventListener('click', async () => {
    elsewhere.disabled = true;
    try {
      const payload = await mutate('RevokeOtherSessions');
      if (payload.errors.length) throw new Error(payload.errors.map((error) => error.message).join(' '));
      show(payload.viewer.sessions);
      say('You are signed out everywhere else.');
    } catch (error) {
      elsewhere.disabled = false;
      showError(error);
    }
  });

  async function reload() {
    const data = await request('ViewerSessions');
    if (data.viewer) show(data.viewer.sessions);
  }

  const card = h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, 'Where you are signed in'),
    h('p', { class: 'hint' }, 'The browsers and API tokens signed in to your account. Revoke any you do not recognise.'),
    table,
    h('div', { class: 'form-actions' }, elsewhere),
    status,
  );
  card.show = show;
  card.reload = reload;
  return card;
}

function apiTokenCard(afterCreate) {
  const issued = h('div', { class: 'token-issued' });
  issued.hidden = true;
  const form = createForm({
    label: 'Create an API token',
    fields: [
      textField({
        name: 'label',
        limit: 80,
        label: 'Token name',
        autocomplete: 'off',
        hint: 'Say what will use it, such as “Weekly report script”.',
      }),
      textField({
        name: 'expiresInDays',
        label: 'Lasts for (days)',
        optional: true,
        inputmode: 'numeric',
        class: 'input-short',
        hint: 'Leave it empty for the longest time allowed.',
      }),
    ],
    submitLabel: 'Create token',
    busyLabel: 'Creating…',
    check: (values) =>
      wholeNumber(values.expiresInDays) === undefined
        ? [{ field: 'expiresInDays', message: 'The number of days must be a whole number' }]
        : [],
    onSubmit: (values) => mutate('CreateApiToken', { label: values.label, expiresInDays: wholeNumber(values.expiresInDays) }),
    onSuccess: async (payload, form) => {
      const name = form.values().label.trim();
      for (const input of form.querySelectorAll('input')) input.value = '';
      form.succeed(`Token “${name}” created. It works until ${formatDateTime(payload.expiresAt)}.`);
      replaceChildren(
        issued,
        h('p', {}, h('strong', {}, 'Copy your new token now: '), 'it is not shown again. Send it as “Authorization: Bearer …”.'),
        copyRow(h('code', { class: 'user-id', id: 'new-token' }, payload.token), 'Copy token'),
      );
      issued.hidden = false;
      await afterCreate();
    },
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    h('p', { class: 'hint' }, 'A program that uses the Rungs API acts as you with a token. Each one expires, and you can revoke it above.'),
    form,
    issued,
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
  // Erasing asks once more, in the page, before anything is sent: it cannot be undone.
  const question = h('h3', { id: 'erase-question', tabindex: '-1' }, 'Erase your account for good?');
  const confirmErase = h('button', { type: 'button', class: 'button button-danger' }, 'Yes, erase my account');
  const keep = h('button', { type: 'button', class: 'button button-secondary' }, 'No, keep my account');
  const confirmation = h(
    'div',
    { class: 'erase-confirmation', role: 'group', 'aria-labelledby': 'erase-question', hidden: true },
    question,
    h('p', {}, 'Your name, email address, password, settings and sign-ins go, and you are signed out. This cannot be undone.'),
    h('div', { class: 'form-actions' }, confirmErase, keep),
  );
  let confirmed = false;
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
    onSubmit: (values) => {
      if (!confirmed) {
        confirmation.hidden = false;
        question.focus();
        return null;
      }
      confirmed = false;
      return mutate('EraseAccount', { password: values.password });
    },
    onSuccess: (payload) => {
      if (!payload) return;
      session.set(null);
      flash('Your account is erased. Thank you for taking part.');
      navigate('/');
    },
  });
  confirmErase.addEventListener('click', () => {
    confirmed = true;
    confirmation.hidden = true;
    eraseForm.requestSubmit();
  });
  keep.addEventListener('click', () => {
    confirmation.hidden = true;
    eraseForm.field('password').control.focus();
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
    confirmation,
  );
}

export async function render(view, context) {
  const { session, setTitle } = context;
  setTitle('Your profile');
  if (!context.requireViewer()) return;
  const lead = h('p', { class: 'lead' }, `Signed in as ${session.viewer.email}`);
  const body = h('div', { class: 'profile-layout', 'aria-busy': 'true' }, loading('Loading your profile…'));
  view.append(h('div', { class: 'page-head' }, h('h1', {}, 'Your profile'), lead), body);
  const steps = nextStepsCard(session.viewer);
  // What the server holds now, not what this page remembered from earlier.
  const [viewer, areas, signedIn, groups, volunteering] = await Promise.all([
    session.refresh(),
    allAreas(),
    request('ViewerSessions'),
    request('ViewerGroupMemberships'),
    request('ViewerAssignments', { upcoming: true, first: 10 }),
    knowTimeZone(),
  ]);
  if (!context.requireViewer()) return;
  lead.textContent = `Signed in as ${viewer.email}`;
  body.removeAttribute('aria-busy');
  draw(body, viewer, areaOptions(areas), session, {
    sessions: signedIn.viewer?.sessions ?? [],
    memberships: groups.viewer?.groupMemberships ?? [],
    volunteering: volunteering.viewer,
    steps: steps.card,
  });
  await steps.ready;
}

function draw(body, viewer, areaChoices, session, { sessions, memberships, volunteering, steps }) {
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
      textField({ name: 'displayName', label: 'Your name', value: viewer.user.displayName, limit: 80, autocomplete: 'name' }),
      checkboxField({
        name: 'publicInitials',
        label: 'Show me to the public by my initials',
        checked: viewer.publicInitials,
        hint: 'Visitors who are not signed in, and other residents, then see your initials instead of your name. Police, partners and coordinators still see your name.',
      }),
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
        publicInitials: values.publicInitials,
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
      radioField({
        name: 'digest',
        label: 'Progress digest',
        options: optionsOf(DIGEST_FREQUENCIES).map((option) => ({ ...option, hint: DIGEST_HINTS[option.value] })),
        value: preferences.digest,
        hint: 'A summary of what changed on the problems you follow and in your groups and tasks.',
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

  const signedIn = sessionsCard(session);
  signedIn.show(sessions);

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
      signedIn,
      apiTokenCard(signedIn.reload),
      passwordCard(signedIn.reload),
    ),
    h('div', { class: 'profile-side' }, steps, volunteering && tasksCards(volunteering), groupsCard(memberships), idCard(viewer), rolesCard(viewer), dataCard(session)),
  );
}
