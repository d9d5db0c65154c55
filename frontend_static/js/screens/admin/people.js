// Choosing a person without copying an ID: find them by name or email address, then
// choose among those found. Platform admins find anyone with an account; organisation
// admins, only their own members (the server decides).

import { plural } from '../../format.js';
import { selectField } from '../../forms.js';
import { request } from '../../graphql.js';
import { picker } from '../../picker.js';

export function personPicker({ name = 'userId', label = 'Person', hint = 'Type part of their name or email address, then choose them below.' } = {}) {
  const choice = selectField({ name, label, placeholder: 'Find them first', missing: 'Find and choose the person' });
  let found = [];
  const element = picker({
    label: 'Find a person',
    hint,
    choice,
    blank: 'Type part of their name or address first.',
    search: async (text) => {
      found = (await request('People', { search: text })).people;
      return {
        options: found.map((person) => ({ value: person.user.id, label: `${person.user.displayName} (${person.email})` })),
        message: found.length ? `${plural(found.length, 'person', 'people')} found: choose below.` : 'Nobody with an account matches that.',
      };
    },
  });
  element.chosen = () => found.find((person) => person.user.id === choice.read())?.user ?? null;
  element.reset = () => {
    found = [];
    choice.setOptions([], '');
    element.querySelector('input[type="search"]').value = '';
    element.querySelector('.lookup').textContent = '';
  };
  return element;
}
