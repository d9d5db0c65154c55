// One working group: its purpose and problems, the viewer's place in it, its action plan, its
// volunteer tasks and its members. Each part is its own module under group/; this one fetches the group and lays
// them out. What the viewer may do comes with the group (its viewerCan… fields), from the
// server's own rules.

import { detailPage } from '../detail-page.js';
import { h, link, replaceChildren } from '../dom.js';
import { formatDate } from '../format.js';
import { request } from '../graphql.js';
import { groupStatusBadge, joinPolicyMarker } from '../groups.js';
import { knowTimeZone } from '../tasks.js';
import { aboutCard, closeCard, factsCard } from './group/about.js';
import { actionPlan } from './group/actions.js';
import { membersPanel } from './group/members.js';
import { placeCard } from './group/place.js';
import { tasksPanel } from './group/tasks.js';

export function render(view, context) {
  return detailPage(view, context, {
    noun: 'Working group',
    // The group and its volunteer tasks: fetched side by side.
    load: async () => {
      const id = context.params.id;
      const [{ workingGroup }, planned] = await Promise.all([
        request('WorkingGroup', { id }),
        request('WorkingGroupTasks', { id }),
        knowTimeZone(),
      ]);
      return workingGroup && planned.workingGroup ? { ...workingGroup, ...planned.workingGroup } : null;
    },
    missing: (viewer) => [
      'There is no working group at this address.',
      viewer ? 'It may work on a problem you cannot see, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
      link('/problems', 'See all problems', { class: 'button button-primary' }),
    ],
    draw: (group, { heading, crumbs, badges, lead }, page) => {
      const areaPath = `/areas/${encodeURIComponent(group.area.id)}`;
      context.setTitle(group.name);
      heading.textContent = group.name;
      replaceChildren(badges, groupStatusBadge(group.status), group.status === 'ACTIVE' && joinPolicyMarker(group.joinPolicy));
      replaceChildren(lead, 'Working group in ', link(areaPath, group.area.name), `, formed on ${formatDate(group.createdAt)}.`);
      replaceChildren(
        crumbs,
        h(
          'ol',
          {},
          h('li', {}, link('/', 'Areas')),
          h('li', {}, link(areaPath, group.area.name)),
          h('li', {}, h('span', { 'aria-current': 'page' }, group.name)),
        ),
      );
      return {
        // Where the viewer stands comes first: on a narrow screen it is what shows under the title.
        side: [placeCard(group, page), factsCard(group)],
        main: [aboutCard(group), actionPlan(group, page), tasksPanel(group, page), membersPanel(group, page), closeCard(group, page)],
      };
    },
  });
}
