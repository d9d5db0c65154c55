// Signing in: with a password, or with a link sent by email.

import { flash } from '../banner.js';
import { h, link } from '../dom.js';
import { createForm, textField } from '../forms.js';
import { mutate } from '../graphql.js';

/** Where to go after signing in: a path inside Rungs, never another site. */
/** Where to go once signed in: where the address asks, else officers and coordinators to
 * the proposals awaiting their answer, everyone else home. */
export function nextPath(query, viewer) {
  const landing = viewer?.hasResponseQueue ? '/queue' : '/';
  const next = query.get('next') || landing;
  return next.startsWith('/') && !next.startsWith('//') ? next : landing;
}

export async function render(view, { session, setTitle, query, navigate }) {
  setTitle('Sign in');
  const viewer = session.viewer;
  if (viewer) {
    view.append(
      h(
        'section',
        { class: 'narrow' },
        h('h1', {}, 'You are signed in'),
        h('p', {}, `You are signed in as ${viewer.user.displayName} (${viewer.email}).`),
        h('p', {}, link('/profile', 'Go to your profile', { class: 'button button-primary' })),
      ),
    );
    return;
  }

  const passwordForm = createForm({
    label: 'Sign in with your password',
    fields: [
      textField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'username', inputmode: 'email' }),
      textField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' }),
    ],
    submitLabel: 'Sign in',
    busyLabel: 'Signing in…',
    onSubmit: (values) => mutate('LogIn', { email: values.email.trim(), password: values.password }),
    onSuccess: (payload) => {
      session.set(payload.viewer);
      flash(`Welcome back, ${payload.viewer.user.displayName}.`);
      navigate(nextPath(query, payload.viewer));
    },
  });

  const linkForm = createForm({
    label: 'Email me a sign-in link',
    fields: [
      textField({
        name: 'email',
        label: 'Email address',
        type: 'email',
        autocomplete: 'email',
        inputmode: 'email',
        hint: 'We email you a link that signs you in once, without a password.',
      }),
    ],
    submitLabel: 'Email me a sign-in link',
    busyLabel: 'Sending…',
    // The link leads back to the page the person was on their way to.
    onSubmit: (values) => mutate('RequestMagicLink', { email: values.email.trim(), next: nextPath(query) }),
    onSuccess: (_, form) => {
      form.succeed('A mail is on its way to that address, with a sign-in link if it has an account. Check your inbox.');
    },
  });

  view.append(
    h(
      'div',
      { class: 'auth-layout' },
      h(
        'div',
        { class: 'auth-intro' },
        h('h1', {}, 'Sign in to Rungs'),
        h('p', { class: 'lead' }, 'Pick up where you left off in your neighbourhood.'),
        h(
          'ul',
          { class: 'benefits' },
          h('li', {}, 'Follow what is happening in your area'),
          h('li', {}, 'Answer proposals for your organisation'),
          h('li', {}, 'Give your time to working groups and tasks'),
        ),
        h('p', {}, 'New to Rungs? ', link('/register', 'Create an account'), '.'),
      ),
      h(
        'div',
        { class: 'auth-panels' },
        h('section', { class: 'card panel', 'aria-labelledby': 'password-title' }, h('h2', { id: 'password-title' }, 'With your password'), passwordForm),
        h(
          'section',
          { class: 'card panel', 'aria-labelledby': 'link-title' },
          h('h2', { id: 'link-title' }, 'With a link by email'),
          linkForm,
        ),
      ),
    ),
  );
}
