// The ladder of participation in an area: how many people stand on each rung now (a bar chart
// over a table of the same numbers), who moved between rungs over a chosen period, and the
// ladder month by month (a line chart, its numbers in a table under it). The charts are drawn
// by uPlot and hidden from screen readers, which read the tables.

import { showError } from '../../banner.js';
import { drawChart, seconds } from '../../chart.js';
import { h, replaceChildren } from '../../dom.js';
import { plural } from '../../format.js';
import { request } from '../../graphql.js';

/** The rungs, lowest first, in the interface's words, with what puts someone on each. */
export const RUNGS = {
  NONE: ['None', 'lives here and has not taken part in the last 12 months'],
  PASSIVE: ['Passive', 'follows a problem'],
  CONVERSATION: ['Conversation', 'comments'],
  PARTICIPATION: ['Participation', 'turns up: checks in to a task'],
  ACTIVIST: ['Activist', 'proposes or supports a problem'],
  VOLUNTEER: ['Volunteer', 'completes a volunteer task'],
  CO_DESIGNER: ['Co-designer', 'works in a working group'],
};
const ORDER = Object.keys(RUNGS);
// The same colours as the key's swatches in styles/area.css.
const COLOURS = {
  NONE: '#8a94a6',
  PASSIVE: '#7aa6d8',
  CONVERSATION: '#1b4f96',
  PARTICIPATION: '#0f7c8c',
  ACTIVIST: '#b35c00',
  VOLUNTEER: '#067647',
  CO_DESIGNER: '#6b3fa0',
};

// How far back the movement looks, in months.
const PERIODS = [
  [1, 'The last month'],
  [3, 'The last 3 months'],
  [12, 'The last 12 months'],
];
const DEFAULT_PERIOD = 3;
// Steps between the ticks of a count of people: whole people only.
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

const rungName = (rung) => RUNGS[rung][0];
const monthLabel = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthOf = (isoDate) => monthLabel.format(new Date(`${isoDate}T00:00:00Z`));

/** The day `months` months before today, as the API's Date. */
function monthsAgo(months) {
  const day = new Date();
  day.setUTCMonth(day.getUTCMonth() - months);
  return day.toISOString().slice(0, 10);
}

function ladderTable(ladder) {
  return h(
    'table',
    { class: 'table ladder-table', id: 'ladder-table' },
    h('caption', { class: 'visually-hidden' }, 'People on each rung'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rung'), h('th', { scope: 'col' }, 'People'))),
    h(
      'tbody',
      {},
      ladder.map(({ rung, count }) =>
        h('tr', {}, h('th', { scope: 'row' }, rungName(rung), h('span', { class: 'rung-meaning' }, RUNGS[rung][1])), h('td', {}, count)),
      ),
    ),
  );
}

function barOptions(uPlot, width) {
  const narrow = width < 480;
  return {
    width,
    height: narrow ? 240 : 220,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.6, ORDER.length - 0.4] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      {
        splits: () => ORDER.map((_, index) => index),
        values: (u, ticks) => ticks.map((tick) => (ORDER[tick] ? rungName(ORDER[tick]) : '')),
        // Upright on a phone, where seven names side by side would overlap.
        rotate: narrow ? -90 : 0,
        size: narrow ? 100 : 40,
        gap: 4,
      },
      { label: 'People', size: 56, incrs: WHOLE },
    ],
    series: [
      {},
      {
        label: 'People',
        stroke: COLOURS.CONVERSATION,
        fill: `${COLOURS.CONVERSATION}cc`,
        paths: uPlot.paths.bars({ size: [0.7, 64] }),
        points: { show: false },
      },
    ],
  };
}

function historyOptions(uPlot, width) {
  return {
    width,
    height: Math.max(200, Math.min(260, Math.round(width * 0.5))),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [{ values: (u, ticks) => ticks.map((tick) => monthLabel.format(new Date(tick * 1000))), space: 80 }, { label: 'People', size: 56, incrs: WHOLE }],
    series: [{}, ...ORDER.slice(1).map((rung) => ({ label: rungName(rung), stroke: COLOURS[rung], width: 2, points: { show: true, size: 5, fill: COLOURS[rung] } }))],
  };
}

function historyData(history) {
  return [
    history.map((month) => seconds(month.day)),
    ...ORDER.slice(1).map((rung) => history.map((month) => month.counts.find((count) => count.rung === rung)?.count ?? 0)),
  ];
}

function historyKey() {
  return h(
    'ul',
    { class: 'chart-key', 'aria-hidden': 'true' },
    ORDER.slice(1).map((rung) => h('li', {}, h('span', { class: `key-swatch key-rung key-${rung.toLowerCase().replace('_', '-')}` }), rungName(rung))),
  );
}

