// Creating an account.

import { flash, showError } from '../banner.js';
import { h, link } from '../dom.js';
import { allAreas, areaOptions } from '../choices.js';
import { createForm, selectField, textField } from '../forms.js';
import { mutate } from '../graphql.js';

export async function render(view, { session, setTitle, navigate }) {
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
  const form = createForm({
    label: 'Create your account',
    fields: [
      textField({ name: 'displayName', label: 'Your name', autocomplete: 'name', hint: 'Shown to others next to what you write.' }),
      textField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', inputmode: 'email' }),
      textField({
        name: 'password',
        label: 'Password',
        type: 'password',
        autocomplete: 'new-password',
        hint: 'At least 10 characters.',
      }),
      homeArea,
    ],
    submitLabel: 'Create account',
    busyLabel: 'Creating your account…',
    onSubmit: (values) =>
      mutate('Register', {
        displayName: values.displayName,
        email: values.email.trim(),
        password: values.password,
        homeAreaId: values.homeAreaId || null,
      }),
    onSuccess: (payload) => {
      session.set(payload.viewer);
      flash(`Welcome to Rungs, ${payload.viewer.user.displayName}. Add your skills so people know how you could help.`);
      navigate('/profile');
    },
  });

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
        h('p', {}, 'Already registered? ', link('/sign-in', 'Sign in'), '.'),
      ),
      h('section', { class: 'card panel', 'aria-labelledby': 'register-title' }, h('h2', { id: 'register-title' }, 'Your details'), form),
    ),
  );

  try {
    homeArea.setOptions(areaOptions(await allAreas()));
  } catch (error) {
    showError(error);
  }
}
