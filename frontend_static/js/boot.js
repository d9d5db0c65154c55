// Inlined at the top of the shell page by the server (backend/shell.py), and run before
// anything else loads: it asks, at once and side by side with app.js, for the modules the
// route in the address needs and for the Viewer query, so the first page waits on two
// round trips and its own query, not on each module in turn. A classic script: it must run
// while the page is still being read.
(() => {
  const data = (id) => {
    const element = document.getElementById(id);
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch {
      return null;
    }
  };
  const routes = data('rungs-routes') ?? [];
  const documentIds = data('rungs-document-ids') ?? {};
  const raw = window.location.hash.replace(/^#/, '');
  const path = raw.split('?')[0] || '/';
  // The same matching as router.js: the first route whose pattern fits.
  const route = routes.find(({ pattern }) => new RegExp(`^${pattern.replace(/:(\w+)/g, '([^/?#]+)')}/?$`).test(path));
  for (const url of route?.modules ?? []) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = url;
    document.head.append(link);
  }
  // Sent by its persisted id; should the server not know it, js/session.js asks again.
  if (documentIds.Viewer) {
    window.rungsStartingViewer = fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ documentId: documentIds.Viewer, variables: {}, operationName: 'Viewer' }),
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null);
  }
})();
