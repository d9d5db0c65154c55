// Pieces every problem screen shows the same way: addresses, status and markers.

import { h, link } from './dom.js';
import { PROBLEM_CATEGORIES, PROBLEM_STATUSES } from './format.js';

/** Statuses in which a proposal still waits for its owner's official response. */
export const AWAITING_RESPONSE = ['PROPOSED', 'REFERRED'];

export function problemPath(id) {
  return `/problems/${encodeURIComponent(id)}`;
}

export function boardPath(areaId) {
  return areaId ? `/problems?area=${encodeURIComponent(areaId)}` : '/problems';
}

export function proposePath(areaId) {
  return areaId ? `/problems/new?area=${encodeURIComponent(areaId)}` : '/problems/new';
}

export function statusBadge(status) {
  return h('span', { class: `status-badge status-${status.toLowerCase().replaceAll('_', '-')}` }, PROBLEM_STATUSES[status] ?? status);
}

export function restrictedBadge() {
  return h('span', { class: 'marker marker-restricted' }, 'Restricted');
}

export function overdueBadge() {
  return h('span', { class: 'marker marker-overdue' }, 'Overdue');
}

/** The markers a problem carries, in the order the board and the page show them. */
export function markers(problem) {
  return [
    statusBadge(problem.status),
    problem.visibility === 'RESTRICTED' && restrictedBadge(),
    problem.isResponseOverdue && overdueBadge(),
  ];
}

/** The top of a problem's card in a list (the board, the queue): its markers, its title
    linking to its page, and its category, area and owner. */
export function problemCardHeading(problem) {
  return [
    h('div', { class: 'markers' }, markers(problem)),
    h('h2', { class: 'card-title' }, link(problemPath(problem.id), problem.title)),
    h('p', { class: 'card-meta' }, `${PROBLEM_CATEGORIES[problem.category] ?? problem.category} · ${problem.area.name} · Owner: ${ownerName(problem)}`),
  ];
}

/** Who must answer: the owning organisation, or, when no routing rule applies, the coordinators. */
export function ownerName(problem) {
  return problem.owner?.name ?? 'The area’s coordinators';
}

/** What became of a proposal just sent: public ones are published, restricted ones never are. */
export function proposalSent(problem) {
  return problem.visibility === 'RESTRICTED'
    ? 'Your proposal is sent. It is restricted: only you and those who answer it can see it.'
    : 'Your proposal is published.';
}
