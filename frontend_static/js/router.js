// A hash router: `#/path?query`. Each route loads its screen module on demand; a screen
// exports `render(view, context)`, draws its heading at once and fills in the rest as data
// arrives. A navigation that is overtaken by another simply draws into a detached view.

import { onNavigate, showError } from './banner.js';
import { h } from './dom.js';
import { UnexpectedError } from './graphql.js';
import { session } from './session.js';

const routes = [];
let fallback = null;
const listeners = new Set();
let generation = 0;
let rendered = false;

/**
 * `module` is the screen's module, as a path from here ('./screens/home.js'): the server reads
 * these lines to preload each route's modules (backend/shell.py). A function that imports it
 * does too, without the preloading.
 */
export function defineRoute(pattern, module) {
  const load = typeof module === 'string' ? () => import(module) : module;
  const keys = [];
  const source = pattern.replace(/:(\w+)/g, (_, key) => {
    keys.push(key);
    return '([^/?#]+)';
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), keys, load });
}

export function defineFallback(load) {
  fallback = load;
}

export function currentLocation() {
  const raw = window.location.hash.replace(/^#/, '');
  const mark = raw.indexOf('?');
  const path = (mark === -1 ? raw : raw.slice(0, mark)) || '/';
  const query = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
  return { path, query };
}

/** Goes to `path` ("/areas/…"); `replace` keeps the current entry out of the history. */
export function navigate(path, { replace = false } = {}) {
  const hash = `#${path}`;
  if (replace) {
    window.history.replaceState(null, '', hash);
    render();
  } else if (window.location.hash === hash) {
    render();
  } else {
    // The page being left stops being current now, not when the browser gets round to the
    // hashchange: what it still has in flight must not redirect or draw over the next one.
    generation += 1;
    window.location.hash = hash;
  }
}

export function onRoute(listener) {
  listeners.add(listener);
}

function setTitle(title) {
  document.title = title ? `${title} · Rungs` : 'Rungs';
}

function match(path) {
  for (const route of routes) {
    const found = route.regex.exec(path);
    if (found) {
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(found[i + 1])]));
      return { load: route.load, params };
    }
  }
  return { load: fallback, params: {} };
}

export async function render() {
  generation += 1;
  const mine = generation;
  const { path, query } = currentLocation();
  onNavigate();
  for (const listener of listeners) listener(path);
  const { load, params } = match(path);
  let screen;
  try {
    screen = await load();
  } catch {
    showError(new UnexpectedError('This page could not be loaded. Check your connection and try again.'));
    return;
  }
  if (mine !== generation) return;

  const main = document.getElementById('main');
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  const context = {
    path,
    query,
    params,
    navigate,
    setTitle,
    session,
    /**
     * The signed-in viewer, or null after sending the visitor to sign in first. A page still
     * loading when the person moved on (signing out, say) is no longer theirs to redirect.
     */
    requireViewer() {
      if (session.viewer) return session.viewer;
      if (mine !== generation) return null;
      const search = query.toString();
      const next = search ? `${path}?${search}` : path;
      navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
      return null;
    },
  };
  setTitle(null);
  let drawing;
  try {
    drawing = screen.render(view, context);
  } catch (error) {
    showError(error);
  }
  // After the first page, move focus to the new page's heading, as a page load would.
  const heading = view.querySelector('h1');
  heading?.setAttribute('tabindex', '-1');
  if (rendered && mine === generation) {
    heading?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  rendered = true;
  try {
    await drawing;
  } catch (error) {
    if (mine === generation) showError(error);
  }
}

export function start() {
  window.addEventListener('hashchange', render);
  return render();
}
