// Where an emailed sign-in link lands: #/sign-in/link?token=…

import { flash } from '../banner.js';
import { h, link, loading, replaceChildren } from '../dom.js';
import { mutate } from '../graphql.js';
import { nextPath } from './sign-in.js';

// A link signs in once: never send the same token twice, even if the page draws again.
const used = new Set();

export async function render(view, { session, setTitle, query, navigate }) {
  setTitle('Signing you in');
  const token = query.get('token') ?? '';
  const heading = h('h1', {}, 'Signing you in…');
  const body = h('div', {}, loading('Checking your sign-in link…'));
  view.append(h('section', { class: 'narrow card panel' }, heading, body));

  const failed = (message) => {
    heading.textContent = 'This sign-in link cannot be used';
    setTitle('Sign-in link');
    replaceChildren(
      body,
      h('p', { class: 'form-errors', role: 'alert' }, message),
      h('p', {}, 'Links work once, for a short while. You can ask for a new one.'),
      h('p', {}, link('/sign-in', 'Get a new sign-in link', { class: 'button button-primary' })),
    );
  };

  if (!token) {
    failed('This link has no sign-in code in it. Copy the whole link from the email.');
    return;
  }
  if (used.has(token)) {
    failed('This sign-in link was used already.');
    return;
  }
  used.add(token);
  // The token should not linger in the address bar or the history.
  window.history.replaceState(null, '', '#/sign-in/link');

  const payload = await mutate('LogInWithMagicLink', { token });
  if (payload.errors.length) {
    failed(payload.errors.map((error) => error.message).join(' '));
    return;
  }
  session.set(payload.viewer);
  flash(`You are signed in. Welcome, ${payload.viewer.user.displayName}.`);
  navigate(nextPath(query, payload.viewer), { replace: true });
}
