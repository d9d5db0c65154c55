// Accountability figures: whether proposals get the official response they are owed. The
// same figures describe an area (every proposal made there) and an organisation (every
// proposal that reached it).

import { h } from './dom.js';
import { DECLINE_REASONS, duration, share } from './format.js';

function figure(label, value, { alarm = false } = {}) {
  return h('div', { class: `figure${alarm ? ' figure-alarm' : ''}` }, h('dt', {}, label), h('dd', {}, value));
}

/** The figures as a list of terms, then the declines by reason when there are any. */
export function accountabilityFigures(stats) {
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
        stats.declinedByReason.map((row) =>
          h('tr', {}, h('th', { scope: 'row' }, DECLINE_REASONS[row.reasonCode] ?? row.reasonCode), h('td', {}, String(row.count))),
        ),
      ),
    );
  return [
    h(
      'dl',
      { class: 'figures' },
      figure('Proposals received', String(stats.proposalsReceived)),
      figure('Answered', share(stats.responded, stats.proposalsReceived)),
      figure('Answered on time', share(stats.respondedWithinTarget, stats.responded)),
      figure(
        'Median time to first answer',
        stats.medianHoursToFirstResponse === null ? 'No answers yet' : duration(stats.medianHoursToFirstResponse),
      ),
      figure('Awaiting an answer', String(stats.awaitingResponse)),
      figure('Overdue', String(stats.overdue), { alarm: stats.overdue > 0 }),
      figure('Declined', String(stats.declined)),
      figure('Resolved', String(stats.resolved)),
    ),
    declines,
  ];
}
