// Forms and their fields. Every field wrapper carries `data-field` with the name of the
// input field it fills, which is also the `field` a UserError names, so a payload's
// errors land next to the control they are about. A form shows every error at once: in a
// summary at its top, each a link to its field, and beside each field (the GOV.UK pattern).
//
// A field that cannot travel empty (a choice the API takes as an enum) is given `missing`,
// the words to say when it is left empty; the form then checks every such field itself
// before sending, so an empty form is told all that is missing in one go. A text field the
// server limits is given `limit`, and shows how many characters are left.

import { showError } from './banner.js';
import { append, h, replaceChildren, uniqueId } from './dom.js';

/** Label, hint, the control (inside `body` when it has company) and the error slot. */
function fieldShell({ name, label, hint, optional, missing, control, body = control, controlId, className = '' }) {
  const hintId = hint ? `${controlId}-hint` : null;
  const errorId = `${controlId}-error`;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const wrapper = h(
    'div',
    { class: `field ${className}`.trim(), dataset: { field: name, label } },
    h('label', { for: controlId }, label, optional && h('span', { class: 'optional' }, ' (optional)')),
    hint && h('p', { class: 'hint', id: hintId }, hint),
    body,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
  wrapper.control = control;
  wrapper.missing = missing;
  return wrapper;
}

// How long the typing must pause before the count is read out: once a sentence, not per key.
const COUNT_PAUSE_MS = 1000;
const counted = new Intl.NumberFormat('en-GB');

/** Characters as the server counts them (code points, without the spaces at either end). */
function lengthOf(text) {
  return [...text.trim()].length;
}

function charactersLeft(length, limit) {
  const left = limit - length;
  if (left >= 0) return `You have ${counted.format(left)} character${left === 1 ? '' : 's'} remaining`;
  return `You have ${counted.format(-left)} character${left === -1 ? '' : 's'} too many`;
}

/**
 * A count of the characters left under a field that has a limit. Nothing is ever cut: text
 * over the limit stays, the count says by how much, and the form refuses to send it. The
 * count on screen changes as the person types; screen readers hear the limit with the field
 * and the count once the typing pauses.
 */
function characterCount(control, limit) {
  const limitId = `${control.id}-limit`;
  const visible = h('p', { class: 'character-count', 'aria-hidden': 'true' });
  const spoken = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  let pause = null;
  const update = () => {
    const length = lengthOf(control.value);
    visible.textContent = length ? charactersLeft(length, limit) : `You can enter up to ${counted.format(limit)} characters`;
    visible.classList.toggle('character-count-over', length > limit);
  };
  control.addEventListener('input', () => {
    update();
    clearTimeout(pause);
    pause = setTimeout(() => {
      spoken.textContent = charactersLeft(lengthOf(control.value), limit);
    }, COUNT_PAUSE_MS);
  });
  update();
  const parts = [h('p', { class: 'visually-hidden', id: limitId }, `You can enter up to ${counted.format(limit)} characters.`), visible, spoken];
  parts.update = update;
  return parts;
}

/** A field's control with its character count when it has a limit, tied to it for screen readers. */
function withCount(wrapper, control, limit, label) {
  if (!limit) return wrapper;
  const count = characterCount(control, limit);
  control.after(...count);
  const described = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [...described, count[0].id].join(' '));
  wrapper.limit = limit;
  wrapper.recount = count.update;
  wrapper.tooLong = `${label} must be ${counted.format(limit)} characters or fewer`;
  return wrapper;
}

export function textField({
  name,
  label,
  value = '',
  type = 'text',
  hint,
  optional = false,
  required = !optional,
  missing,
  limit,
  class: className,
  ...attributes
}) {
  const id = uniqueId(`field-${name}`);
  const control = h('input', { ...attributes, id, name, type, value, required, class: `input ${className ?? ''}`.trim() });
  const wrapper = fieldShell({ name, label, hint, optional, missing, control, controlId: id });
  wrapper.read = () => control.value;
  return withCount(wrapper, control, limit, label);
}

