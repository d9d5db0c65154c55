// Where an unsubscribe link in a mail lands (#/unsubscribe/<token>), signed in or not. It says
// what the link turns off, and turns it off only when asked: mail scanners open links too.
// The address it asks is the same one a mail client's own unsubscribe button posts to.

import { showError } from '../banner.js';
import { h, link, loading, replaceChildren } from '../dom.js';
import { UnexpectedError } from '../graphql.js';

// What each setting's mail is, and what still comes once it is off.
const EFFECTS = {
  EMAIL: 'Your notifications stay in your notification centre on Rungs. Sign-in links and mail about your account still come.',
  TASK_REMINDERS: 'You will not be reminded before the volunteer tasks you signed up for. Other notifications still come.',
  DIGEST: 'You will get no more summaries of progress on the problems you follow and the groups you work in. Other notifications still come.',
};

async function ask(token, method) {
  const address = `/unsubscribe/${encodeURIComponent(token)}`;
  let response;
  try {
    response = await fetch(address, {
      method,
      // The token is the only credential, as it is for a mail client's request.
      credentials: 'omit',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
    });
  } catch {
    throw new UnexpectedError('Rungs could not be reached. Check your connection and try again.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body?.valid === false) return body;
  if (!response.ok || !body) {
    throw new UnexpectedError('Something went wrong on our side. Please try again.', { requestId: response.headers.get('x-request-id') });
  }
  return body;
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export async function render(view, { setTitle, params }) {
  setTitle('Unsubscribe');
  const heading = h('h1', {}, 'Unsubscribe');
  const body = h('div', {}, loading('Checking your unsubscribe link…'));
  view.append(h('section', { class: 'narrow card panel' }, heading, body));

  const failed = (message) => {
    heading.textContent = 'This unsubscribe link cannot be used';
    setTitle('Unsubscribe link');
    replaceChildren(
      body,
      h('p', { class: 'form-errors', role: 'alert' }, message),
      h('p', {}, link('/profile', 'Open your notification preferences', { class: 'button button-primary' })),
    );
  };

  const token = params.token;
  const asked = await ask(token, 'GET');
  if (!asked.valid) {
    failed(asked.error);
    return;
  }

  const turnsOff = asked.turnsOff;
  heading.textContent = `Turn off ${turnsOff}?`;
  setTitle(`Turn off ${turnsOff}`);
  const button = h('button', { type: 'button', class: 'button button-primary' }, `Turn off ${turnsOff}`);
  const status = h('p', { role: 'status' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Turning it off…';
    let done;
    try {
      done = await ask(token, 'POST');
    } catch (error) {
      button.disabled = false;
      status.textContent = '';
      showError(error);
      return;
    }
    if (!done.valid) {
      failed(done.error);
      return;
    }
    heading.textContent = `${capitalised(turnsOff)} turned off`;
    setTitle(`${capitalised(turnsOff)} turned off`);
    replaceChildren(
      body,
      h('p', { role: 'status' }, `Done: you will get no more ${turnsOff} from Rungs. ${EFFECTS[done.preference]}`),
      h('p', {}, 'Changed your mind? Turn them back on in ', link('/profile', 'your notification preferences'), ' (you sign in first).'),
    );
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  });
  replaceChildren(
    body,
    h('p', {}, `This link turns off the ${turnsOff} Rungs sends to the address the mail came to. ${EFFECTS[asked.preference]}`),
    h('p', {}, button),
    status,
    h('p', { class: 'hint' }, 'You can also choose what Rungs sends you in ', link('/profile', 'your notification preferences'), '.'),
  );
}
