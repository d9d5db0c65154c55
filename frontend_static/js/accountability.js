// Accountability figures: whether proposals get the official response they are owed. The
// same figures describe an area (every proposal made there, each counted once: answered or
// awaiting) and an organisation (every time a proposal reached it). Every figure says its
// period, and an area's figures link to the board showing exactly the proposals counted.

import { h, link } from './dom.js';
import { DECLINE_REASONS, duration, formatDay } from './format.js';

const ANSWERED = ['ACCEPTED', 'DECLINED', 'DUPLICATE', 'IN_PROGRESS', 'RESOLVED', 'UNRESOLVED'];

/**
 * The board's filters for each figure, as `#/problems?…` reads them: the same filters the
 * figures are counted with (tests/api/test_figures_add_up.py holds them to it).
 */
export const FIGURE_FILTERS = {
  proposalsReceived: {},
  responded: { status: ANSWERED },
  respondedWithinTarget: { onTime: '1' },
  answerDue: { due: '1' },
  awaitingResponse: { status: ['PROPOSED', 'REFERRED'] },
  referred: { referred: '1' },
  overdue: { overdue: '1' },
  declined: { status: ['DECLINED'] },
  resolved: { status: ['RESOLVED'] },
};

/** The board address listing what a figure counts, for an area and a period. */
export function figureBoardPath(scope, filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...scope, ...filters })) {
    for (const one of Array.isArray(value) ? value : [value]) if (one) query.append(name, one);
  }
  const search = query.toString();
  return search ? `/problems?${search}` : '/problems';
}

/** The period the figures cover, in words. */
export function periodOf(since) {
  return since ? `Proposals made since ${formatDay(since)}` : 'All proposals, since the platform began';
}

function figure(label, value, { alarm = false, path = null, note = null } = {}) {
  return h(
    'div',
    { class: `figure${alarm ? ' figure-alarm' : ''}` },
    h('dt', {}, label),
    h('dd', {}, path ? link(path, value, { class: 'figure-link' }) : value, note && ' ', note && h('span', { class: 'figure-note' }, note)),
  );
}

/**
 * The figures as a list of terms, then the declines by reason when there are any.
 * `scope` names the area the links filter the board by (`{ area, since }`); without it
 * (an organisation's figures count arrivals, not proposals) only the figures a board
 * filter reproduces link: what it owns now and awaits its answer.
 */
export function accountabilityFigures(stats, { scope = null, owner = null, since = null } = {}) {
  const pathOf = (name) => (scope ? figureBoardPath({ ...scope, since }, FIGURE_FILTERS[name]) : null);
  const ownerPath = (name) => (owner ? figureBoardPath({ owner }, FIGURE_FILTERS[name]) : null);
  const declines =
    stats.declinedByReason.length > 0 &&
    h(
      'table',
      { class: 'table declines' },
      h('caption', {}, 'Declines by reason'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Proposals'))),
      h(
        'tbody',
        {},
        stats.declinedByReason.map((row) => {
          const count = String(row.count);
          const path = scope && figureBoardPath({ ...scope, since }, { status: ['DECLINED'], reason: [row.reasonCode] });
          return h('tr', {}, h('th', { scope: 'row' }, DECLINE_REASONS[row.reasonCode] ?? row.reasonCode), h('td', {}, path ? link(path, count) : count));
        }),
      ),
    );
  return [
    h('p', { class: 'figures-period' }, periodOf(since)),
    h(
      'dl',
      { class: 'figures' },
      figure('Proposals received', String(stats.proposalsReceived), { path: pathOf('proposalsReceived') }),
      figure('Answered', String(stats.responded), {
        path: pathOf('responded'),
        note: `of ${stats.proposalsReceived}`,
      }),
      figure('Answered on time', String(stats.respondedWithinTarget), {
        path: pathOf('respondedWithinTarget'),
        // Out of those whose answer was due: never "100% on time" beside "1 overdue".
        note: h('span', {}, 'of ', pathOf('answerDue') ? link(pathOf('answerDue'), `${stats.answerDue} due`) : `${stats.answerDue} due`),
      }),
      figure('Awaiting an answer', String(stats.awaitingResponse), {
        path: pathOf('awaitingResponse') ?? ownerPath('awaitingResponse'),
      }),
      figure('Overdue', String(stats.overdue), { alarm: stats.overdue > 0, path: pathOf('overdue') ?? ownerPath('overdue') }),
      figure('Referred to another organisation', String(stats.referred), { path: pathOf('referred') }),
      figure(
        'Median time to first answer',
        stats.medianHoursToFirstResponse === null ? 'No answers yet' : duration(stats.medianHoursToFirstResponse),
      ),
      figure('Declined', String(stats.declined), { path: pathOf('declined') }),
      figure('Resolved', String(stats.resolved), { path: pathOf('resolved') }),
    ),
    declines,
  ];
}
