// A list shown a page at a time, with a button under it for the next page. Every list of
// the interface that pages (problems, notifications, comments, areas, organisations) uses
// this one, so they page, announce and move the keyboard alike.

import { showError } from './banner.js';
import { append, h } from './dom.js';

const NATIVELY_FOCUSABLE = 'a[href], button, input, select, textarea';

/**
 * `list` is the element the items go in; `item(node)` draws one; `load(after)` fetches the
 * connection after that cursor (null for the first page) and may answer null to drop it;
 * after "show more", the keyboard moves to the first new item's `focusIn` element;
 * `onShow(connection)` follows each page shown, to update counts and empty states.
 */
export function pagedList({ list, item, load, moreLabel, focusIn, onShow = () => {} }) {
  const button = h('button', { type: 'button', class: 'button button-secondary' }, moreLabel);
  const more = h('div', { class: 'more-row', hidden: true }, button);
  let after = null;
  let shown = 0;
  let generation = 0;

  /** Adds a page that is already here (one that came with the page's own data). */
  function show(connection) {
    append(
      list,
      connection.edges.map((edge) => item(edge.node)),
    );
    shown += connection.edges.length;
    after = connection.pageInfo.endCursor;
    more.hidden = !connection.pageInfo.hasNextPage;
    onShow(connection);
    return connection;
  }

  /** Fetches and adds the next page; null when a reset overtook it on its way. */
  async function next() {
    const mine = generation;
    const connection = await load(after);
    if (mine !== generation || !connection) return null;
    return show(connection);
  }

  /** Empties the list, to start again from the first page (after a filter changes). */
  function reset() {
    generation += 1;
    after = null;
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      // Counted in the list itself: items may have been added or removed in between.
      const firstNew = list.children.length;
      if (!(await next())) return;
      const target = list.children[firstNew]?.querySelector(focusIn);
      if (target && !target.matches(NATIVELY_FOCUSABLE)) target.setAttribute('tabindex', '-1');
      target?.focus();
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  });

  return {
    more,
    next,
    show,
    reset,
    get shown() {
      return shown;
    },
  };
}
