// Administration. Platform admins see every area (as a tree), organisation, member list,
// area role and routing rule in tables they edit in place, the configuration check, and a
// form below each table to add to it; organisation admins manage the members of their own
// organisations. People are found by name or address, never by an ID copied from elsewhere.
// The server checks every right again: this page only leaves out what would be refused.

import { h, link, loading } from '../dom.js';
import { allOrganisations, areaOptions, organisationOptions } from '../choices.js';
import { AREA_ROLES, ORGANISATION_KINDS, ORGANISATION_ROLES, PROBLEM_CATEGORIES, optionsOf } from '../format.js';
import { createForm, optionalText, selectField, textField, wholeNumber } from '../forms.js';
import { everyNode, mutate, request } from '../graphql.js';
import { administeredOrganisations, canAdminister } from '../session.js';
import { areasTable } from './admin/areas.js';
import { configurationCheck } from './admin/check.js';
import { membersTable, organisationsTable } from './admin/organisations.js';
import { personPicker } from './admin/people.js';
import { rolesTable } from './admin/roles.js';
import { routingTable } from './admin/routing.js';

function panel(id, title, description, form) {
  return h('section', { class: 'card panel admin-panel', 'aria-labelledby': id }, h('h3', { id }, title), h('p', { class: 'hint' }, description), form);
}

