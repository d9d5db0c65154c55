// Pieces every working-group screen shows the same way: addresses, markers, the card a
// list shows, and buttons that send one mutation and show what the server refused.

import { showError } from './banner.js';
import { h, link, replaceChildren } from './dom.js';
import { GROUP_STATUSES, JOIN_POLICIES, formatDate } from './format.js';
import { mutate } from './graphql.js';

export function groupPath(id) {
  return `/groups/${encodeURIComponent(id)}`;
}

export function groupStatusBadge(status) {
  return h('span', { class: `status-badge group-status-${status.toLowerCase()}` }, GROUP_STATUSES[status] ?? status);
}

export function joinPolicyMarker(policy) {
  return h('span', { class: `marker marker-policy marker-${policy.toLowerCase().replaceAll('_', '-')}` }, JOIN_POLICIES[policy] ?? policy);
}

/**
 * A group in a list (an area's groups, a problem's, the viewer's own), titled at `level`;
 * `brief` leaves out the purpose, where the list sits beside other things.
 */
export function groupCard(group, { level = 3, brief = false, extra = null } = {}) {
  return h(
    'li',
    { class: 'card group-card' },
    h('div', { class: 'markers' }, groupStatusBadge(group.status), group.status === 'ACTIVE' && joinPolicyMarker(group.joinPolicy)),
    h(`h${level}`, { class: 'card-title' }, link(groupPath(group.id), group.name)),
    h('p', { class: 'card-meta' }, `${group.area.name} · formed ${formatDate(group.createdAt)}`),
    !brief && h('p', { class: 'group-card-purpose' }, group.purpose),
    extra,
  );
}

/**
 * A button that sends `operation` with `input()` and, when the server refuses, shows every
 * error it gave in `refused` (an alert beside the buttons). `done(payload)` follows success.
 */
export function mutationButton({ label, className = 'button button-secondary button-small', operation, input, done, refused, ariaLabel }) {
  const button = h('button', { type: 'button', class: className, 'aria-label': ariaLabel }, label);
  button.addEventListener('click', async () => {
    // aria-disabled rather than disabled while busy: a disabled button would drop the focus.
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    refused.hidden = true;
    try {
      const payload = await mutate(operation, input());
      if (payload.errors.length) {
        showRefusal(refused, payload.errors);
        return;
      }
      await done(payload);
    } catch (error) {
      showError(error);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  });
  return button;
}

/** Where a button's refusals show: every error the server gave, one per line. */
export function refusalSlot() {
  return h('div', { class: 'form-errors refusal', role: 'alert', hidden: true });
}

function showRefusal(slot, errors) {
  slot.replaceChildren(
    errors.length === 1 ? h('p', {}, errors[0].message) : h('ul', {}, errors.map((error) => h('li', {}, error.message))),
  );
  slot.hidden = false;
}

/**
 * A button that opens a form in its place: `build(cancel)` makes the form, with `cancel`
 * among its actions, which puts the button back.
 */
export function formOnRequest({ label, ariaLabel, className = 'button button-secondary', build }) {
  const open = h('button', { type: 'button', class: className, 'aria-label': ariaLabel }, label);
  const slot = h('div', { class: 'form-slot' }, open);
  open.addEventListener('click', () => {
    const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
    cancel.addEventListener('click', () => {
      replaceChildren(slot, open);
      open.focus();
    });
    const form = build(cancel);
    replaceChildren(slot, form);
    form.querySelector('input, textarea, select, button[type=submit]').focus();
  });
  return slot;
}