/** Text over several lines: descriptions, responses, comments. */
export function textAreaField({ name, label, value = '', hint, optional = false, missing, limit, rows = 5, ...attributes }) {
  const id = uniqueId(`field-${name}`);
  const control = h('textarea', { ...attributes, id, name, rows, required: !optional, class: 'input textarea' });
  control.value = value;
  const wrapper = fieldShell({ name, label, hint, optional, missing, control, controlId: id });
  wrapper.read = () => control.value;
  return withCount(wrapper, control, limit, label);
}

/**
 * One choice of a few, each shown with its own words: a fieldset of radio buttons. Errors
 * are tied to the first button, which is where the keyboard enters the group.
 */
export function radioField({ name, label, options, value = '', hint, missing }) {
  const id = uniqueId(`field-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const buttons = options.map((option, index) => {
    const optionId = `${id}-${index}`;
    const optionHintId = option.hint ? `${optionId}-hint` : null;
    const input = h('input', {
      type: 'radio',
      id: optionId,
      name,
      value: option.value,
      checked: option.value === value,
      'aria-describedby': optionHintId,
    });
    return h(
      'div',
      { class: 'choice' },
      input,
      h('div', {}, h('label', { for: optionId }, option.label), option.hint && h('p', { class: 'hint', id: optionHintId }, option.hint)),
    );
  });
  const wrapper = h(
    'fieldset',
    { class: 'field field-choices', dataset: { field: name, label }, 'aria-describedby': hintId },
    h('legend', {}, label),
    hint && h('p', { class: 'hint', id: hintId }, hint),
    h('div', { class: 'choices' }, buttons),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
  );
  wrapper.control = wrapper.querySelector('input');
  wrapper.missing = missing;
  wrapper.read = () => wrapper.querySelector('input:checked')?.value ?? '';
  return wrapper;
}

function optionElements(options, placeholder) {
  return [
    placeholder !== undefined && h('option', { value: '' }, placeholder),
    options.map((option) => h('option', { value: option.value }, option.label)),
  ];
}

export function selectField({ name, label, options = [], value = '', placeholder, hint, optional = false, required = !optional, missing }) {
  const id = uniqueId(`field-${name}`);
  const control = h('select', { id, name, required, class: 'input' });
  append(control, optionElements(options, placeholder));
  control.value = value ?? '';
  // A value given before its option exists (choices still loading) is chosen once they arrive.
  let wanted = control.value === (value ?? '') ? null : value;
  const wrapper = fieldShell({ name, label, hint, optional, missing, control, controlId: id });
  wrapper.read = () => control.value;
  /** New choices, keeping the chosen one when it is still among them. */
  wrapper.setOptions = (choices, chosen = wanted ?? control.value) => {
    wanted = null;
    replaceChildren(control, optionElements(choices, placeholder));
    control.value = chosen ?? '';
    if (control.value !== (chosen ?? '')) control.value = control.options[0]?.value ?? '';
  };
  return wrapper;
}

export function checkboxField({ name, label, checked = false, hint }) {
  const id = uniqueId(`field-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const control = h('input', { id, name, type: 'checkbox', checked, 'aria-describedby': hintId });
  const wrapper = h(
    'div',
    { class: 'field field-checkbox', dataset: { field: name, label } },
    control,
    h('div', {}, h('label', { for: id }, label), hint && h('p', { class: 'hint', id: hintId }, hint)),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
  );
  wrapper.control = control;
  wrapper.read = () => control.checked;
  return wrapper;
}

/** A list of short words (skills), entered one at a time and shown as removable tags. */
export function tagsField({ name, label, values = [], hint, optional = true, placeholder = '' }) {
  const id = uniqueId(`field-${name}`);
  let tags = [...values];
  const input = h('input', { id, type: 'text', class: 'input', placeholder, autocomplete: 'off' });
  const list = h('ul', { class: 'tags', 'aria-label': label });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });

  function render() {
    replaceChildren(
      list,
      tags.map((tag) =>
        h(
          'li',
          { class: 'tag' },
          h('span', {}, tag),
          h(
            'button',
            { type: 'button', class: 'tag-remove', 'aria-label': `Remove ${tag}`, onclick: () => remove(tag) },
            '×',
          ),
        ),
      ),
    );
    list.hidden = tags.length === 0;
  }

  function add() {
    const added = [];
    for (const piece of input.value.split(',')) {
      const tag = piece.trim();
      if (tag && !tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) {
        tags.push(tag);
        added.push(tag);
      }
    }
    input.value = '';
    render();
    if (added.length) announcer.textContent = `Added ${added.join(', ')}.`;
  }

  function remove(tag) {
    tags = tags.filter((existing) => existing !== tag);
    render();
    announcer.textContent = `Removed ${tag}.`;
    input.focus();
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && input.value === '' && tags.length) {
      remove(tags[tags.length - 1]);
    }
  });

  const entry = h(
    'div',
    { class: 'tag-entry' },
    input,
    h('button', { type: 'button', class: 'button button-secondary', onclick: add }, 'Add'),
  );
  const wrapper = fieldShell({
    name,
    label,
    hint,
    optional,
    control: input,
    body: [list, entry, announcer],
    controlId: id,
    className: 'field-tags',
  });
  render();
  // Text typed but not yet added still counts when the form is sent.
  wrapper.read = () => {
    if (input.value.trim()) add();
    return [...tags];
  };
  return wrapper;
}

