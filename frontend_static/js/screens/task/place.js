// The viewer's place on the task: its places and waiting list, signing up (a place while one
// is free, else the waiting list), withdrawing, and the task as a calendar file. The server
// decides each act again; what it refuses is shown beside the buttons.

import { h, link } from '../../dom.js';
import { mutationButton, refusalSlot } from '../../groups.js';
import { formatHours, placesLine, taskPath } from '../../tasks.js';

const OVER = { CANCELLED: 'This task is cancelled.', FINISHED: 'This task is over.' };

function places(task) {
  const percent = task.slots ? Math.round((task.filledSlots / task.slots) * 100) : 0;
  return h(
    'div',
    { class: 'task-places-meter' },
    h('progress', { max: 100, value: percent, 'aria-label': 'Places taken' }, `${percent}%`),
    h('p', { class: 'task-places' }, placesLine(task)),
  );
}

function act({ label, className = 'button button-primary', operation, task, message, refused, reload }) {
  return mutationButton({
    label,
    className,
    operation,
    input: () => ({ taskId: task.id }),
    done: (payload) => reload(message(payload.assignment)),
    refused,
  });
}

function signedUp(assignment) {
  return assignment.status === 'CONFIRMED'
    ? 'You are signed up. A reminder comes the day before and two hours before the start.'
    : 'Every place is taken: you are on the waiting list, and are told if a place comes free.';
}

function waitingLine(task) {
  const behind = task.waitlistCount - task.viewerWaitlistPosition;
  return `You are number ${task.viewerWaitlistPosition} on the waiting list${behind > 0 ? `, with ${behind} behind you` : ''}.`;
}

/** What the viewer may do now, given where they stand. */
function standing(task, { reload }) {
  const assignment = task.viewerAssignment;
  const refused = refusalSlot();
  const withdraw = (label, message) =>
    act({ label, className: 'button button-secondary', operation: 'WithdrawFromTask', task, message: () => message, refused, reload });
  const open = task.status === 'OPEN' || task.status === 'FULL';
  switch (open ? assignment?.status : null) {
    case 'CONFIRMED':
      return [
        h('p', { class: 'place-status' }, 'You are signed up for this task.'),
        h('div', { class: 'button-row' }, withdraw('Withdraw', 'You have withdrawn, and your place is free for someone else.')),
        refused,
      ];
    case 'WAITLISTED':
      return [
        h('p', { class: 'place-status' }, waitingLine(task)),
        h('div', { class: 'button-row' }, withdraw('Leave the waiting list', 'You have left the waiting list.')),
        refused,
      ];
    case 'CHECKED_IN':
      return h('p', { class: 'place-status' }, 'You are checked in. Thank you for coming.');
    case 'COMPLETED':
      return h('p', { class: 'place-status' }, `Thank you: ${formatHours(assignment.hours)} are counted.`);
    case 'NO_SHOW':
      return h('p', { class: 'place-status' }, 'You were marked as not having come.');
    default:
      if (!open) return [h('p', { class: 'place-status' }, OVER[task.status], pastLine(assignment)), task.cancelReason && h('p', { class: 'cancel-reason' }, task.cancelReason)];
      return [
        h('p', { class: 'place-status' }, task.status === 'FULL' ? 'Every place is taken: you may join the waiting list.' : 'There is a place for you.'),
        h(
          'div',
          { class: 'button-row' },
          act({ label: task.status === 'FULL' ? 'Join the waiting list' : 'Sign up', operation: 'SignUpForTask', task, message: signedUp, refused, reload }),
        ),
        refused,
      ];
  }
}

/** After the task: what the viewer's part in it was. */
function pastLine(assignment) {
  if (assignment?.status === 'COMPLETED') return ` Thank you: ${formatHours(assignment.hours)} are counted.`;
  if (assignment?.status === 'NO_SHOW') return ' You were marked as not having come.';
  return null;
}

export function placeCard(task, page) {
  return h(
    'section',
    { class: 'card panel place-card', 'aria-labelledby': 'place-title' },
    h('h2', { id: 'place-title' }, 'Take part'),
    places(task),
    page.viewer
      ? standing(task, page)
      : h('p', {}, link(`/sign-in?next=${encodeURIComponent(taskPath(task.id))}`, 'Sign in to sign up', { class: 'button button-primary' })),
    h(
      'p',
      { class: 'task-calendar' },
      h('a', { href: task.calendarUrl, download: '', class: 'button button-quiet button-small' }, 'Add to your calendar (.ics)'),
    ),
  );
}
