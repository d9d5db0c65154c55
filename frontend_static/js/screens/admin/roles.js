// Who coordinates or moderates which area: platform admins take a role away here, and give
// one with the form below the table.

import { link } from '../../dom.js';
import { AREA_ROLES } from '../../format.js';
import { mutate } from '../../graphql.js';
import { adminTable } from './table.js';

export function rolesTable({ reloadAll }) {
  const table = adminTable({
    label: 'Area roles',
    columns: ['Area', 'Person', 'Role'],
    empty: 'Nobody coordinates or moderates an area yet.',
    name: (holder) => `${holder.user.displayName} as ${AREA_ROLES[holder.role].toLowerCase()} of ${holder.area.name}`,
    cells: (holder) => [link(`/areas/${encodeURIComponent(holder.area.id)}`, holder.area.name), holder.user.displayName, AREA_ROLES[holder.role]],
    remove: (holder) => mutate('RevokeAreaRole', { areaId: holder.area.id, userId: holder.user.id, role: holder.role }),
    describe: {
      removed: (holder) => `${holder.user.displayName} is no longer ${AREA_ROLES[holder.role].toLowerCase()} of ${holder.area.name}.`,
    },
  });
  table.reload = reloadAll;
  return table;
}