/** Shows `message` as the error of a field's wrapper, tied to its control. */
export function setFieldError(wrapper, message) {
  const error = wrapper.querySelector('.field-error');
  error.textContent = message;
  error.hidden = false;
  wrapper.classList.add('has-error');
  const control = wrapper.control;
  control.setAttribute('aria-invalid', 'true');
  const described = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
  described.add(error.id);
  control.setAttribute('aria-describedby', [...described].join(' '));
}

export function clearFieldError(wrapper) {
  const error = wrapper.querySelector('.field-error');
  error.textContent = '';
  error.hidden = true;
  wrapper.classList.remove('has-error');
  const control = wrapper.control;
  control.removeAttribute('aria-invalid');
  const described = (control.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== error.id);
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
}

/**
 * The errors of a form that it finds itself: each shown field with `missing` that is
 * left empty, then whatever `check(values)` returns (`[{field, message}]`), one per field.
 */
function faultsBeforeSending(form, values, check) {
  const faults = [];
  for (const wrapper of form.querySelectorAll('[data-field]')) {
    const value = values[wrapper.dataset.field];
    const empty = value === '' || (Array.isArray(value) && value.length === 0);
    if (wrapper.closest('[hidden]')) continue;
    if (wrapper.missing && empty) faults.push({ field: wrapper.dataset.field, message: wrapper.missing });
    else if (wrapper.limit && typeof value === 'string' && lengthOf(value) > wrapper.limit) faults.push({ field: wrapper.dataset.field, message: wrapper.tooLong });
  }
  for (const fault of check?.(values) ?? []) {
    if (!faults.some((found) => found.field === fault.field)) faults.push(fault);
  }
  return faults;
}

/**
 * A form that sends itself with `onSubmit(values, form)`. The handler returns the
 * mutation's payload (or nothing); errors in it are shown, and `onSuccess(payload)` runs
 * only when there are none. `check(values)` finds what cannot be sent at all (a number that
 * is not one); then nothing is sent. Unexpected failures go to the page banner.
 */
