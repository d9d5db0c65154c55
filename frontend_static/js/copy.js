// Copying a secret (an ID, a token, a calendar address) to the clipboard.

import { h } from './dom.js';

/** The secret in `code`, with a button that copies it (or selects it, where copying is refused). */
export function copyRow(code, label = 'Copy') {
  const copied = h('span', { class: 'copy-status', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary button-small',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(code.textContent);
          copied.textContent = 'Copied.';
        } catch {
          window.getSelection().selectAllChildren(code);
          copied.textContent = 'Selected: copy it with your keyboard.';
        }
      },
    },
    label,
  );
  return h('div', { class: 'id-row' }, code, copy, copied);
}
