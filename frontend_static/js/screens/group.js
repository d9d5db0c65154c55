// One working group: its purpose and problems, the viewer's place in it, its members and
// its action plan. Each part is its own module under group/; this one fetches the group and
// lays them out. What the viewer may do comes with the group (its viewerCan… fields), from
// the server's own rules.

import { emptyState, h, link, loading, replaceChildren } from '../dom.js';
import { formatDate } from '../format.js';
import { request } from '../graphql.js';
import { groupStatusBadge, joinPolicyMarker } from '../groups.js';
import { aboutCard, closeCard, factsCard } from './group/about.js';
import { actionPlan } from './group/actions.js';
import { membersPanel } from './group/members.js';
import { placeCard } from './group/place.js';

export async function render(view, context) {
  const { params, session, setTitle } = context;
  setTitle('Working group');
  const viewer = session.viewer;
  const heading = h('h1', {}, 'Working group');
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' });
  const badges = h('div', { class: 'markers' });
  const lead = h('p', { class: 'lead' });
  const notice = h('div', { class: 'page-notice', role: 'status', tabindex: '-1' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the working group…'));
  view.append(crumbs, h('div', { class: 'page-head' }, badges, heading, lead), notice, body);

  const data = await request('WorkingGroup', { id: params.id });
  body.removeAttribute('aria-busy');
  if (!data.workingGroup) {
    heading.textContent = 'Working group not found';
    setTitle('Working group not found');
    replaceChildren(
      body,
      emptyState(
        'There is no working group at this address.',
        viewer ? 'It may work on a problem you cannot see, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
        link('/problems', 'See all problems', { class: 'button button-primary' }),
      ),
    );
    return;
  }

  const page = {
    viewer,
    notice,
    /** Fetches the group again and draws it afresh, after an act that changes it. */
    async reload(message) {
      const fresh = await request('WorkingGroup', { id: data.workingGroup.id });
      if (!fresh.workingGroup) {
        replaceChildren(body, emptyState('This working group is no longer there for you.', null, link('/problems', 'See all problems', { class: 'button button-primary' })));
        replaceChildren(notice, h('p', {}, message));
        return;
      }
      draw(fresh.workingGroup);
      replaceChildren(notice, h('p', {}, message));
      notice.focus();
    },
  };

  function draw(group) {
    setTitle(group.name);
    heading.textContent = group.name;
    replaceChildren(badges, groupStatusBadge(group.status), group.status === 'ACTIVE' && joinPolicyMarker(group.joinPolicy));
    replaceChildren(
      lead,
      'Working group in ',
      link(`/areas/${encodeURIComponent(group.area.id)}`, group.area.name),
      `, formed on ${formatDate(group.createdAt)}.`,
    );
    replaceChildren(
      crumbs,
      h(
        'ol',
        {},
        h('li', {}, link('/', 'Areas')),
        h('li', {}, link(`/areas/${encodeURIComponent(group.area.id)}`, group.area.name)),
        h('li', {}, h('span', { 'aria-current': 'page' }, group.name)),
      ),
    );
    replaceChildren(
      body,
      h(
        'div',
        { class: 'group-layout' },
        // Where the viewer stands comes first: on a narrow screen it is what shows under the title.
        h('div', { class: 'group-side' }, placeCard(group, page), factsCard(group)),
        h(
          'div',
          { class: 'group-main' },
          aboutCard(group),
          actionPlan(group, page),
          membersPanel(group, page),
          closeCard(group, page),
        ),
      ),
    );
  }

  draw(data.workingGroup);
}
