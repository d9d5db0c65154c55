// The accessibility statement: how well Rungs works for everyone, what is known not to, and
// how to tell us. Linked from the footer.

import { h, link } from '../dom.js';

export function render(view, { setTitle }) {
  setTitle('Accessibility statement');
  view.append(
    h(
      'article',
      { class: 'narrow prose' },
      h('h1', {}, 'Accessibility statement'),
      h('p', { class: 'lead' }, 'Rungs is for everyone in the neighbourhood, whatever device or assistive technology they use.'),
      h('h2', {}, 'What you can expect'),
      h(
        'ul',
        {},
        h('li', {}, 'Every page works with a keyboard alone, with a visible focus and a “Skip to content” link.'),
        h('li', {}, 'Pages fit a screen 320 pixels wide without scrolling sideways.'),
        h('li', {}, 'Forms list every problem at once, each beside its field and in plain words.'),
        h('li', {}, 'Pages are built to work with screen readers: headings, labels, and messages announced as they appear.'),
        h('li', {}, 'A place can always be typed as coordinates, without a map.'),
      ),
      h('h2', {}, 'How we check'),
      h(
        'p',
        {},
        'We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. Every page is checked automatically with axe-core, at a phone’s width, each time Rungs changes, and by hand with a keyboard.',
      ),
      h('h2', {}, 'Something not working?'),
      h(
        'p',
        {},
        'If anything stops you from taking part, or you need it in another format, tell us on the ',
        link('/contact', 'contact page'),
        '. Say which page and what happened.',
      ),
    ),
  );
}
