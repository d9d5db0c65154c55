// A table of things an administrator edits and removes. Each row has its actions at the
// end; "Edit" opens a form in place of the row, "Remove" asks once more in place before
// it acts. What happened is said in the table's status line, for screen readers too.

import { showError } from '../../banner.js';
import { h, replaceChildren } from '../../dom.js';
import { createForm } from '../../forms.js';

/**
 * `columns` are the headings; `cells(item)` the row's cells, the first a row heading;
 * `name(item)` how buttons name it; `edit(item)`, when given, answers `{ fields, submit }`
 * for the form that edits it; `remove(item)`, when given, removes it (a mutation's payload).
 * `describe` words what was done: `describe.edited(payload)`, `describe.removed(item)`.
 */
export function adminTable({ label, columns, cells, name, edit, remove, describe, empty, extraActions }) {
  const status = h('p', { class: 'form-status', role: 'status' });
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'table admin-table', 'aria-label': label },
    h('thead', {}, h('tr', {}, columns.map((title) => h('th', { scope: 'col' }, title)), h('th', { scope: 'col' }, 'Actions'))),
    body,
  );
  const emptyNote = h('p', { class: 'muted', hidden: true }, empty);
  const element = h('div', { class: 'admin-table-wrap' }, status, table, emptyNote);
  let items = [];

  const say = (text, failed = false) => {
    status.textContent = text;
    status.className = failed ? 'form-status form-status-error' : 'form-status form-status-success';
  };

  function row(item) {
    const actions = h('div', { class: 'admin-buttons' });
    const tr = h(
      'tr',
      {},
      cells(item).map((cell, index) =>
        index === 0 ? h('th', { scope: 'row' }, cell) : h('td', { dataset: { label: columns[index] } }, cell),
      ),
      h('td', { class: 'admin-actions' }, actions),
    );
    const plain = () => {
      replaceChildren(
        actions,
        extraActions?.(item),
        edit && h('button', { type: 'button', class: 'button button-secondary button-small', 'aria-label': `Edit ${name(item)}`, onclick: () => editing(tr, item) }, 'Edit'),
        remove && h('button', { type: 'button', class: 'button button-secondary button-small', 'aria-label': `Remove ${name(item)}`, onclick: confirmRemoval }, 'Remove'),
      );
    };
    const confirmRemoval = () => {
      const keep = h('button', { type: 'button', class: 'button button-secondary button-small', onclick: () => { plain(); actions.querySelector('button')?.focus(); } }, 'Keep');
      const yes = h('button', { type: 'button', class: 'button button-danger button-small', onclick: () => removing(item, yes) }, `Yes, remove ${name(item)}`);
      replaceChildren(actions, yes, keep);
      yes.focus();
    };
    plain();
    return tr;
  }

  async function removing(item, button) {
    button.disabled = true;
    try {
      const payload = await remove(item);
      if (payload.errors?.length) {
        say(payload.errors.map((error) => error.message).join(' '), true);
        button.disabled = false;
        return;
      }
      say(describe.removed(item));
      await element.reload();
    } catch (error) {
      button.disabled = false;
      showError(error);
    }
  }

  function editing(tr, item) {
    const { fields, submit, check } = edit(item);
    const cancel = h('button', { type: 'button', class: 'button button-secondary', onclick: () => show(items) }, 'Cancel');
    const form = createForm({
      label: `Edit ${name(item)}`,
      fields,
      submitLabel: 'Save changes',
      busyLabel: 'Saving…',
      extraActions: [cancel],
      onSubmit: submit,
      check,
      onSuccess: async (payload) => {
        say(describe.edited(payload, item));
        await element.reload();
      },
    });
    const cell = h('td', { colspan: columns.length + 1, class: 'admin-edit' }, form);
    tr.replaceChildren(cell);
    form.querySelector('input, select')?.focus();
  }

  function show(list) {
    items = list;
    replaceChildren(body, list.map(row));
    table.hidden = list.length === 0;
    emptyNote.hidden = list.length !== 0;
  }

  element.show = show;
  element.say = say;
  element.reload = async () => {};
  return element;
}
