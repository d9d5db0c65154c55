// The configuration check: areas where a proposal would reach nobody, because no routing
// rule there or above covers its category and nobody coordinates the area or one above it.
// Each gap offers to set a rule for it in the routing form.

import { emptyState, h, replaceChildren } from '../../dom.js';
import { PROBLEM_CATEGORIES } from '../../format.js';

export function configurationCheck({ onRoute }) {
  const list = h('div', { 'aria-live': 'polite' });
  const element = h(
    'section',
    { class: 'card panel admin-check', 'aria-labelledby': 'check-title' },
    h('h2', { id: 'check-title' }, 'Configuration check'),
    h('p', { class: 'hint' }, 'Areas where a proposal would reach nobody: no routing rule for its category there or above, and no coordinator of the area or of one above it.'),
    list,
  );
  element.show = (gaps) => {
    if (!gaps.length) {
      replaceChildren(list, emptyState('Every area has someone to answer its proposals.', null));
      return;
    }
    replaceChildren(
      list,
      h(
        'ul',
        { class: 'gap-list', 'aria-label': 'Areas where a proposal would reach nobody' },
        gaps.map((gap) =>
          h(
            'li',
            { class: 'gap' },
            h('p', { class: 'gap-area' }, h('strong', {}, gap.area.name), gap.area.parent ? ` in ${gap.area.parent.name}` : ''),
            h('p', { class: 'gap-categories' }, gap.categories.length === Object.keys(PROBLEM_CATEGORIES).length ? 'Every category' : gap.categories.map((category) => PROBLEM_CATEGORIES[category]).join(', ')),
            h('button', { type: 'button', class: 'button button-secondary button-small', onclick: () => onRoute(gap) }, `Add a routing rule for ${gap.area.name}`),
          ),
        ),
      ),
    );
  };
  return element;
}
