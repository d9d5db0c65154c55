// The signed-in person's notifications, newest first.

import { showError } from '../banner.js';
import { emptyState, h, loading, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { mutate, request } from '../graphql.js';
import { pagedList } from '../paged-list.js';

const PAGE = 20;

/** Links within Rungs or to web pages; nothing that would run script. */
function isSafeLink(url) {
  return typeof url === 'string' && (/^https?:\/\//i.test(url) || url.startsWith('#/') || url.startsWith('/'));
}

// A web address in a notification's text (a digest lists the pages of its groups and tasks),
// without the full stop or bracket that may close the sentence around it.
const WEB_ADDRESS = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)]/gi;

/** The text, with each web address in it a link to that address. */
function withLinks(text) {
  const parts = [];
  let from = 0;
  for (const found of text.matchAll(WEB_ADDRESS)) {
    parts.push(text.slice(from, found.index), h('a', { href: found[0] }, found[0]));
    from = found.index + found[0].length;
  }
  parts.push(text.slice(from));
  return parts;
}

export async function render(view, context) {
  const { session, setTitle } = context;
  setTitle('Notifications');
  if (!context.requireViewer()) return;

  const unreadOnly = h('input', { type: 'checkbox', id: 'unread-only' });
  const markAll = h('button', { type: 'button', class: 'button button-secondary' }, 'Mark all as read');
  const summary = h('p', { class: 'section-note', 'aria-live': 'polite' });
  const list = h('ul', { class: 'notification-list' });
  const body = h('div', {}, loading('Loading your notifications…'));

  view.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Notifications'), summary),
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'inline-check' }, unreadOnly, h('label', { for: 'unread-only' }, 'Unread only')),
      markAll,
    ),
    body,
  );

  function updateCount(count) {
    session.patch({ unreadNotificationCount: count });
    summary.textContent = count ? `${plural(count, 'unread notification')}` : 'You are all caught up.';
    markAll.disabled = count === 0;
  }

  async function markRead(ids) {
    const payload = await mutate('MarkNotificationsRead', ids ? { ids } : {});
    if (payload.errors.length) throw new Error(payload.errors.map((error) => error.message).join(' '));
    updateCount(payload.viewer.unreadNotificationCount);
  }

  function item(notification) {
    const unread = !notification.readAt;
    const state = h('span', { class: 'visually-hidden' }, unread ? 'Unread: ' : '');
    const actions = h('div', { class: 'notification-actions' });
    const li = h(
      'li',
      { class: `notification card${unread ? ' is-unread' : ''}` },
      h(
        'div',
        { class: 'notification-main' },
        h('h2', { class: 'notification-title', tabindex: '-1' }, state, notification.title),
        h('p', { class: 'notification-body' }, withLinks(notification.body)),
        h('p', { class: 'notification-meta' }, h('time', { datetime: notification.createdAt }, formatDateTime(notification.createdAt))),
      ),
      actions,
    );
    if (isSafeLink(notification.url)) {
      const open = h('a', { href: notification.url, class: 'button button-secondary button-small' }, 'Open');
      // Opening it is reading it: marked read before the page it leads to is shown.
      if (unread) {
        open.addEventListener('click', async (event) => {
          if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          try {
            await markRead([notification.id]);
          } catch (error) {
            showError(error);
          }
          window.location.assign(notification.url);
        });
      }
      actions.append(open);
    }
    if (unread) {
      const button = h(
        'button',
        { type: 'button', class: 'button button-quiet button-small', 'aria-label': `Mark “${notification.title}” as read` },
        'Mark as read',
      );
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await markRead([notification.id]);
          li.classList.remove('is-unread');
          state.textContent = '';
          button.remove();
          // The button is gone: keep the keyboard where it was, on this notification.
          li.querySelector('.notification-title').focus();
        } catch (error) {
          button.disabled = false;
          showError(error);
        }
      });
      actions.append(button);
    }
    return li;
  }

  const pages = pagedList({
    list,
    item,
    moreLabel: 'Show older notifications',
    focusIn: 'a, button',
    load: async (after) => {
      const data = await request('ViewerNotifications', { unreadOnly: unreadOnly.checked, first: PAGE, after });
      if (!data.viewer) {
        context.requireViewer();
        return null;
      }
      updateCount(data.viewer.unreadNotificationCount);
      return data.viewer.notifications;
    },
    onShow: () => {
      if (pages.shown === 0) {
        replaceChildren(
          body,
          unreadOnly.checked
            ? emptyState('No unread notifications', 'Everything has been read.')
            : emptyState('No notifications yet', 'Answers to your proposals, invitations and reminders will appear here.'),
        );
      } else if (!body.contains(list)) {
        replaceChildren(body, list, pages.more);
      }
    },
  });

  async function reload() {
    pages.reset();
    replaceChildren(body, loading('Loading your notifications…'));
    await pages.next();
  }

  unreadOnly.addEventListener('change', () => reload().catch(showError));
  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    try {
      await markRead(null);
      await reload();
    } catch (error) {
      showError(error);
      markAll.disabled = false;
    }
  });
  await pages.next();
}
