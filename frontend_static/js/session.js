// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; the
// Viewer query says whose it is.

import { request } from './graphql.js';

let current = null;
// Counts sign-ins and sign-outs, so an answer asked for before one cannot undo it.
let changes = 0;

/** The Viewer query the shell page started as it loaded (js/boot.js): used once, if it worked. */
async function startingViewer() {
  const started = window.rungsStartingViewer;
  window.rungsStartingViewer = undefined;
  const body = await started;
  return body?.data && !body.errors ? body.data : null;
}
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
    const asked = changes;
    const data = (await startingViewer()) ?? (await request('Viewer'));
    // Signed in or out meanwhile: that is newer than this answer.
    if (asked !== changes) return current;
    current = data.viewer;
    announce();
    return current;
  },

  set(viewer) {
    changes += 1;
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
