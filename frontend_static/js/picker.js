// Finding something before choosing it (the original of a duplicate, a person to invite):
// words typed into a finder, the matches offered in a chooser, and a line that says what was
// found.

import { showError } from './banner.js';
import { h, uniqueId } from './dom.js';

/**
 * `choice` is the select field the matches go in; `search(text)` answers `{ options,
 * message }`; `blank` is what to say when nothing was typed (nothing, when not given).
 */
export function picker({ label, hint, choice, search, blank = null }) {
  const id = uniqueId('finder');
  const finder = h('input', { type: 'search', id, class: 'input', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
  const status = h('p', { class: 'lookup', role: 'status' });
  const say = (text, kind = '') => {
    status.textContent = text;
    status.className = `lookup ${kind}`.trim();
  };
  const find = async () => {
    const text = finder.value.trim();
    if (!text) {
      if (blank) say(blank, 'lookup-missing');
      return;
    }
    say('Searching…');
    try {
      const { options, message } = await search(text);
      choice.setOptions(options, options[0]?.value ?? '');
      choice.control.dispatchEvent(new Event('change'));
      say(message, options.length ? 'lookup-found' : 'lookup-missing');
    } catch (error) {
      say('');
      showError(error);
    }
  };
  finder.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find();
    }
  });
  return h(
    'div',
    { class: 'picker' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h('p', { class: 'hint', id: `${id}-hint` }, hint),
      h('div', { class: 'tag-entry' }, finder, h('button', { type: 'button', class: 'button button-secondary', onclick: find }, 'Find')),
      status,
    ),
    choice,
  );
}
