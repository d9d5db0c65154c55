// The frame of a page about one thing (a problem, a working group): breadcrumbs, markers, a
// heading and its lead, a notice that says what the last act did, and a body in two columns
// whose side column comes first on a narrow screen. The screen draws the thing into the frame
// when it arrives, and again after each act that changes it.

import { emptyState, h, loading, replaceChildren } from './dom.js';

/**
 * `noun` names the thing ("Problem"); `load()` fetches it (null when there is none for this
 * viewer); `missing(viewer)` is what to say then, as `[title, text, action]`; `draw(thing,
 * frame, page)` fills the frame's `crumbs`, `badges`, `heading` and `lead` and answers
 * `{ side, main }`. `page` carries the viewer, the notice and `reload(message)`, which fetches
 * the thing again and draws it afresh after an act.
 */
export async function detailPage(view, { session, setTitle }, { noun, load, missing, draw }) {
  setTitle(noun);
  const viewer = session.viewer;
  const frame = {
    heading: h('h1', {}, noun),
    crumbs: h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' }),
    badges: h('div', { class: 'markers' }),
    lead: h('p', { class: 'lead' }),
  };
  const notice = h('div', { class: 'page-notice', role: 'status', tabindex: '-1' });
  const body = h('div', { 'aria-busy': 'true' }, loading(`Loading the ${noun.toLowerCase()}…`));
  view.append(frame.crumbs, h('div', { class: 'page-head' }, frame.badges, frame.heading, frame.lead), notice, body);

  const show = (thing) => {
    const { side, main } = draw(thing, frame, page);
    replaceChildren(
      body,
      h('div', { class: 'detail-layout' }, h('div', { class: 'detail-side' }, side), h('div', { class: 'detail-main' }, main)),
    );
  };
  const page = {
    viewer,
    notice,
    async reload(message) {
      const fresh = await load();
      if (fresh) show(fresh);
      else replaceChildren(body, emptyState(...missing(viewer)));
      replaceChildren(notice, h('p', {}, message));
      notice.focus();
    },
  };

  const thing = await load();
  body.removeAttribute('aria-busy');
  if (thing) {
    show(thing);
    return;
  }
  const title = `${noun} not found`;
  frame.heading.textContent = title;
  setTitle(title);
  replaceChildren(body, emptyState(...missing(viewer)));
}
