// Measures: whether the problem is getting better. Each measure has its trend chart (baseline
// and target lines, readings as points) and the same readings as a table, which screen
// readers read and which stands in for the chart when it cannot be drawn. Defining a measure
// and recording a reading are offered as the server's rights on the problem say.

import { drawTrend } from '../../chart.js';
import { h, replaceChildren } from '../../dom.js';
import { formatDate, optionsOf } from '../../format.js';
import { createForm, radioField, textAreaField, textField } from '../../forms.js';
import { mutate } from '../../graphql.js';

const DIRECTIONS = {
  DECREASE: 'Lower is better',
  INCREASE: 'Higher is better',
};

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

function amount(value, unit) {
  return `${number.format(value)} ${unit}`;
}

/** How far the latest reading has come, in words. */
export function progressInWords(measure) {
  if (!measure.latest) return 'No readings yet.';
  if (measure.progress >= 1) return 'The target is reached.';
  return `${Math.round(measure.progress * 100)}% of the way to the target.`;
}

function measureFacts(measure) {
  return h(
    'p',
    { class: 'measure-facts' },
    `${DIRECTIONS[measure.direction]}. Baseline ${amount(measure.baseline, measure.unit)} on ${formatDate(measure.baselineOn)}; `,
    `target ${amount(measure.target, measure.unit)} by ${formatDate(measure.targetOn)}.`,
    measure.latest && ` Latest ${amount(measure.latest.value, measure.unit)} on ${formatDate(measure.latest.observedOn)}.`,
  );
}

function readingsTable(measure, captionId) {
  // A column of notes only when some reading has one.
  const noted = measure.readings.some((reading) => reading.note);
  return h(
    'table',
    { class: 'table readings-table', 'aria-labelledby': captionId },
    h('caption', { id: captionId }, `Readings of ${measure.name}`),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, `Value (${measure.unit})`), noted && h('th', { scope: 'col' }, 'Note')),
    ),
    h(
      'tbody',
      {},
      measure.readings.length
        ? measure.readings.map((reading) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, formatDate(reading.observedOn)),
              h('td', {}, number.format(reading.value)),
              noted && h('td', {}, reading.note ?? ''),
            ),
          )
        : h('tr', {}, h('td', { colspan: 2 }, 'No readings yet.')),
    ),
  );
}

function chartKey() {
  const swatch = (name, label) => h('li', {}, h('span', { class: `key-swatch key-${name}`, 'aria-hidden': 'true' }), label);
  return h('ul', { class: 'chart-key', 'aria-hidden': 'true' }, swatch('readings', 'Readings'), swatch('baseline', 'Baseline'), swatch('target', 'Target'));
}

/** The chart with its key; the table is shown beside it until the chart is drawn, then on request. */
function trend(measure) {
  const tableId = `readings-${measure.id}`;
  const table = h('div', { class: 'readings', id: tableId }, readingsTable(measure, `${tableId}-caption`));
  const slot = h('div', { class: 'trend-chart', 'aria-hidden': 'true' });
  const figure = h('div', { class: 'trend', hidden: true }, chartKey(), slot);
  const toggle = h('button', { type: 'button', class: 'button button-small button-secondary', 'aria-expanded': 'false', 'aria-controls': tableId, hidden: true }, 'Show the readings as a table');
  toggle.addEventListener('click', () => {
    const shown = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(shown));
    toggle.textContent = shown ? 'Hide the table' : 'Show the readings as a table';
    table.classList.toggle('visually-hidden', !shown);
  });
  // Drawn once the slot is in the page and has a width.
  requestAnimationFrame(async () => {
    if (!measure.readings.length || !slot.isConnected) return;
    figure.hidden = false;
    if (await drawTrend(slot, measure)) {
      // The table stays for screen readers; the eye has the chart.
      table.classList.add('visually-hidden');
      toggle.hidden = false;
    } else {
      figure.hidden = true;
    }
  });
  return [figure, toggle, table];
}

function measureCard(measure, outcomes, page) {
  const titleId = `measure-${measure.id}-title`;
  return h(
    'article',
    { class: 'measure', 'aria-labelledby': titleId, dataset: { measure: measure.name } },
    h('h3', { id: titleId }, measure.name),
    h('p', { class: 'measure-progress' }, progressInWords(measure)),
    h('progress', { class: 'progress-bar', max: 1, value: measure.progress, 'aria-hidden': 'true' }),
    measureFacts(measure),
    trend(measure),
    outcomes.viewerCanRecordReadings &&
      h('details', { class: 'form-disclosure' }, h('summary', {}, `Record a reading of ${measure.name}`), readingForm(measure, page)),
  );
}

