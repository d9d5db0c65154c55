// Building DOM from data. Text always goes in as text nodes, never as HTML, so names and
// messages typed by people can never become markup.

export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') {
      element.className = value;
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends a child, or a (nested) list of them; null, undefined and false are left out. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let counter = 0;

/** An id unique in the page, for tying labels, hints and errors to their controls. */
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function link(path, text, props = {}) {
  return h('a', { ...props, href: `#${path}` }, text);
}

/** A status line for work in progress, announced politely. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

export function emptyState(title, text, ...actions) {
  return h('div', { class: 'empty-state' }, h('p', { class: 'empty-title' }, title), text && h('p', {}, text), actions);
}
