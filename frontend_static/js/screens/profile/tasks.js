// "Your volunteer tasks" on the profile: the hours given so far, the tasks still to come
// (places held and places waited for), and the private calendar address that puts the
// confirmed ones in the viewer's own calendar, with a button that replaces it.

import { showError } from '../../banner.js';
import { copyRow } from '../../copy.js';
import { h, link } from '../../dom.js';
import { mutate, request } from '../../graphql.js';
import { pagedList } from '../../paged-list.js';
import { assignmentBadge, formatHours, formatTaskTime, taskPath } from '../../tasks.js';

const PAGE = 10;

function assignmentItem(assignment) {
  const task = assignment.task;
  return h(
    'li',
    { class: 'my-task' },
    h('p', { class: 'my-task-name' }, link(taskPath(task.id), task.title)),
    h('p', { class: 'my-task-meta' }, formatTaskTime(task.startsAt, task.endsAt)),
    h('p', { class: 'my-task-meta' }, assignmentBadge(assignment.status), ` ${task.remote ? 'From home' : task.location || task.group.name}`),
  );
}

function upcomingList(first) {
  const list = h('ul', { class: 'my-tasks', 'aria-labelledby': 'my-tasks-title' });
  const empty = h('p', { class: 'muted', hidden: true }, 'No tasks coming up. ', link('/volunteer', 'Find a task to volunteer for'), '.');
  const pages = pagedList({
    list,
    item: assignmentItem,
    moreLabel: 'Show more of your tasks',
    focusIn: 'a',
    load: async (after) => (await request('ViewerAssignments', { upcoming: true, first: PAGE, after })).viewer?.assignments ?? null,
    onShow: () => {
      empty.hidden = pages.shown > 0;
      list.hidden = pages.shown === 0;
    },
  });
  pages.show(first);
  return [list, empty, pages.more];
}

function calendarCard(feedUrl) {
  const code = h('code', { class: 'user-id calendar-url', id: 'calendar-feed-url' }, feedUrl);
  const status = h('p', { class: 'form-status', role: 'status' });
  const reset = h('button', { type: 'button', class: 'button button-secondary button-small' }, 'Make a new address');
  reset.addEventListener('click', async () => {
    if (reset.getAttribute('aria-disabled') === 'true') return;
    reset.setAttribute('aria-disabled', 'true');
    try {
      const payload = await mutate('ResetCalendarFeed');
      if (payload.errors.length) {
        status.textContent = payload.errors.map((error) => error.message).join(' ');
        return;
      }
      code.textContent = payload.viewer.calendarFeedUrl;
      status.textContent = 'Your calendar has a new address. The old one no longer works: give your calendar the new one.';
    } catch (error) {
      showError(error);
    } finally {
      reset.removeAttribute('aria-disabled');
    }
  });
  return h(
    'section',
    { class: 'card panel', 'aria-labelledby': 'calendar-title' },
    h('h2', { id: 'calendar-title' }, 'Your tasks in your calendar'),
    h('p', { class: 'hint' }, 'Subscribe to this address in your calendar app to see the tasks you are signed up for. Keep it to yourself: anyone who has it can read them.'),
    copyRow(code, 'Copy address'),
    h('p', { class: 'hint' }, 'Shared it by mistake? Make a new address, and the old one stops working.'),
    h('div', { class: 'button-row' }, reset),
    status,
  );
}

/** The cards, from the viewer's ViewerAssignments answer. */
export function tasksCards(viewer) {
  return [
    h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'my-tasks-title' },
      h('h2', { id: 'my-tasks-title' }, 'Your volunteer tasks'),
      h(
        'p',
        { class: 'hours-given', id: 'hours-given' },
        viewer.volunteerHours > 0 ? [h('strong', {}, formatHours(viewer.volunteerHours)), ' given so far. Thank you.'] : 'No hours recorded yet.',
      ),
      h('h3', {}, 'Coming up'),
      upcomingList(viewer.assignments),
    ),
    calendarCard(viewer.calendarFeedUrl),
  ];
}
