// Police forces and partner agencies taking part.

import { showError } from '../banner.js';
import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { ORGANISATION_KINDS, plural } from '../format.js';
import { request } from '../graphql.js';
import { pagedList } from '../paged-list.js';

const PAGE = 20;

export async function render(view, { session, setTitle }) {
  setTitle('Organisations');
  const kind = h(
    'select',
    { id: 'kind-filter', class: 'input' },
    h('option', { value: '' }, 'All kinds'),
    Object.entries(ORGANISATION_KINDS).map(([value, label]) => h('option', { value }, label)),
  );
  const summary = h('p', { class: 'section-note', 'aria-live': 'polite' });
  const list = h('ul', { class: 'card-grid' });
  const body = h('div', {}, loading('Loading organisations…'));
  view.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Organisations'),
      h('p', { class: 'lead' }, 'Police teams and partner agencies that own and answer proposals, and work on them with residents.'),
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'inline-field' }, h('label', { for: 'kind-filter' }, 'Show'), kind),
      summary,
    ),
    body,
  );

  const roles = new Map((session.viewer?.organisations ?? []).map((m) => [m.organisation.id, m.role]));

  function card(organisation) {
    const role = roles.get(organisation.id);
    return h(
      'li',
      { class: 'card organisation-card' },
      h('span', { class: `kind-badge kind-${organisation.kind.toLowerCase().replaceAll('_', '-')}` }, ORGANISATION_KINDS[organisation.kind]),
      h('h2', { class: 'card-title' }, organisation.name),
      role && h('p', { class: 'card-meta' }, role === 'ADMIN' ? 'You are an admin here' : 'You are a member here'),
      link(`/organisations/${encodeURIComponent(organisation.id)}`, 'How it answers proposals', {
        class: 'card-action',
        'aria-label': `How ${organisation.name} answers proposals`,
      }),
    );
  }

  const pages = pagedList({
    list,
    item: card,
    moreLabel: 'Show more organisations',
    focusIn: 'h2',
    load: async (after) => (await request('Organisations', { kind: kind.value || null, first: PAGE, after })).organisations,
    onShow: ({ totalCount }) => {
      summary.textContent = totalCount ? `Showing ${pages.shown} of ${plural(totalCount, 'organisation')}` : '';
      if (pages.shown === 0) {
        replaceChildren(body, emptyState('No organisations here yet', 'Platform administrators add police teams and partner agencies.'));
      } else if (!body.contains(list)) {
        replaceChildren(body, list, pages.more);
      }
    },
  });

  kind.addEventListener('change', () => {
    pages.reset();
    replaceChildren(body, loading('Loading organisations…'));
    pages.next().catch(showError);
  });

  await pages.next();
}
