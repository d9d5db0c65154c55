// Trend charts, drawn by uPlot (installed from the npm registry by `make install` and served
// by the app from /vendor/uplot/). Every chart comes with a table of its numbers, so when the
// library cannot load the page still says everything; the chart only adds the picture.

const LIBRARY = '/vendor/uplot/uPlot.esm.js';
const STYLES = '/vendor/uplot/uPlot.min.css';

const COLOURS = { readings: '#1b4f96', baseline: '#5b6576', target: '#067647' };

let library = null;

/** uPlot, loaded once; rejects when it is not installed or not reachable. */
function loadLibrary() {
  if (!library) {
    if (!document.querySelector(`link[href="${STYLES}"]`)) {
      document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: STYLES }));
    }
    library = import(LIBRARY)
      .then((module) => module.default)
      .catch((error) => {
        library = null;
        throw error;
      });
  }
  return library;
}

const DAY = 86400;

/** Seconds since the epoch at midnight UTC of an ISO date ("2026-03-01"), as uPlot counts time. */
export function seconds(isoDate) {
  return Date.parse(`${isoDate}T00:00:00Z`) / 1000;
}

/**
 * The x values (the baseline date, each reading's date, the target date, in order) and the
 * three series over them: readings where there is one, the baseline and target across all.
 */
function seriesOf(measure) {
  const byDay = new Map(measure.readings.map((reading) => [seconds(reading.observedOn), reading.value]));
  const xs = [...new Set([seconds(measure.baselineOn), ...byDay.keys(), seconds(measure.targetOn)])].sort((a, b) => a - b);
  return [xs, xs.map((x) => byDay.get(x) ?? null), xs.map(() => measure.baseline), xs.map(() => measure.target)];
}

const dateLabel = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

function options(uPlot, measure, width) {
  return {
    width,
    height: Math.max(200, Math.min(260, Math.round(width * 0.5))),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: (u, min, max) => [min - 10 * DAY, max + 10 * DAY] } },
    axes: [
      { values: (u, ticks) => ticks.map((tick) => dateLabel.format(new Date(tick * 1000))), space: 70 },
      { label: measure.unit, size: 56 },
    ],
    series: [
      {},
      { label: 'Readings', stroke: COLOURS.readings, width: 2, spanGaps: true, points: { show: true, size: 7, fill: COLOURS.readings } },
      { label: 'Baseline', stroke: COLOURS.baseline, width: 1.5, dash: [6, 4], points: { show: false } },
      { label: 'Target', stroke: COLOURS.target, width: 1.5, dash: [2, 4], points: { show: false } },
    ],
  };
}

/**
 * Draws a chart into `slot` once the library is loaded, and redraws it to the slot's width:
 * `optionsFor(uPlot, width)` gives uPlot's options for a width. Resolves true when drawn,
 * false when the library could not be loaded.
 */
export async function drawChart(slot, optionsFor, data) {
  let uPlot;
  try {
    uPlot = await loadLibrary();
  } catch {
    return false;
  }
  const width = () => Math.max(200, slot.clientWidth || 600);
  const plot = new uPlot(optionsFor(uPlot, width()), data, slot);
  const resized = new ResizeObserver(() => {
    if (!slot.isConnected) {
      resized.disconnect();
      plot.destroy();
      return;
    }
    const next = width();
    if (next !== plot.width) plot.setSize({ width: next, height: optionsFor(uPlot, next).height });
  });
  resized.observe(slot);
  return true;
}

/** Draws the measure's trend into `slot` (see `drawChart`). */
export function drawTrend(slot, measure) {
  return drawChart(slot, (uPlot, width) => options(uPlot, measure, width), seriesOf(measure));
}
