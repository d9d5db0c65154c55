// Administration. Platform admins set up areas, organisations, area roles and routing
// rules; organisation admins add members to their own organisations. The server checks
// every right again: this page only leaves out what would be refused.

import { showError } from '../banner.js';
import { h, link } from '../dom.js';
import { allAreas, allOrganisations, areaOptions, organisationOptions } from '../choices.js';
import { AREA_ROLES, ORGANISATION_KINDS, ORGANISATION_ROLES, PROBLEM_CATEGORIES, optionsOf } from '../format.js';
import { createForm, optionalText, selectField, textField, wholeNumber } from '../forms.js';
import { mutate, request } from '../graphql.js';
import { administeredOrganisations, canAdminister } from '../session.js';

function panel(id, title, description, form) {
  return h(
    'section',
    { class: 'card panel admin-panel', 'aria-labelledby': id },
    h('h3', { id }, title),
    h('p', { class: 'hint' }, description),
    form,
  );
}

function areaLink(area) {
  return link(`/areas/${encodeURIComponent(area.id)}`, area.name);
}

/** A field that says whose ID was typed into it, so a mistyped ID is noticed before sending. */
function userIdField() {
  const field = textField({
    name: 'userId',
    label: 'Person’s ID',
    autocomplete: 'off',
    spellcheck: 'false',
    missing: 'Enter the person’s ID',
    hint: 'Ask them for the ID shown on their profile page under “Your ID”.',
  });
  const result = h('p', { class: 'lookup', role: 'status' });
  field.insertBefore(result, field.querySelector('.field-error'));
  field.person = null;
  let asked = '';
  const lookUp = async () => {
    const id = field.read().trim();
    if (id === asked) return;
    asked = id;
    field.person = null;
    result.textContent = '';
    result.className = 'lookup';
    if (!id) return;
    try {
      const { node } = await request('Node', { id });
      if (asked !== id) return;
      if (node?.__typename === 'User') {
        field.person = node;
        result.textContent = `This is ${node.displayName}.`;
        result.className = 'lookup lookup-found';
      } else {
        result.textContent = 'No person has this ID.';
        result.className = 'lookup lookup-missing';
      }
    } catch (error) {
      showError(error);
    }
  };
  field.control.addEventListener('change', lookUp);
  field.control.addEventListener('blur', lookUp);
  field.reset = () => {
    field.control.value = '';
    asked = '';
    field.person = null;
    result.textContent = '';
  };
  return field;
}

