// The shell: header (navigation, who is signed in), routes, and start-up.

import { flash, showError } from './banner.js';
import { h, replaceChildren } from './dom.js';
import { mutate } from './graphql.js';
import { defineFallback, defineRoute, navigate, onRoute, start } from './router.js';
import { canAdminister, session } from './session.js';

defineRoute('/', './screens/home.js');
defineRoute('/sign-in', './screens/sign-in.js');
defineRoute('/sign-in/link', './screens/magic-link.js');
defineRoute('/register', './screens/register.js');
defineRoute('/profile', './screens/profile.js');
defineRoute('/notifications', './screens/notifications.js');
defineRoute('/queue', './screens/queue.js');
defineRoute('/areas/:id', './screens/area.js');
defineRoute('/problems', './screens/problems.js');
// Before `/problems/:id`, which would otherwise take "new" for an ID.
defineRoute('/problems/new', './screens/propose.js');
defineRoute('/problems/:id', './screens/problem.js');
defineRoute('/groups/:id', './screens/group.js');
defineRoute('/volunteer', './screens/volunteer.js');
defineRoute('/tasks/:id', './screens/task.js');
defineRoute('/organisations', './screens/organisations.js');
defineRoute('/organisations/:id', './screens/organisation.js');
defineRoute('/admin', './screens/admin.js');
defineRoute('/mine', './screens/mine.js');
defineRoute('/privacy', './screens/privacy.js');
defineRoute('/accessibility', './screens/accessibility.js');
defineRoute('/contact', './screens/contact.js');
defineRoute('/unsubscribe/:token', './screens/unsubscribe.js');
defineFallback(() => import('./screens/not-found.js'));

const header = document.querySelector('.site-header');
const menuToggle = document.querySelector('.menu-toggle');
let currentPath = '/';

function navItems(viewer) {
  const items = [
    { path: '/', label: 'Areas', active: (path) => path === '/' || path.startsWith('/areas/') },
    // The board starts in the person's home area, once they have one.
    { path: viewer?.homeArea ? `/problems?area=${encodeURIComponent(viewer.homeArea.id)}` : '/problems', label: 'Problems', active: (path) => path.startsWith('/problems') },
    { path: '/volunteer', label: 'Volunteer', active: (path) => path === '/volunteer' || path.startsWith('/tasks/') },
    { path: '/organisations', label: 'Organisations', active: (path) => path.startsWith('/organisations') },
  ];
  if (viewer?.hasResponseQueue) {
    // The count is of proposals awaiting the viewer's answer, not of unread news.
    items.push({ path: '/queue', label: 'To answer', count: viewer.responseQueueCounts.awaiting, counted: 'awaiting your answer' });
  }
  if (viewer) {
    items.push({ path: '/mine', label: 'My activity' });
    items.push({ path: '/notifications', label: 'Notifications', count: viewer.unreadNotificationCount });
  }
  if (canAdminister(viewer)) items.push({ path: '/admin', label: 'Administration' });
  return items;
}

function initials(name) {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0])
    .join('');
  return (letters.length > 2 ? letters[0] + letters[letters.length - 1] : letters).toUpperCase();
}

function drawHeader() {
  const viewer = session.viewer;
  replaceChildren(
    document.getElementById('nav-links'),
    navItems(viewer).map((item) => {
      const active = item.active ? item.active(currentPath) : currentPath === item.path;
      return h(
        'li',
        {},
        h(
          'a',
          {
            href: `#${item.path}`,
            class: 'nav-link',
            'aria-current': active ? 'page' : null,
            'aria-label': item.count > 0 ? `${item.label}, ${item.count} ${item.counted ?? 'unread'}` : null,
          },
          item.label,
          item.count > 0 && h('span', { class: 'count-badge', 'aria-hidden': 'true' }, String(item.count)),
        ),
      );
    }),
  );

  const account = document.getElementById('account');
  // Rebuilt only when what it shows changes: the header is drawn again on every page and
  // count, and a click that lands while its button is being replaced would be lost.
  const shown = viewer ? `${viewer.user.displayName}\n${currentPath === '/profile'}` : '';
  if (account.dataset.shown === shown && account.childElementCount > 0) return;
  account.dataset.shown = shown;
  if (viewer) {
    replaceChildren(
      account,
      h(
        'a',
        {
          href: '#/profile',
          class: 'account-link',
          'aria-current': currentPath === '/profile' ? 'page' : null,
          title: 'Your profile',
        },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(viewer.user.displayName)),
        h('span', { class: 'account-name' }, viewer.user.displayName),
      ),
      h('button', { type: 'button', class: 'button button-quiet', onclick: signOut }, 'Sign out'),
    );
  } else {
    replaceChildren(
      account,
      h('a', { href: '#/sign-in', class: 'button button-quiet' }, 'Sign in'),
      h('a', { href: '#/register', class: 'button button-accent' }, 'Register'),
    );
  }
}

async function signOut() {
  try {
    // An already-ended session answers UNAUTHENTICATED: signed out all the same.
    await mutate('LogOut');
  } catch (error) {
    showError(error);
    return;
  }
  session.set(null);
  flash('You are signed out.');
  navigate('/');
}

function setMenu(open) {
  header.classList.toggle('menu-open', open);
  menuToggle.setAttribute('aria-expanded', String(open));
}

menuToggle.hidden = false;
menuToggle.addEventListener('click', () => setMenu(!header.classList.contains('menu-open')));
header.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && header.classList.contains('menu-open')) {
    setMenu(false);
    menuToggle.focus();
  }
});

document.querySelector('[data-skip-link]').addEventListener('click', (event) => {
  event.preventDefault();
  const main = document.getElementById('main');
  (main.querySelector('h1') ?? main).focus();
});

onRoute((path) => {
  currentPath = path;
  setMenu(false);
  drawHeader();
});
session.subscribe(drawHeader);

let startupError = null;
try {
  await session.refresh();
} catch (error) {
  startupError = error;
}
const started = start();
// Shown after the first navigation has cleared the banner, so it stays visible.
if (startupError) showError(startupError);
await started;
