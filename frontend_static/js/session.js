// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; the
// Viewer query says whose it is.

import { request } from './graphql.js';

let current = null;
const listeners = new Set();

function announce() {
  for (const listener of listeners) listener(current);
}

export const session = {
  get viewer() {
    return current;
  },

  /** Asks the server who this is; null when nobody is signed in. */
  async refresh() {
    const data = await request('Viewer');
    current = data.viewer;
    announce();
    return current;
  },

  set(viewer) {
    current = viewer;
    announce();
  },

  /** Merges a partial viewer (say, a new unread count) into the current one. */
  patch(changes) {
    if (!current) return;
    current = { ...current, ...changes };
    announce();
  },

  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Organisations the viewer may add members to: all of them for platform admins. */
export function administeredOrganisations(viewer) {
  if (!viewer) return [];
  return viewer.organisations
    .filter((membership) => membership.role === 'ADMIN')
    .map((membership) => membership.organisation);
}

export function canAdminister(viewer) {
  return Boolean(viewer && (viewer.isAdmin || administeredOrganisations(viewer).length > 0));
}
