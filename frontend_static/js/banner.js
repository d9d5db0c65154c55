// The page-level banner: unexpected errors, and short notices carried across a navigation
// ("You are signed out.").

import { h, replaceChildren } from './dom.js';

let pendingNotice = null;

function slot() {
  return document.getElementById('banner');
}

export function clearBanner() {
  replaceChildren(slot());
}

export function showError(error) {
  const message = error?.message || 'Something went wrong.';
  const reference = error?.requestId ? ` (request ${error.requestId})` : '';
  replaceChildren(
    slot(),
    h(
      'div',
      { class: 'banner banner-error', role: 'alert' },
      h('div', { class: 'banner-body' }, h('strong', {}, 'Something went wrong. '), message, reference),
      h('button', { type: 'button', class: 'banner-close', onclick: clearBanner }, 'Dismiss'),
    ),
  );
  if (!error || error.name !== 'UnexpectedError') console.error(error);
}

export function showNotice(message) {
  replaceChildren(
    slot(),
    h(
      'div',
      { class: 'banner banner-notice', role: 'status' },
      h('div', { class: 'banner-body' }, message),
      h('button', { type: 'button', class: 'banner-close', onclick: clearBanner }, 'Dismiss'),
    ),
  );
}

/** A notice for the page the person is about to be taken to. */
export function flash(message) {
  pendingNotice = message;
}

/** Called by the router on every navigation: old messages go, a flashed notice shows. */
export function onNavigate() {
  clearBanner();
  if (pendingNotice) {
    showNotice(pendingNotice);
    pendingNotice = null;
  }
}
