import { h, link } from '../dom.js';

export function render(view, { setTitle }) {
  setTitle('Page not found');
  view.append(
    h(
      'section',
      { class: 'narrow' },
      h('h1', {}, 'Page not found'),
      h('p', {}, 'There is nothing at this address. It may have moved, or the link may be incomplete.'),
      h('p', {}, link('/', 'Go to the home page', { class: 'button button-primary' })),
    ),
  );
}
