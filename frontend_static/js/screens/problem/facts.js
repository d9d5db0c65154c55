// The problem itself and where it stands: its description, status, owner, dates and stage.

import { h, link } from '../../dom.js';
import { PROBLEM_STATUSES, formatDate } from '../../format.js';
import { placeMap } from '../../map.js';
import { AWAITING_RESPONSE, ownerName, problemPath } from '../../problems.js';
import { loadSite } from '../../site.js';
import { stages } from './stage.js';

function fact(term, ...details) {
  return h('div', { class: 'fact-row' }, h('dt', {}, term), h('dd', {}, details));
}

/** The original a duplicate was folded into, from its latest duplicate response. */
export function originalOf(problem) {
  return problem.responses.findLast((response) => response.decision === 'DUPLICATE')?.duplicateOf;
}

export function descriptionCard(problem) {
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'description-title' },
    h('h2', { id: 'description-title' }, 'The problem'),
    problem.visibility === 'RESTRICTED' &&
      h(
        'p',
        { class: 'notice restricted-notice' },
        h('strong', {}, 'Restricted. '),
        'Only the person who proposed it, the organisation that must answer, the area’s coordinators and administrators can see this problem.',
      ),
    h('p', { class: 'problem-description' }, problem.description),
  );
}

/** The SARA stages mean something once a proposal is accepted, and not after a refusal. */
function stageFact(problem) {
  if (AWAITING_RESPONSE.includes(problem.status)) return fact('Stage', 'Work starts once it is accepted');
  if (problem.status === 'DECLINED' || problem.status === 'DUPLICATE') return null;
  return fact('Stage', stages(problem.stage));
}

/** The place on a map under the facts, once the installation says where tiles come from. */
function locationMap(problem) {
  const slot = h('div', { class: 'map-slot' });
  loadSite()
    .then((site) => {
      if (site.map) slot.replaceChildren(placeMap(site.map, problem.location, problem.title));
    })
    // The place is in the facts in words; without the settings there is only no picture.
    .catch(() => {});
  return slot;
}

export function factsCard(problem) {
  const coordinators = problem.area.coordinators.map((person) => person.displayName).join(', ');
  const duplicateOf = originalOf(problem);
  let status = PROBLEM_STATUSES[problem.status] ?? problem.status;
  if (problem.status === 'REFERRED') status += ': waiting for the new owner’s answer';
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'facts-title' },
    h('h2', { id: 'facts-title' }, 'Where it stands'),
    h(
      'dl',
      { class: 'fact-list', id: 'problem-facts' },
      fact('Status', status, duplicateOf && [' of ', link(problemPath(duplicateOf.id), duplicateOf.title)]),
      stageFact(problem),
      fact('Area', link(`/areas/${encodeURIComponent(problem.area.id)}`, problem.area.name)),
      fact('Owner', ownerName(problem), !problem.owner && coordinators && ` (${coordinators})`),
      fact('Proposed by', problem.proposer.displayName, ' on ', formatDate(problem.createdAt)),
      fact(
        'Response due',
        formatDate(problem.responseDueAt),
        problem.isResponseOverdue && [' ', h('span', { class: 'marker marker-overdue' }, 'Overdue')],
      ),
      fact('First response', problem.firstRespondedAt ? formatDate(problem.firstRespondedAt) : 'Not yet'),
      problem.location &&
        fact('Location', `${Number(problem.location.latitude.toFixed(5))}, ${Number(problem.location.longitude.toFixed(5))}`),
    ),
    problem.location && locationMap(problem),
  );
}
