// The contact page: how to reach whoever runs this Rungs, from its settings.

import { h, link, loading, replaceChildren } from '../dom.js';
import { request } from '../graphql.js';

function details(contact) {
  const rows = [
    contact.email && ['Email', h('a', { href: `mailto:${contact.email}` }, contact.email)],
    contact.phone && ['Phone', h('a', { href: `tel:${contact.phone.replace(/[^+\d]/g, '')}` }, contact.phone)],
    contact.address && ['Post', h('address', {}, contact.address.split(/\s*(?:\n|\\n|;)\s*/).flatMap((line, i) => (i ? [h('br'), line] : [line])))],
  ].filter(Boolean);
  if (!rows.length) {
    return h('p', {}, `${contact.operator} has not published contact details here yet.`);
  }
  return h('dl', { class: 'contact-details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

export async function render(view, { setTitle }) {
  setTitle('Contact us');
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading contact details…'));
  view.append(
    h(
      'article',
      { class: 'narrow prose' },
      h('h1', {}, 'Contact us'),
      h(
        'p',
        { class: 'lead' },
        'Questions about Rungs, your account or your data, or something that does not work for you. This is not how to report a crime or an emergency.',
      ),
      body,
      h('p', {}, 'About a particular problem? Comment on its page, so those who answer it see your question. About your data: see the ', link('/privacy', 'privacy notice'), '.'),
    ),
  );
  const { contactDetails } = await request('ContactDetails');
  body.removeAttribute('aria-busy');
  replaceChildren(body, h('p', {}, `Rungs here is run by ${contactDetails.operator}.`), details(contactDetails));
}