function historyTable(history) {
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'The ladder month by month' },
    h(
      'table',
      { class: 'table ladder-history-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Month'), ORDER.map((rung) => h('th', { scope: 'col' }, rungName(rung))))),
      h(
        'tbody',
        {},
        history.map((month) =>
          h('tr', {}, h('th', { scope: 'row' }, monthOf(month.month)), ORDER.map((rung) => h('td', {}, month.counts.find((count) => count.rung === rung)?.count ?? 0))),
        ),
      ),
    ),
  );
}

/** Everyone on a rung above None in a month of the series. */
function onTheLadder(month) {
  return month.counts.reduce((sum, count) => sum + (count.rung === 'NONE' ? 0 : count.count), 0);
}

function historySummary(history) {
  const [first, last] = [history[0], history[history.length - 1]];
  return history.length > 1
    ? `From ${monthOf(first.month)} to ${monthOf(last.month)}, the people on a rung above None went from ${onTheLadder(first)} to ${onTheLadder(last)}.`
    : `In ${monthOf(first.month)}, ${plural(onTheLadder(first), 'person', 'people')} stood on a rung above None.`;
}

function moveInWords({ from, to, count }) {
  const who = plural(count, 'person', 'people');
  if (to === 'NONE') return `${who} went from ${rungName(from)} to None: nothing of theirs here in the last 12 months`;
  if (from === 'NONE') return `${who} came onto the ladder at ${rungName(to)}`;
  const way = ORDER.indexOf(to) > ORDER.indexOf(from) ? 'up' : 'down';
  return `${who} moved ${way} from ${rungName(from)} to ${rungName(to)}`;
}

function movementList(moves) {
  return moves.length
    ? h('ul', { class: 'ladder-moves', id: 'ladder-moves' }, moves.map((move) => h('li', {}, moveInWords(move))))
    : h('p', { class: 'muted', id: 'ladder-moves' }, 'Nobody moved between rungs in this period, as far as the daily snapshots tell.');
}

/** A chart slot, drawn once it is in the page and has a width. */
function chartSlot(className, optionsFor, data) {
  const slot = h('div', { class: `trend-chart ${className}`, 'aria-hidden': 'true' });
  requestAnimationFrame(() => {
    if (slot.isConnected) drawChart(slot, optionsFor, data).catch(showError);
  });
  return slot;
}

export function ladderSection(area) {
  const within = area.children.length ? ' and the areas within it' : '';
  const now = h('div', { class: 'ladder-now' });
  const moves = h('div', { 'aria-live': 'polite' });
  const history = h('div', { class: 'ladder-history' });
  const period = h(
    'select',
    { id: 'ladder-period', class: 'input' },
    PERIODS.map(([months, label]) => h('option', { value: months, selected: months === DEFAULT_PERIOD }, label)),
  );

  async function show(months) {
    const { area: found } = await request('AreaLadder', { id: area.id, since: monthsAgo(months), months: 12 });
    return found;
  }

  period.addEventListener('change', () => {
    show(Number(period.value))
      .then((found) => replaceChildren(moves, movementList(found.ladderMovement)))
      .catch(showError);
  });

  const section = h(
    'section',
    { class: 'card panel area-ladder', 'aria-labelledby': 'ladder-title' },
    h('h2', { id: 'ladder-title' }, 'Participation ladder'),
    h(
      'p',
      { class: 'hint' },
      `How many people stand on each rung of the ladder in ${area.name}${within}: the highest their part here in the last 12 months reaches. Someone who stops taking part steps down as their acts pass 12 months, and off the ladder after that.`,
    ),
    now,
    h('h3', {}, 'Who moved'),
    h('div', { class: 'inline-field' }, h('label', { for: 'ladder-period' }, 'Since'), period),
    moves,
    h('h3', {}, 'Month by month'),
    history,
  );

  section.load = async () => {
    const found = await show(DEFAULT_PERIOD);
    if (!found) return;
    replaceChildren(now, chartSlot('ladder-bars', barOptions, [ORDER.map((_, index) => index), ORDER.map((rung) => found.ladder.find((c) => c.rung === rung)?.count ?? 0)]), ladderTable(found.ladder));
    replaceChildren(moves, movementList(found.ladderMovement));
    replaceChildren(
      history,
      found.ladderHistory.length
        ? [
            h('p', { class: 'visually-hidden' }, historySummary(found.ladderHistory)),
            historyKey(),
            chartSlot('ladder-months', historyOptions, historyData(found.ladderHistory)),
            h('details', { class: 'form-disclosure' }, h('summary', {}, 'The numbers month by month'), historyTable(found.ladderHistory)),
          ]
        : h('p', { class: 'muted' }, 'The ladder is recorded once a day; its history starts with the first record.'),
    );
  };
  return section;
}
