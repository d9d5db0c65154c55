// Pieces every volunteer-task screen shows the same way: addresses, status markers, the card a
// list shows, and times. Times travel in UTC and are shown, and typed, in the service's time
// zone (where its people live), whatever zone the browser is in, across clock changes.

import { h, link } from './dom.js';
import { plural } from './format.js';
import { request } from './graphql.js';
import { groupPath } from './groups.js';

let serviceZone = null;
let asking = null;

/**
 * Asks the server, once, which zone its times are shown in (its TIME_ZONE setting). Every
 * screen that shows or takes task times waits for it before drawing them.
 */
export function knowTimeZone() {
  asking ??= request('ServiceTimeZone').then(
    (data) => {
      serviceZone = data.timeZone;
    },
    (error) => {
      asking = null;
      throw error;
    },
  );
  return asking;
}

export function serviceTimeZone() {
  return serviceZone;
}

export const TASK_STATUSES = {
  OPEN: 'Places free',
  FULL: 'Full',
  CANCELLED: 'Cancelled',
  FINISHED: 'Finished',
};

export const ASSIGNMENT_STATUSES = {
  CONFIRMED: 'Confirmed',
  WAITLISTED: 'Waiting list',
  WITHDRAWN: 'Withdrawn',
  CHECKED_IN: 'Checked in',
  COMPLETED: 'Completed',
  NO_SHOW: 'Did not come',
};

/** Assignments that hold a place on the task. */
export const HOLDING = ['CONFIRMED', 'CHECKED_IN', 'COMPLETED'];

export function taskPath(id) {
  return `/tasks/${encodeURIComponent(id)}`;
}

export function volunteerPath(areaId) {
  return areaId ? `/volunteer?area=${encodeURIComponent(areaId)}` : '/volunteer';
}

function slug(value) {
  return value.toLowerCase().replaceAll('_', '-');
}

export function taskStatusBadge(status) {
  return h('span', { class: `status-badge task-status-${slug(status)}` }, TASK_STATUSES[status] ?? status);
}

export function assignmentBadge(status) {
  return h('span', { class: `assignment-status assignment-${slug(status)}` }, ASSIGNMENT_STATUSES[status] ?? status);
}

/** The markers a task carries, in the order lists and its page show them. */
export function taskMarkers(task) {
  return [
    taskStatusBadge(task.status),
    task.remote && h('span', { class: 'marker marker-remote' }, 'From home'),
    // A cancelled task holds nobody's place, whatever the place was.
    task.status !== 'CANCELLED' &&
      task.viewerAssignment &&
      task.viewerAssignment.status !== 'WITHDRAWN' &&
      assignmentBadge(task.viewerAssignment.status),
  ];
}

function formatter(options) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: serviceZone, ...options });
}

function sameDay(a, b) {
  const day = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' });
  return day.format(a) === day.format(b);
}

/** "Sat 5 Dec 2026, 10:00 – 13:00 GMT", or both dates when it runs past midnight. */
export function formatTaskTime(startsAt, endsAt) {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const day = formatter({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const time = formatter({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const zoned = formatter({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  if (sameDay(start, end)) return `${day.format(start)}, ${time.format(start)} – ${zoned.format(end)}`;
  return `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${zoned.format(end)}`;
}

/** One moment, such as when someone checked in: "5 Dec, 10:04". */
export function formatTaskMoment(iso) {
  return formatter({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** How long a task lasts, in hours (for the hours a volunteer is credited with). */
export function taskHours(task) {
  return Math.round(((new Date(task.endsAt) - new Date(task.startsAt)) / 3_600_000) * 100) / 100;
}

export function formatHours(hours) {
  const rounded = Math.round(hours * 100) / 100;
  return plural(rounded, 'hour');
}

/** "3 of 5 places taken · 2 waiting". */
export function placesLine(task) {
  const waiting = task.waitlistCount ? ` · ${task.waitlistCount} waiting` : '';
  return `${task.filledSlots} of ${plural(task.slots, 'place')} taken${waiting}`;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - instant;
}

/**
 * The UTC instant (ISO) of a wall-clock time typed in the service's zone ("2026-10-25T10:00");
 * null when nothing was typed, undefined when it is not a time.
 */
export function zonedToUtc(local, zone = serviceZone) {
  if (!local) return null;
  const found = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!found) return undefined;
  const [, year, month, day, hour, minute, second = '0'] = found;
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  if (Number.isNaN(wall)) return undefined;
  // The offset at the first guess can differ from the one at the answer across a clock change.
  const guess = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(guess, zone)).toISOString();
}

/** The wall-clock time of an instant in the service's zone, as a datetime-local input holds it. */
export function utcToZoned(iso, zone = serviceZone) {
  const instant = new Date(iso).getTime();
  return new Date(instant + offsetAt(instant, zone)).toISOString().slice(0, 16);
}

/** The start of a calendar day ("2026-12-05") in the service's zone, as a UTC instant. */
export function dayStart(isoDate) {
  return isoDate ? zonedToUtc(`${isoDate}T00:00`) : null;
}

/** Today's date on the service's clocks ("2026-12-05"). */
export function today() {
  return utcToZoned(new Date().toISOString()).slice(0, 10);
}

/** The day after a calendar day, for "up to and including" that day. */
export function nextDay(isoDate) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** A task in a list (the volunteer page, an area's, a group's), titled at `level`. */
export function taskCard(task, { level = 3, showGroup = true } = {}) {
  return h(
    'li',
    { class: 'card task-card' },
    h('div', { class: 'markers' }, taskMarkers(task)),
    h(`h${level}`, { class: 'card-title' }, link(taskPath(task.id), task.title)),
    h('p', { class: 'task-when' }, formatTaskTime(task.startsAt, task.endsAt)),
    h(
      'p',
      { class: 'card-meta' },
      task.remote ? 'From home' : task.location || 'Place to be confirmed',
      showGroup && task.group && [' · ', link(groupPath(task.group.id), task.group.name)],
    ),
    h('p', { class: 'task-places' }, placesLine(task)),
    task.skills?.length > 0 && h('ul', { class: 'skill-list', 'aria-label': `Skills for “${task.title}”` }, task.skills.map((skill) => h('li', {}, skill))),
  );
}
