// Options for the choosers: every area (as a tree) and every organisation.

import { everyNode } from './graphql.js';
import { ORGANISATION_KINDS } from './format.js';

export function allAreas() {
  return everyNode('Areas', 'areas');
}

export function allOrganisations() {
  return everyNode('Organisations', 'organisations');
}

/** Areas in tree order, each indented under its parent, siblings by name. */
export function areaOptions(areas) {
  const known = new Set(areas.map((area) => area.id));
  const children = new Map();
  for (const area of areas) {
    const parent = area.parent && known.has(area.parent.id) ? area.parent.id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(area);
  }
  const options = [];
  const visit = (parent, depth) => {
    const siblings = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name));
    for (const area of siblings) {
      options.push({ value: area.id, label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${depth ? '└ ' : ''}${area.name}` });
      visit(area.id, depth + 1);
    }
  };
  visit(null, 0);
  return options;
}

export function organisationOptions(organisations) {
  return organisations.map((organisation) => ({
    value: organisation.id,
    label: `${organisation.name} (${ORGANISATION_KINDS[organisation.kind] ?? organisation.kind})`,
  }));
}
