// One organisation and how it answers the community: its public accountability figures.

import { accountabilityFigures } from '../accountability.js';
import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { ORGANISATION_KINDS } from '../format.js';
import { request } from '../graphql.js';
import { templatesSection } from './organisation/templates.js';

export async function render(view, { params, setTitle, session }) {
  setTitle('Organisation');
  const heading = h('h1', {}, 'Organisation');
  const crumbs = h(
    'nav',
    { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
    h('ol', {}, h('li', {}, link('/organisations', 'Organisations'))),
  );
  const kind = h('p', { class: 'lead' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the organisation…'));
  view.append(crumbs, h('div', { class: 'page-head' }, heading, kind), body);

  const { node: organisation } = await request('OrganisationAccountability', { id: params.id });
  body.removeAttribute('aria-busy');
  // Any other kind of node at this address is no organisation either.
  if (!organisation?.accountability) {
    heading.textContent = 'Organisation not found';
    setTitle('Organisation not found');
    replaceChildren(
      body,
      emptyState('There is no organisation at this address.', null, link('/organisations', 'See all organisations', { class: 'button button-primary' })),
    );
    return;
  }

  setTitle(organisation.name);
  heading.textContent = organisation.name;
  crumbs.querySelector('ol').append(h('li', {}, h('span', { 'aria-current': 'page' }, organisation.name)));
  kind.textContent = `${ORGANISATION_KINDS[organisation.kind] ?? organisation.kind}. Every proposal it owns, or that is referred to it, is owed its official answer.`;
  const templates = templatesSection(params.id);
  replaceChildren(
    body,
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'accountability-title' },
      h('h2', { id: 'accountability-title' }, 'How it answers proposals'),
      h('p', { class: 'hint' }, 'Every time a proposal reached this organisation, and the answer it gave.'),
      accountabilityFigures(organisation.accountability, { owner: organisation.id }),
      h(
        'p',
        {},
        link(`/problems?owner=${encodeURIComponent(organisation.id)}`, `Problems ${organisation.name} owns now`, { class: 'button button-secondary' }),
      ),
    ),
    templates.section,
    managesMembers(session.viewer, organisation.id) &&
      h('p', { class: 'organisation-admin-link' }, link('/admin', 'Manage its members in Administration', { class: 'button button-secondary' })),
  );
  // Its members and admins find its common answers under its figures.
  if (session.viewer) await templates.refresh();
}

/** Platform admins and the organisation's own admins look after its member list. */
function managesMembers(viewer, organisationId) {
  return Boolean(
    viewer && (viewer.isAdmin || viewer.organisations.some((m) => m.organisation.id === organisationId && m.role === 'ADMIN')),
  );
}
