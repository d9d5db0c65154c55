// The areas as a tree: each indented under its parent, with its response time and short
// name; platform admins rename them, change their response time, and remove empty ones.

import { h, link } from '../../dom.js';
import { areaOptions } from '../../choices.js';
import { days } from '../../format.js';
import { optionalText, textField, wholeNumber } from '../../forms.js';
import { mutate } from '../../graphql.js';
import { adminTable } from './table.js';

/** The areas in tree order, each with its depth. */
function inTreeOrder(areas) {
  const byId = new Map(areas.map((area) => [area.id, area]));
  return areaOptions(areas).map((option) => {
    const area = byId.get(option.value);
    let depth = 0;
    for (let parent = area.parent; parent && byId.has(parent.id); parent = byId.get(parent.id).parent) depth += 1;
    return { ...area, depth };
  });
}

function responseTime(area) {
  return area.ownResponseDays === null ? `${days(area.responseDays)} (from the area above)` : days(area.responseDays);
}

export function areasTable({ reloadAll }) {
  const table = adminTable({
    label: 'Areas',
    columns: ['Area', 'Response time', 'Short name'],
    empty: 'No areas yet: create the first below.',
    name: (area) => area.name,
    cells: (area) => [
      h('span', { class: `tree-name depth-${Math.min(area.depth, 4)}` }, area.depth ? h('span', { 'aria-hidden': 'true' }, '└ ') : null, link(`/areas/${encodeURIComponent(area.id)}`, area.name)),
      responseTime(area),
      area.slug,
    ],
    edit: (area) => ({
      fields: [
        textField({ name: 'name', label: 'Name', value: area.name, limit: 120, autocomplete: 'off' }),
        textField({
          name: 'responseDays',
          label: 'Response time in days',
          value: area.ownResponseDays ?? '',
          inputmode: 'numeric',
          optional: true,
          hint: 'Leave empty to use the response time of the area above.',
          class: 'input input-short',
        }),
        textField({ name: 'slug', label: 'Short name for addresses', value: area.slug, autocomplete: 'off' }),
      ],
      check: (values) =>
        wholeNumber(values.responseDays) === undefined
          ? [{ field: 'responseDays', message: 'The response time must be a whole number of days' }]
          : [],
      submit: (values) =>
        mutate('UpdateArea', {
          areaId: area.id,
          name: values.name,
          responseDays: wholeNumber(values.responseDays),
          slug: optionalText(values.slug),
        }),
    }),
    remove: (area) => mutate('RemoveArea', { areaId: area.id }),
    describe: {
      edited: ({ area }) => `Saved ${area.name}.`,
      removed: (area) => `Removed ${area.name}.`,
    },
  });
  table.reload = reloadAll;
  table.showAreas = (areas) => table.show(inTreeOrder(areas));
  return table;
}
