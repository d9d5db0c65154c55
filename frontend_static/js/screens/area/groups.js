// The working groups of an area and the areas inside it, newest first, a page at a time.

import { h } from '../../dom.js';
import { request } from '../../graphql.js';
import { groupCard } from '../../groups.js';
import { pagedList } from '../../paged-list.js';

const PAGE = 10;

export function groupsSection(area) {
  const list = h('ul', { class: 'group-list', 'aria-labelledby': 'area-groups-title', 'aria-busy': 'true' });
  const empty = h(
    'p',
    { class: 'muted', hidden: true },
    `No working group is active in ${area.name} yet. Groups form around accepted problems.`,
  );
  const pages = pagedList({
    list,
    item: (group) => groupCard(group),
    moreLabel: 'Show more groups',
    focusIn: 'a',
    load: async (after) => (await request('WorkingGroups', { areaId: area.id, first: PAGE, after })).workingGroups,
    onShow: () => {
      list.removeAttribute('aria-busy');
      empty.hidden = pages.shown > 0;
    },
  });
  const section = h(
    'section',
    { class: 'card panel area-groups', 'aria-labelledby': 'area-groups-title' },
    h('h2', { id: 'area-groups-title' }, 'Working groups'),
    h('p', { class: 'hint' }, `Police, partners and residents working together on problems in ${area.name}${area.children.length ? ' and the areas within it' : ''}.`),
    list,
    empty,
    pages.more,
  );
  section.load = () => pages.next();
  return section;
}