function group(id, title, ...content) {
  return h('section', { class: 'admin-group', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function areaLink(area) {
  return link(`/areas/${encodeURIComponent(area.id)}`, area.name);
}

function notForYou(view) {
  view.append(
    h(
      'section',
      { class: 'narrow' },
      h('h1', {}, 'Administration'),
      h('p', { class: 'notice' }, 'This page is for platform administrators and organisation admins. Your account has neither role.'),
      h('p', {}, link('/', 'Go to the home page', { class: 'button button-primary' })),
    ),
  );
}

/** The member lists, and the form that adds to them, for the organisations `choices()` gives. */
function membersGroup(viewer, choices) {
  const chooser = selectField({ name: 'organisationId', label: 'Organisation', placeholder: 'Choose an organisation' });
  const members = membersTable({ chooser, viewer });
  members.hidden = true;
  chooser.control.addEventListener('change', () => members.reload());
  const target = selectField({ name: 'organisationId', label: 'Organisation', placeholder: 'Choose an organisation', missing: 'Choose an organisation' });
  const addMember = createForm({
    label: 'Add an organisation member',
    fields: [
      target,
      textField({ name: 'email', label: 'Their email address', type: 'email', autocomplete: 'off', hint: 'They need an account on Rungs already.' }),
      selectField({ name: 'role', label: 'Role', options: optionsOf(ORGANISATION_ROLES), value: 'MEMBER' }),
    ],
    submitLabel: 'Add member',
    busyLabel: 'Adding…',
    onSubmit: (values) => mutate('AddOrganisationMember', { organisationId: values.organisationId, email: values.email.trim(), role: values.role }),
    onSuccess: async ({ organisation }, form) => {
      const values = form.values();
      const role = values.role === 'ADMIN' ? 'an admin' : 'a member';
      form.succeed(`${values.email.trim()} is now ${role} of ${organisation.name}. They have been notified.`);
      form.field('email').control.value = '';
      if (chooser.read() === organisation.id) await members.reload();
    },
  });
  const element = group(
    'members-group',
    'Members',
    h('div', { class: 'card panel' }, chooser, members),
    panel('add-member-title', 'Add an organisation member', 'Members answer for the organisation on the problems it owns; admins also manage its members.', addMember),
  );
  element.setOrganisations = () => {
    for (const field of [chooser, target]) field.setOptions(organisationOptions(choices()));
    // One organisation to manage: it is the one meant.
    if (!chooser.read() && choices().length === 1) {
      for (const field of [chooser, target]) field.setOptions(organisationOptions(choices()), choices()[0].id);
      members.reload();
    }
  };
  return element;
}

export async function render(view, context) {
  const { session, setTitle, query } = context;
  setTitle('Administration');
  if (!context.requireViewer()) return;
  const viewer = session.viewer;
  if (!canAdminister(viewer)) {
    notForYou(view);
    return;
  }
  const head = h(
    'div',
    { class: 'page-head' },
    h('h1', {}, 'Administration'),
    h(
      'p',
      { class: 'lead' },
      viewer.isAdmin
        ? 'The areas Rungs covers, the organisations that answer for them, and who does what: edit them in place, or add to them below each table.'
        : 'The members of the organisations you administer.',
    ),
  );
  if (!viewer.isAdmin) {
    const members = membersGroup(viewer, () => administeredOrganisations(viewer));
    view.append(head, h('div', { class: 'admin-stack' }, members));
    members.setOrganisations();
    return;
  }
  await platformAdministration(view, head, viewer, query.get('area') ?? '');
}

async function platformAdministration(view, head, viewer, chosenArea) {
  let areas = [];
  let organisations = [];
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

  const reloadAll = async () => {
    const [everyArea, everyOrganisation, overview] = await Promise.all([
      everyNode('AdminAreas', 'areas'),
      allOrganisations(),
      request('Administration'),
    ]);
    areas = everyArea;
    organisations = everyOrganisation;
    for (const field of areaFields) field.setOptions(areaOptions(areas));
    for (const field of organisationFields) field.setOptions(organisationOptions(organisations));
    tables.areas.showAreas(areas);
    tables.organisations.show(organisations);
    tables.roles.show(overview.areaRoleHolders);
    tables.routing.show(overview.routingRules);
    check.show(overview.routingGaps);
    members.setOrganisations();
  };
  const tables = {
    areas: areasTable({ reloadAll }),
    organisations: organisationsTable({ reloadAll }),
    roles: rolesTable({ reloadAll }),
    routing: routingTable({ reloadAll, organisations: () => organisations }),
  };
  const members = membersGroup(viewer, () => organisations);
  const forms = {
    area: createAreaForm(areaField, reloadAll),
    organisation: createOrganisationForm(reloadAll),
    role: assignRoleForm(areaField, reloadAll),
    routing: routingForm(areaField, organisationField, () => organisations, reloadAll),
  };
  const check = configurationCheck({
    onRoute: (gap) => {
      forms.routing.field('areaId').setOptions(areaOptions(areas), gap.area.id);
      forms.routing.field('category').control.value = gap.categories[0];
      forms.routing.scrollIntoView?.({ block: 'center' });
      forms.routing.field('category').control.focus();
    },
  });

  const waiting = loading('Loading the administration tables…');
  const stack = h(
    'div',
    { class: 'admin-stack', 'aria-busy': 'true' },
    waiting,
    check,
    group('areas-group', 'Areas', h('div', { class: 'card panel' }, tables.areas), panel('create-area-title', 'Create an area', 'Areas form a tree: a force, its districts, their neighbourhoods. Names are unique under each area.', forms.area)),
    group('organisations-group', 'Organisations', h('div', { class: 'card panel' }, tables.organisations), panel('create-organisation-title', 'Create an organisation', 'A police team or a partner agency that can own and answer proposals.', forms.organisation)),
    members,
    group('roles-group', 'Area roles', h('div', { class: 'card panel' }, tables.roles), panel('assign-role-title', 'Give someone a role in an area', 'Coordinators answer for an area and every area within it; moderators look after what is written there.', forms.role)),
    group('routing-group', 'Routing rules', h('div', { class: 'card panel' }, tables.routing), panel('routing-title', 'Set a routing rule', 'Which organisation owns, and must answer, proposals of a category in an area. Setting it again replaces the owner.', forms.routing)),
  );
  view.append(head, stack);
  await reloadAll();
  waiting.remove();
  stack.removeAttribute('aria-busy');
}

function createAreaForm(areaField, reloadAll) {
  return createForm({
    label: 'Create an area',
    fields: [
      textField({ name: 'name', label: 'Name', limit: 120, autocomplete: 'off' }),
      areaField({ name: 'parentId', label: 'Part of', placeholder: 'Nothing: a top-level area', optional: true }),
      textField({
        name: 'responseDays',
        label: 'Response time in days',
        inputmode: 'numeric',
        optional: true,
        hint: 'Days within which proposals here must be answered. Leave empty to use the parent area’s.',
        class: 'input input-short',
      }),
      textField({ name: 'slug', label: 'Short name for addresses', optional: true, autocomplete: 'off', hint: 'Made from the name when left empty.' }),
    ],
    submitLabel: 'Create area',
    busyLabel: 'Creating…',
    check: (values) =>
      wholeNumber(values.responseDays) === undefined ? [{ field: 'responseDays', message: 'The response time must be a whole number of days' }] : [],
    onSubmit: (values) =>
      mutate('CreateArea', {
        name: values.name,
        parentId: values.parentId || null,
        responseDays: wholeNumber(values.responseDays),
        slug: optionalText(values.slug),
      }),
    onSuccess: async ({ area }, form) => {
      form.succeed('Created ', areaLink(area), area.parent ? ` in ${area.parent.name}.` : ' as a top-level area.');
      for (const name of ['name', 'responseDays', 'slug']) form.field(name).control.value = '';
      await reloadAll();
    },
  });
}

function createOrganisationForm(reloadAll) {
  return createForm({
    label: 'Create an organisation',
    fields: [
      textField({ name: 'name', label: 'Name', limit: 120, autocomplete: 'organization', missing: 'Enter a name' }),
      selectField({ name: 'kind', label: 'Kind', placeholder: 'Choose a kind', missing: 'Choose the kind of organisation', options: optionsOf(ORGANISATION_KINDS) }),
    ],
    submitLabel: 'Create organisation',
    busyLabel: 'Creating…',
    onSubmit: (values) => mutate('CreateOrganisation', { name: values.name, kind: values.kind }),
    onSuccess: async ({ organisation }, form) => {
      form.succeed(`Created ${organisation.name} (${ORGANISATION_KINDS[organisation.kind]}).`);
      form.field('name').control.value = '';
      await reloadAll();
    },
  });
}

function assignRoleForm(areaField, reloadAll) {
  const person = personPicker();
  return createForm({
    label: 'Give someone a role in an area',
    fields: [
      areaField({ name: 'areaId', label: 'Area', missing: 'Choose an area' }),
      person,
      selectField({ name: 'role', label: 'Role', options: optionsOf(AREA_ROLES), value: 'COORDINATOR' }),
    ],
    submitLabel: 'Assign role',
    busyLabel: 'Assigning…',
    onSubmit: (values) => mutate('AssignAreaRole', { areaId: values.areaId, userId: values.userId, role: values.role }),
    onSuccess: async ({ area }, form) => {
      const role = AREA_ROLES[form.values().role].toLowerCase();
      form.succeed(`${person.chosen()?.displayName ?? 'That person'} is now ${role} of `, areaLink(area), '.');
      person.reset();
      await reloadAll();
    },
  });
}

function routingForm(areaField, organisationField, organisations, reloadAll) {
  return createForm({
    label: 'Set a routing rule',
    fields: [
      areaField({ name: 'areaId', label: 'Area', missing: 'Choose an area' }),
      selectField({ name: 'category', label: 'Category of problem', placeholder: 'Choose a category', missing: 'Choose a category', options: optionsOf(PROBLEM_CATEGORIES) }),
      organisationField({ name: 'organisationId', label: 'Owned by', missing: 'Choose an organisation' }),
    ],
    submitLabel: 'Set routing rule',
    busyLabel: 'Saving…',
    onSubmit: (values) => mutate('SetRoutingRule', { areaId: values.areaId, category: values.category, organisationId: values.organisationId }),
    onSuccess: async ({ area }, form) => {
      const values = form.values();
      const owner = organisations().find((organisation) => organisation.id === values.organisationId)?.name ?? 'that organisation';
      form.succeed(`${PROBLEM_CATEGORIES[values.category]} proposals in `, areaLink(area), ` are now owned by ${owner}.`);
      await reloadAll();
    },
  });
}
