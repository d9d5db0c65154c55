// Creating an account.

import { showError } from '../banner.js';
import { h, link, replaceChildren } from '../dom.js';
import { allAreas, areaOptions } from '../choices.js';
import { createForm, selectField, textField } from '../forms.js';
import { mutate } from '../graphql.js';

export async function render(view, { session, setTitle }) {
  setTitle('Register');
  if (session.viewer) {
    view.append(
      h(
        'section',
        { class: 'narrow' },
        h('h1', {}, 'You already have an account'),
        h('p', {}, `You are signed in as ${session.viewer.user.displayName}.`),
        h('p', {}, link('/profile', 'Go to your profile', { class: 'button button-primary' })),
      ),
    );
    return;
  }

  const homeArea = selectField({
    name: 'homeAreaId',
    label: 'Home area',
    placeholder: 'Choose later',
    optional: true,
    hint: 'Where you live or work: we show you what is happening there first.',
  });
  let address = '';
  const form = createForm({
    label: 'Create your account',
    fields: [
      textField({ name: 'displayName', label: 'Your name', limit: 80, autocomplete: 'name', hint: 'Shown to others next to what you write.' }),
      textField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', inputmode: 'email' }),
      textField({
        name: 'password',
        label: 'Password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 10 characters, and hard to guess: not a common password, nor your name or address. Three or four words that do not go together work well.',
      }),
      homeArea,
    ],
    submitLabel: 'Create account',
    busyLabel: 'Creating your account…',
    onSubmit: (values) => {
      address = values.email.trim();
      return mutate('Register', {
        displayName: values.displayName,
        email: address,
        password: values.password,
        homeAreaId: values.homeAreaId || null,
      });
    },
    // The account is made when the link in the mail is used, and signs the person in then.
    onSuccess: () => {
      setTitle('Check your email');
      replaceChildren(
        panel,
        h('h2', { id: 'register-title', tabindex: '-1' }, 'Check your email'),
        h('p', { role: 'status' }, `We sent a mail to ${address}. Open the link in it to confirm your address: that makes your account and signs you in.`),
        h('p', {}, 'The link works once, within 24 hours. No mail? Look in your spam folder, or register again.'),
      );
      panel.querySelector('h2').focus();
    },
  });
  const panel = h('section', { class: 'card panel', 'aria-labelledby': 'register-title' }, h('h2', { id: 'register-title' }, 'Your details'), form);

  view.append(
    h(
      'div',
      { class: 'auth-layout' },
      h(
        'div',
        { class: 'auth-intro' },
        h('h1', {}, 'Join Rungs'),
        h(
          'p',
          { class: 'lead' },
          'Raise local problems, back your neighbours’ proposals, and work with police and partners on what to do about them.',
        ),
        h(
          'ul',
          { class: 'benefits' },
          h('li', {}, 'You choose how much you take part, and can change it any time'),
          h('li', {}, 'Others see your name, never your email address'),
          h('li', {}, 'Sign in with your password or a link by email'),
        ),
        h('p', {}, 'What we keep about you, who sees it and how to erase it: ', link('/privacy', 'the privacy notice'), '.'),
        h('p', {}, 'Already registered? ', link('/sign-in', 'Sign in'), '.'),
      ),
      panel,
    ),
  );

  try {
    homeArea.setOptions(areaOptions(await allAreas()));
  } catch (error) {
    showError(error);
  }
}
