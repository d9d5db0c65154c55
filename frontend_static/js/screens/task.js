// One volunteer task: when and where, its places and waiting list, the viewer's place on it
// (sign up, withdraw, the calendar file), and for its group's leads and the area's
// coordinators the roster (check-in, hours, no-shows) and changing or cancelling it. Each
// part is its own module under task/; this one fetches the task and lays them out.

import { detailPage } from '../detail-page.js';
import { h, link, replaceChildren } from '../dom.js';
import { request } from '../graphql.js';
import { groupPath } from '../groups.js';
import { formatTaskTime, knowTimeZone, taskMarkers, volunteerPath } from '../tasks.js';
import { detailsCard } from './task/details.js';
import { manageCard } from './task/manage.js';
import { placeCard } from './task/place.js';
import { rosterSection } from './task/roster.js';

export function render(view, context) {
  return detailPage(view, context, {
    noun: 'Volunteer task',
    load: async () => {
      const [{ node }] = await Promise.all([request('VolunteerTask', { id: context.params.id }), knowTimeZone()]);
      // Another kind of thing with this ID answers with none of a task's fields.
      if (!node?.id) return null;
      if (!node.viewerCanManage) return node;
      // Those who run the task may put any of the group's active members on it.
      const { workingGroup } = await request('TaskGroupMembers', { id: node.group.id });
      return { ...node, groupMembers: workingGroup?.members ?? [] };
    },
    missing: (viewer) => [
      'There is no volunteer task at this address.',
      viewer ? 'It may belong to a group you cannot see, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
      link('/volunteer', 'See volunteer tasks', { class: 'button button-primary' }),
    ],
    draw: (task, { heading, crumbs, badges, lead }, page) => {
      const group = task.group;
      context.setTitle(task.title);
      heading.textContent = task.title;
      replaceChildren(badges, taskMarkers(task));
      replaceChildren(lead, formatTaskTime(task.startsAt, task.endsAt), ', for ', link(groupPath(group.id), group.name), '.');
      replaceChildren(
        crumbs,
        h(
          'ol',
          {},
          h('li', {}, link('/volunteer', 'Volunteer')),
          h('li', {}, link(volunteerPath(group.area.id), group.area.name)),
          h('li', {}, h('span', { 'aria-current': 'page' }, task.title)),
        ),
      );
      return {
        // Where the viewer stands comes first: on a narrow screen it is what shows under the title.
        side: [placeCard(task, page)],
        main: [detailsCard(task), task.viewerCanManage && [rosterSection(task, page), manageCard(task, page)]],
      };
    },
  });
}
