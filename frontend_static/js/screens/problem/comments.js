// The conversation: comments a page at a time, hiding them for those who moderate, and
// writing one for those signed in.

import { h, link, replaceChildren } from '../../dom.js';
import { formatDateTime } from '../../format.js';
import { createForm, textAreaField, textField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';
import { pagedList } from '../../paged-list.js';
import { problemPath } from '../../problems.js';

export function commentsSection(problem, { viewer, notice }) {
  const count = h('span', { class: 'count-note' });
  const title = h('h2', { id: 'comments-title', tabindex: '-1' }, 'Comments ', count);
  const list = h('ol', { class: 'comment-list', 'aria-labelledby': 'comments-title' });
  const empty = h('p', { class: 'muted' }, 'No comments yet.');

  const paintCount = () => {
    count.textContent = `(${problem.commentCount})`;
    empty.hidden = list.children.length > 0;
  };

  function comment(node) {
    const item = h(
      'li',
      { class: 'comment' },
      h(
        'p',
        { class: 'comment-meta' },
        h('strong', {}, node.author.displayName),
        ' · ',
        h('time', { datetime: node.createdAt }, formatDateTime(node.createdAt)),
      ),
      h('p', { class: 'comment-body' }, node.body),
    );
    if (problem.viewerCanModerate) item.append(hideControl(node, item));
    return item;
  }

  function hideControl(node, item) {
    const open = h(
      'button',
      { type: 'button', class: 'button button-quiet button-small', 'aria-label': `Hide the comment by ${node.author.displayName}` },
      'Hide',
    );
    const slot = h('div', { class: 'hide-slot' }, open);
    open.addEventListener('click', () => {
      const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
      const form = createForm({
        label: `Hide the comment by ${node.author.displayName}`,
        fields: [
          textField({
            name: 'reason',
            label: 'Reason for hiding it',
            limit: 500,
            autocomplete: 'off',
            hint: 'Kept for the record; the public no longer see the comment.',
          }),
        ],
        submitLabel: 'Hide comment',
        busyLabel: 'Hiding…',
        extraActions: [cancel],
        onSubmit: (values) => mutate('HideComment', { commentId: node.id, reason: values.reason }),
        onSuccess: ({ problem: changed }) => {
          item.remove();
          problem.commentCount = changed.commentCount;
          paintCount();
          title.focus();
          replaceChildren(notice, h('p', {}, `The comment by ${node.author.displayName} is hidden.`));
        },
      });
      cancel.addEventListener('click', () => {
        replaceChildren(slot, open);
        open.focus();
      });
      replaceChildren(slot, form);
      form.querySelector('input').focus();
    });
    return slot;
  }

  const pages = pagedList({
    list,
    item: comment,
    moreLabel: 'Show more comments',
    focusIn: '.comment-meta',
    load: async (after) => (await request('Problem', { id: problem.id, commentsAfter: after })).problem?.comments,
  });
  pages.show(problem.comments);

  const write = viewer
    ? createForm({
        label: 'Add a comment',
        fields: [
          textAreaField({
            name: 'body',
            label: 'Your comment',
            limit: 2000,
            rows: 3,
            hint: 'Keep to the problem and be kind. Moderators hide comments that are not.',
          }),
        ],
        submitLabel: 'Post comment',
        busyLabel: 'Posting…',
        onSubmit: (values) => mutate('CommentOnProblem', { problemId: problem.id, body: values.body }),
        onSuccess: ({ comment: posted }, form) => {
          list.append(comment(posted));
          problem.commentCount += 1;
          paintCount();
          form.field('body').control.value = '';
          form.field('body').recount();
          form.succeed('Your comment is posted.');
        },
      })
    : h('p', {}, link(`/sign-in?next=${encodeURIComponent(problemPath(problem.id))}`, 'Sign in to comment'));

  paintCount();
  return h('section', { class: 'card panel', 'aria-labelledby': 'comments-title' }, title, list, empty, pages.more, write);
}