export async function render(view, context) {
  const { session, setTitle, query } = context;
  setTitle('Administration');
  if (!context.requireViewer()) return;
  const viewer = session.viewer;

  if (!canAdminister(viewer)) {
    view.append(
      h(
        'section',
        { class: 'narrow' },
        h('h1', {}, 'Administration'),
        h(
          'p',
          { class: 'notice' },
          'This page is for platform administrators and organisation admins. Your account has neither role.',
        ),
        h('p', {}, link('/', 'Go to the home page', { class: 'button button-primary' })),
      ),
    );
    return;
  }

  const chosenArea = query.get('area') ?? '';
  const areaFields = [];
  const organisationFields = [];
  const areaField = (options) => {
    const field = selectField({ placeholder: 'Choose an area', value: chosenArea, ...options });
    areaFields.push(field);
    return field;
  };
  const organisationField = (options) => {
    const field = selectField({ placeholder: 'Choose an organisation', ...options });
    organisationFields.push(field);
    return field;
  };

  let areas = [];
  let organisations = viewer.isAdmin ? [] : administeredOrganisations(viewer);
  const organisationName = (id) => organisations.find((organisation) => organisation.id === id)?.name;

  async function loadAreas() {
    areas = await allAreas();
    for (const field of areaFields) field.setOptions(areaOptions(areas));
  }
  async function loadOrganisations() {
    if (viewer.isAdmin) organisations = await allOrganisations();
    for (const field of organisationFields) field.setOptions(organisationOptions(organisations));
  }

  const areaPanels = [];
  const organisationPanels = [];

  if (viewer.isAdmin) {
    const createArea = createForm({
      label: 'Create an area',
      fields: [
        textField({ name: 'name', label: 'Name', limit: 120, autocomplete: 'off' }),
        areaField({
          name: 'parentId',
          label: 'Part of',
          placeholder: 'Nothing: a top-level area',
          optional: true,
        }),
        textField({
          name: 'responseDays',
          label: 'Response time in days',
          inputmode: 'numeric',
          optional: true,
          hint: 'Days within which proposals here must be answered. Leave empty to use the parent area’s.',
          class: 'input input-short',
        }),
        textField({
          name: 'slug',
          label: 'Short name for addresses',
          optional: true,
          autocomplete: 'off',
          hint: 'Made from the name when left empty.',
        }),
      ],
      submitLabel: 'Create area',
      busyLabel: 'Creating…',
      check: (values) =>
        wholeNumber(values.responseDays) === undefined
          ? [{ field: 'responseDays', message: 'The response time must be a whole number of days' }]
          : [],
      onSubmit: (values) =>
        mutate('CreateArea', {
          name: values.name,
          parentId: values.parentId || null,
          responseDays: wholeNumber(values.responseDays),
          slug: optionalText(values.slug),
        }),
      onSuccess: async ({ area }, form) => {
        form.succeed(
          'Created ',
          areaLink(area),
          area.parent ? ` in ${area.parent.name}.` : ' as a top-level area.',
        );
        for (const name of ['name', 'responseDays', 'slug']) form.field(name).control.value = '';
        form.field('name').recount();
        await loadAreas();
      },
    });
    areaPanels.push(panel('create-area-title', 'Create an area', 'Areas form a tree: a force, its districts, their neighbourhoods.', createArea));

    const createOrganisation = createForm({
      label: 'Create an organisation',
      fields: [
        textField({ name: 'name', label: 'Name', limit: 120, autocomplete: 'organization', missing: 'Enter a name' }),
        selectField({
          name: 'kind',
          label: 'Kind',
          placeholder: 'Choose a kind',
          missing: 'Choose the kind of organisation',
          options: optionsOf(ORGANISATION_KINDS),
        }),
      ],
      submitLabel: 'Create organisation',
      busyLabel: 'Creating…',
      onSubmit: (values) => mutate('CreateOrganisation', { name: values.name, kind: values.kind }),
      onSuccess: async ({ organisation }, form) => {
        form.succeed(`Created ${organisation.name} (${ORGANISATION_KINDS[organisation.kind]}).`);
        form.field('name').control.value = '';
        form.field('name').recount();
        await loadOrganisations();
      },
    });
    organisationPanels.push(
      panel('create-organisation-title', 'Create an organisation', 'A police team or a partner agency that can own and answer proposals.', createOrganisation),
    );
  }

  const addMember = createForm({
    label: 'Add an organisation member',
    fields: [
      organisationField({ name: 'organisationId', label: 'Organisation' }),
      textField({
        name: 'email',
        label: 'Their email address',
        type: 'email',
        autocomplete: 'off',
        hint: 'They need an account on Rungs already.',
      }),
      selectField({ name: 'role', label: 'Role', options: optionsOf(ORGANISATION_ROLES), value: 'MEMBER' }),
    ],
    submitLabel: 'Add member',
    busyLabel: 'Adding…',
    onSubmit: (values) =>
      mutate('AddOrganisationMember', { organisationId: values.organisationId, email: values.email.trim(), role: values.role }),
    onSuccess: ({ organisation }, form) => {
      const values = form.values();
      const role = values.role === 'ADMIN' ? 'an admin' : 'a member';
      form.succeed(`${values.email.trim()} is now ${role} of ${organisation.name}. They have been notified.`);
      form.field('email').control.value = '';
    },
  });
  organisationPanels.push(
    panel(
      'add-member-title',
      'Add an organisation member',
      viewer.isAdmin
        ? 'Members answer for the organisation on the problems it owns; admins can also add members.'
        : 'Add people to the organisations you administer. Admins can add members too.',
      addMember,
    ),
  );

  const leaver = userIdField();
  const removeMember = createForm({
    label: 'Remove an organisation member',
    fields: [organisationField({ name: 'organisationId', label: 'Organisation' }), leaver],
    submitLabel: 'Remove member',
    busyLabel: 'Removing…',
    onSubmit: (values) =>
      mutate('RemoveOrganisationMember', { organisationId: values.organisationId, userId: values.userId.trim() }),
    onSuccess: ({ organisation }, form) => {
      form.succeed(`${leaver.person?.displayName ?? 'That person'} is no longer a member of ${organisation.name}.`);
      leaver.reset();
    },
  });
  organisationPanels.push(
    panel(
      'remove-member-title',
      'Remove an organisation member',
      'When someone leaves, take them off the list: they no longer answer for the organisation.',
      removeMember,
    ),
  );

  if (viewer.isAdmin) {
    // Giving and taking away an area role ask the same three things.
    const areaRoleForm = ({ label, submitLabel, busyLabel, operation, outcome }) => {
      const person = userIdField();
      return createForm({
        label,
        fields: [
          areaField({ name: 'areaId', label: 'Area' }),
          person,
          selectField({ name: 'role', label: 'Role', options: optionsOf(AREA_ROLES), value: 'COORDINATOR' }),
        ],
        submitLabel,
        busyLabel,
        onSubmit: (values) => mutate(operation, { areaId: values.areaId, userId: values.userId.trim(), role: values.role }),
        onSuccess: ({ area }, form) => {
          const role = AREA_ROLES[form.values().role].toLowerCase();
          form.succeed(`${person.person?.displayName ?? 'That person'} ${outcome} ${role} of `, areaLink(area), '.');
          person.reset();
        },
      });
    };
    areaPanels.push(
      panel(
        'assign-role-title',
        'Give someone a role in an area',
        'Coordinators answer for an area and every area within it; moderators look after what is written there.',
        areaRoleForm({
          label: 'Give someone a role in an area',
          submitLabel: 'Assign role',
          busyLabel: 'Assigning…',
          operation: 'AssignAreaRole',
          outcome: 'is now',
        }),
      ),
      panel(
        'revoke-role-title',
        'Take a role away',
        'When someone stops coordinating or moderating an area.',
        areaRoleForm({
          label: 'Take a role away',
          submitLabel: 'Take role away',
          busyLabel: 'Taking it away…',
          operation: 'RevokeAreaRole',
          outcome: 'is no longer',
        }),
      ),
    );

    const routing = createForm({
      label: 'Set a routing rule',
      fields: [
        areaField({ name: 'areaId', label: 'Area', missing: 'Choose an area' }),
        selectField({
          name: 'category',
          label: 'Category of problem',
          placeholder: 'Choose a category',
          missing: 'Choose a category',
          options: optionsOf(PROBLEM_CATEGORIES),
        }),
        organisationField({ name: 'organisationId', label: 'Owned by', missing: 'Choose an organisation' }),
      ],
      submitLabel: 'Set routing rule',
      busyLabel: 'Saving…',
      onSubmit: (values) =>
        mutate('SetRoutingRule', { areaId: values.areaId, category: values.category, organisationId: values.organisationId }),
      onSuccess: ({ area }, form) => {
        const values = form.values();
        form.succeed(
          `${PROBLEM_CATEGORIES[values.category]} proposals in `,
          areaLink(area),
          ` are now owned by ${organisationName(values.organisationId) ?? 'that organisation'}.`,
        );
      },
    });
    areaPanels.push(
      panel(
        'routing-title',
        'Set a routing rule',
        'Which organisation owns, and must answer, proposals of a category in an area. Setting it again replaces the owner.',
        routing,
      ),
    );
  }

  view.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Administration'),
      h(
        'p',
        { class: 'lead' },
        viewer.isAdmin
          ? 'Set up the areas Rungs covers, the organisations that answer for them, and who does what.'
          : 'Add people to the organisations you administer.',
      ),
    ),
    h(
      'div',
      { class: 'admin-grid' },
      areaPanels.length > 0 &&
        h('section', { class: 'admin-group', 'aria-labelledby': 'areas-group' }, h('h2', { id: 'areas-group' }, 'Areas'), areaPanels),
      h(
        'section',
        { class: 'admin-group', 'aria-labelledby': 'organisations-group' },
        h('h2', { id: 'organisations-group' }, 'Organisations'),
        organisationPanels,
      ),
    ),
  );

  await Promise.all([viewer.isAdmin ? loadAreas() : null, loadOrganisations()]);
}
