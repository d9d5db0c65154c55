// Routing rules: which organisation owns, and must answer, proposals of a category in an
// area. Platform admins give a rule another owner in place, or remove it (the rule of the
// area above then applies, or the coordinators answer).

import { link } from '../../dom.js';
import { organisationOptions } from '../../choices.js';
import { PROBLEM_CATEGORIES } from '../../format.js';
import { selectField } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { adminTable } from './table.js';

export function routingTable({ reloadAll, organisations }) {
  const table = adminTable({
    label: 'Routing rules',
    columns: ['Area', 'Category', 'Owned by'],
    empty: 'No routing rules yet: proposals go to the areas’ coordinators.',
    name: (rule) => `the ${PROBLEM_CATEGORIES[rule.category]} rule of ${rule.area.name}`,
    cells: (rule) => [
      link(`/areas/${encodeURIComponent(rule.area.id)}`, rule.area.name),
      PROBLEM_CATEGORIES[rule.category] ?? rule.category,
      rule.organisation.name,
    ],
    edit: (rule) => ({
      fields: [
        selectField({
          name: 'organisationId',
          label: `Owner of ${PROBLEM_CATEGORIES[rule.category]} proposals in ${rule.area.name}`,
          options: organisationOptions(organisations()),
          value: rule.organisation.id,
        }),
      ],
      submit: (values) => mutate('SetRoutingRule', { areaId: rule.area.id, category: rule.category, organisationId: values.organisationId }),
    }),
    remove: (rule) => mutate('RemoveRoutingRule', { areaId: rule.area.id, category: rule.category }),
    describe: {
      edited: (payload, rule) => {
        const owner = payload.area.routingRules.find((found) => found.category === rule.category)?.organisation.name;
        return `${PROBLEM_CATEGORIES[rule.category]} proposals in ${rule.area.name} are now owned by ${owner}.`;
      },
      removed: (rule) => `${PROBLEM_CATEGORIES[rule.category]} proposals in ${rule.area.name} no longer have an owner of their own there.`,
    },
  });
  table.reload = reloadAll;
  return table;
}