export function createForm({ fields, submitLabel, busyLabel = 'Working…', onSubmit, onSuccess, check, extraActions = [], label }) {
  const summaryTitle = h('h2', { class: 'form-errors-title', id: uniqueId('form-errors') }, 'There is a problem');
  const summary = h('div', {
    class: 'form-errors',
    role: 'alert',
    tabindex: '-1',
    hidden: true,
    'aria-labelledby': summaryTitle.id,
  });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, submitLabel);
  // Focusable from script: after a submit the keyboard lands on what it says.
  const status = h('p', { class: 'form-status', role: 'status', tabindex: '-1' });
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-label': label },
    summary,
    fields,
    h('div', { class: 'form-actions' }, submit, extraActions),
    status,
  );

  form.field = (name) => form.querySelector(`[data-field="${name}"]`);

  form.values = () => {
    const values = {};
    for (const wrapper of form.querySelectorAll('[data-field]')) values[wrapper.dataset.field] = wrapper.read();
    return values;
  };

  form.clearMessages = () => {
    for (const wrapper of form.querySelectorAll('[data-field].has-error')) clearFieldError(wrapper);
    summary.replaceChildren();
    summary.hidden = true;
    status.replaceChildren();
    status.className = 'form-status';
  };

  /** A summary line: a link that takes the keyboard to the field, or the words alone. */
  function summaryLine(wrapper, message) {
    if (!wrapper) return h('li', {}, message);
    const jump = (event) => {
      // The address bar holds the page's route, so the link moves the focus, not the address.
      event.preventDefault();
      wrapper.control.focus();
      wrapper.scrollIntoView?.({ block: 'center' });
    };
    return h('li', {}, h('a', { href: `#${wrapper.control.id}`, onclick: jump }, message));
  }

  /** Shows errors `[{field, message}]`, every one in the summary and each beside its field; true when there were any. */
  form.showErrors = (errors) => {
    if (!errors?.length) return false;
    // In the order of the fields, as the eye goes down the form; errors of no field first.
    const fields = [...form.querySelectorAll('[data-field]')].map((wrapper) => wrapper.dataset.field);
    const place = (error) => fields.indexOf(error.field);
    const lines = [];
    for (const error of [...errors].sort((a, b) => place(a) - place(b))) {
      const wrapper = error.field ? form.field(error.field) : null;
      // One message beside a field; the summary still lists every one.
      if (wrapper && !wrapper.classList.contains('has-error')) setFieldError(wrapper, error.message);
      lines.push(summaryLine(wrapper, error.message));
    }
    replaceChildren(summary, summaryTitle, h('ul', { class: 'form-errors-list' }, lines));
    summary.hidden = false;
    summary.focus();
    return true;
  };

  form.succeed = (...message) => {
    replaceChildren(status, message);
    status.className = 'form-status form-status-success';
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    form.clearMessages();
    const values = form.values();
    if (form.showErrors(faultsBeforeSending(form, values, check))) return;
    form.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    submit.textContent = busyLabel;
    let succeeded = false;
    try {
      const payload = await onSubmit(values, form);
      succeeded = !form.showErrors(payload?.errors);
      if (succeeded && onSuccess) await onSuccess(payload, form);
    } catch (error) {
      showError(error);
    } finally {
      form.removeAttribute('aria-busy');
      submit.disabled = false;
      submit.textContent = submitLabel;
    }
    if (succeeded) keepFocus(form, status, submit);
  });
  return form;
}

/** Nothing has the focus: the browser dropped it, with a busy button or redrawn part. */
function focusLost() {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/**
 * After a submit, the keyboard stays where the change is, never at the top of the page: on
 * the form's message when it says what happened, else where the success put it (a redrawn
 * page's notice, a new heading), else back on the button, else on the page's heading.
 */
function keepFocus(form, status, submit) {
  if (form.isConnected && status.textContent) {
    status.focus();
  } else if (focusLost()) {
    const target = form.isConnected ? submit : document.querySelector('#main h1');
    target?.focus();
  }
}

/** Empty text means "not given". */
export function optionalText(value) {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A whole number from a text field; `undefined` when it is not one (the caller reports it). */
export function wholeNumber(value) {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (!/^-?\d{1,9}$/.test(trimmed)) return undefined;
  return Number.parseInt(trimmed, 10);
}
