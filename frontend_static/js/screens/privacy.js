// The privacy notice: what Rungs keeps about people, who sees it, for how long, and how to
// take a copy or erase it. Linked from the footer, registration and the propose form.

import { h, link } from '../dom.js';

function part(title, ...content) {
  const id = `privacy-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'prose-section', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

export function render(view, { setTitle }) {
  setTitle('Privacy notice');
  view.append(
    h(
      'article',
      { class: 'narrow prose' },
      h('h1', {}, 'Privacy notice'),
      h('p', { class: 'lead' }, 'What Rungs keeps about you, who sees it, for how long, and how to take a copy or erase it.'),
      part(
        'What we keep',
        h(
          'ul',
          {},
          h('li', {}, 'Your account: your name, email address, home area, skills, notification settings, and your password, stored only as a one-way hash nobody can read back.'),
          h('li', {}, 'What you do here: the problems you propose (with the place you give), what you support and follow, your comments, the working groups you join and the tasks you sign up for.'),
          h('li', {}, 'How you sign in: each browser session and API token (when it was made and last used, and how the browser described itself), and failed sign-in attempts, kept as digests rather than as your address.'),
          h('li', {}, 'The notifications and emails we send you.'),
        ),
      ),
      part(
        'Who sees it',
        h(
          'ul',
          {},
          h('li', {}, 'Anyone can read public proposals, comments, official answers and working groups, with the name of who wrote them. If you choose, on your profile, visitors and other residents see only your initials; police, partners and coordinators see your name.'),
          h('li', {}, 'A restricted proposal is never published: only you, the organisation that must answer it and the area’s coordinators can see it.'),
          h('li', {}, 'The public see the place of a problem rounded to about 100 metres; those who answer it see the exact point.'),
          h('li', {}, 'Your email address is never shown to the public. The leads of a working group you join, and the area’s coordinators, see it so they can reach you.'),
        ),
      ),
      part(
        'How long we keep it',
        h(
          'ul',
          {},
          h('li', {}, 'Your account and what you did, until you erase your account.'),
          h('li', {}, 'A browser stays signed in for 30 days; an API token lasts until the date it shows.'),
          h('li', {}, 'Failed sign-in attempts, only while they count towards the limits (minutes); a browser’s sign-in memory, a year from its last use.'),
          h('li', {}, 'An address that registered but never confirmed, a day.'),
        ),
      ),
      part(
        'A copy, or erasing it',
        h(
          'p',
          {},
          'On ',
          link('/profile', 'your profile'),
          ', “Download a copy of your data” gives you everything above as a file. “Erase my account” removes your name, address, password, settings and sign-ins for good. What you said in public stays, so the conversation still makes sense, but is shown as from “a former participant”.',
        ),
      ),
      part('Questions', h('p', {}, 'Ask us on the ', link('/contact', 'contact page'), '.')),
    ),
  );
}