/** A number from a text field; `undefined` when it is not one (the form reports it). */
function decimal(value) {
  const trimmed = value.trim().replace(/,/g, '');
  if (trimmed === '' || !/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function numbersCheck(fields) {
  return (values) =>
    Object.entries(fields)
      .filter(([name]) => decimal(values[name]) === undefined)
      .map(([name, words]) => ({ field: name, message: values[name].trim() ? `${words} must be a number, like 12 or 3.5.` : `Enter ${words.toLowerCase()}.` }));
}

const today = () => new Date().toISOString().slice(0, 10);

function readingForm(measure, { reload }) {
  return createForm({
    label: `Record a reading of ${measure.name}`,
    fields: [
      textField({ name: 'value', label: `Value (${measure.unit})`, inputmode: 'decimal', autocomplete: 'off', class: 'input-short' }),
      textField({ name: 'observedOn', label: 'Date observed', type: 'date', value: today(), max: today(), missing: 'Enter the date the reading was observed.' }),
      textAreaField({ name: 'note', label: 'Note', optional: true, rows: 2, limit: 2000, hint: 'Where the figure comes from, or what may have moved it.' }),
    ],
    check: numbersCheck({ value: 'The value' }),
    submitLabel: 'Record reading',
    busyLabel: 'Recording…',
    onSubmit: (values) =>
      mutate('RecordOutcomeReading', { measureId: measure.id, value: decimal(values.value), observedOn: values.observedOn, note: values.note.trim() || null }),
    onSuccess: () => reload(`The reading of ${measure.name} is recorded. Followers are told.`),
  });
}

function measureForm(outcomes, { reload }) {
  return createForm({
    label: 'Define a measure',
    fields: [
      textField({ name: 'name', label: 'What is measured', limit: 120, hint: 'For example: reports of drug dealing near the park each month.', missing: 'Enter what is measured.', autocomplete: 'off' }),
      textField({ name: 'unit', label: 'Unit', limit: 40, hint: 'For example: reports, incidents, per cent.', missing: 'Enter the unit.', autocomplete: 'off', class: 'input-short' }),
      radioField({ name: 'direction', label: 'Which way is better', options: optionsOf(DIRECTIONS), missing: 'Choose which way is better.' }),
      textField({ name: 'baseline', label: 'Baseline', hint: 'The figure before the work began.', inputmode: 'decimal', autocomplete: 'off', class: 'input-short' }),
      textField({ name: 'baselineOn', label: 'Baseline date', type: 'date', missing: 'Enter the date of the baseline.' }),
      textField({ name: 'target', label: 'Target', inputmode: 'decimal', autocomplete: 'off', class: 'input-short' }),
      textField({ name: 'targetOn', label: 'Target date', type: 'date', missing: 'Enter the date the target should be met by.' }),
    ],
    check: numbersCheck({ baseline: 'The baseline', target: 'The target' }),
    submitLabel: 'Define measure',
    busyLabel: 'Saving…',
    onSubmit: (values) =>
      mutate('DefineOutcomeMeasure', {
        problemId: outcomes.id,
        name: values.name,
        unit: values.unit,
        direction: values.direction,
        baseline: decimal(values.baseline),
        baselineOn: values.baselineOn,
        target: decimal(values.target),
        targetOn: values.targetOn,
      }),
    onSuccess: (payload) => reload(`The measure ${payload.measure.name} is defined.`),
  });
}

/** The measures section, or nothing when there are none and the viewer may not define one. */
export function measuresSection(outcomes, page) {
  if (!outcomes.measures.length && !outcomes.viewerCanDefineMeasures) return null;
  const list = h('div', { class: 'measures' });
  replaceChildren(list, outcomes.measures.length ? outcomes.measures.map((measure) => measureCard(measure, outcomes, page)) : h('p', { class: 'hint' }, 'No measures yet.'));
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'measures-title', id: 'measures' },
    h('h2', { id: 'measures-title' }, 'Is it getting better?'),
    h('p', { class: 'hint' }, 'The measures agreed for this problem, from the baseline toward the target.'),
    list,
    outcomes.viewerCanDefineMeasures &&
      h('details', { class: 'form-disclosure' }, h('summary', {}, 'Define a measure'), measureForm(outcomes, page)),
  );
}
