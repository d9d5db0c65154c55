// One problem: what was proposed, the official answers and updates, and the conversation.
// Those who answer for it (members of the owning organisation, coordinators of its area or
// of an area above) also get the forms to respond, post updates and move it through the
// SARA stages. The server checks every right again; its refusals show in the form.

import { showError } from '../banner.js';
import { append, emptyState, h, link, loading, replaceChildren, uniqueId } from '../dom.js';
import { allAreas, allOrganisations, organisationOptions } from '../choices.js';
import {
  DECLINE_REASONS,
  PROBLEM_CATEGORIES,
  PROBLEM_STATUSES,
  SARA_STAGES,
  formatDate,
  formatDateTime,
  optionsOf,
  plural,
} from '../format.js';
import { createForm, radioField, selectField, textAreaField, textField } from '../forms.js';
import { mutate, request } from '../graphql.js';
import { AWAITING_RESPONSE, boardPath, markers, ownerName, problemPath } from '../problems.js';

const BEING_WORKED_ON = ['ACCEPTED', 'IN_PROGRESS'];
const STAGES_AFTER_ACCEPTANCE = ['ANALYSIS', 'RESPONSE', 'ASSESSMENT'];

const DECISIONS = [
  { value: 'ACCEPT', label: 'Accept', hint: 'You take the problem on: it moves to analysis.' },
  { value: 'DECLINE', label: 'Decline', hint: 'Give the reason, and say why in your response.' },
  { value: 'REFER', label: 'Refer to another organisation', hint: 'It becomes theirs to answer, with a new due date.' },
  { value: 'DUPLICATE', label: 'Mark as a duplicate', hint: 'Another problem covers it; supporters and followers carry over.' },
];

/** The area and the areas above it, nearest first, from the list of every area. */
function lineageOf(areaId, areas) {
  const parents = new Map((areas ?? []).map((area) => [area.id, area.parent?.id ?? null]));
  const lineage = [];
  for (let at = areaId; at && !lineage.includes(at); at = parents.get(at) ?? null) lineage.push(at);
  return lineage;
}

/** What the interface offers the viewer; the server has the last word on each. */
function rightsOf(viewer, problem, areas) {
  if (!viewer) return { answers: false, moderates: false, speaksFor: null };
  const lineage = lineageOf(problem.area.id, areas);
  const rolesHere = viewer.areaRoles.filter((role) => lineage.includes(role.area.id));
  const member = viewer.organisations.find((membership) => membership.organisation.id === problem.owner?.id);
  const coordinates = rolesHere.some((role) => role.role === 'COORDINATOR');
  return {
    answers: Boolean(member) || coordinates,
    moderates: viewer.isAdmin || rolesHere.length > 0,
    speaksFor: member ? member.organisation.name : null,
  };
}

function fact(term, ...details) {
  return h('div', { class: 'fact-row' }, h('dt', {}, term), h('dd', {}, details));
}

function stages(current) {
  return h(
    'ol',
    { class: 'stages', 'aria-label': 'SARA stages' },
    Object.entries(SARA_STAGES).map(([stage, label]) =>
      h('li', { class: stage === current ? 'stage is-current' : 'stage', 'aria-current': stage === current ? 'step' : null }, label),
    ),
  );
}

function byline(author, organisation, at, { asCoordinator = false } = {}) {
  let speaking = '';
  if (organisation) speaking = ` for ${organisation.name}`;
  else if (asCoordinator) speaking = ' as a coordinator of the area';
  return h('p', { class: 'history-meta' }, `${author.displayName}${speaking} · `, h('time', { datetime: at }, formatDateTime(at)));
}

function responseTitle(response) {
  switch (response.decision) {
    case 'ACCEPT':
      return 'Accepted';
    case 'DECLINE':
      return `Declined: ${DECLINE_REASONS[response.reasonCode] ?? 'no reason given'}`;
    case 'REFER':
      return `Referred to ${response.referredTo?.name ?? 'another organisation'}`;
    default:
      return response.duplicateOf
        ? ['Marked as a duplicate of ', link(problemPath(response.duplicateOf.id), response.duplicateOf.title)]
        : 'Marked as a duplicate';
  }
}

/** The proposal, then every official response and update, oldest first. */
function history(problem) {
  const entries = [
    ...problem.responses.map((response) => ({
      at: response.createdAt,
      node: h(
        'li',
        { class: `history-item history-${response.decision.toLowerCase()}` },
        h('p', { class: 'history-kind' }, 'Official response'),
        h('h3', { class: 'history-title' }, responseTitle(response)),
        byline(response.author, response.organisation, response.createdAt, { asCoordinator: true }),
        response.body && h('p', { class: 'history-body' }, response.body),
      ),
    })),
    ...problem.updates.map((update) => ({
      at: update.createdAt,
      node: h(
        'li',
        { class: 'history-item history-update' },
        h('h3', { class: 'history-kind' }, 'Update'),
        byline(update.author, update.organisation, update.createdAt),
        h('p', { class: 'history-body' }, update.body),
      ),
    })),
  ].sort((a, b) => new Date(a.at) - new Date(b.at));
  const proposed = h(
    'li',
    { class: 'history-item history-proposed' },
    h('p', { class: 'history-kind' }, 'Proposal'),
    h('h3', { class: 'history-title' }, 'Proposed'),
    byline(problem.proposer, null, problem.createdAt),
  );
  const awaiting =
    AWAITING_RESPONSE.includes(problem.status) &&
    h(
      'li',
      { class: `history-item history-pending${problem.isResponseOverdue ? ' is-overdue' : ''}` },
      h('h3', { class: 'history-title' }, problem.isResponseOverdue ? 'Official response overdue' : 'Awaiting an official response'),
      h(
        'p',
        { class: 'history-meta' },
        `${ownerName(problem)} ${problem.isResponseOverdue ? 'had to' : 'must'} answer by ${formatDate(problem.responseDueAt)}.`,
      ),
    );
  return h('ol', { class: 'history', id: 'problem-history' }, proposed, entries.map((entry) => entry.node), awaiting);
}

export async function render(view, context) {
  const { params, session, setTitle } = context;
  setTitle('Problem');
  const viewer = session.viewer;
  const heading = h('h1', {}, 'Problem');
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' });
  const badges = h('div', { class: 'markers' });
  const lead = h('p', { class: 'lead' });
  const notice = h('div', { class: 'page-notice', role: 'status', tabindex: '-1' });
  const body = h('div', { 'aria-busy': 'true' }, loading('Loading the problem…'));
  view.append(crumbs, h('div', { class: 'page-head' }, badges, heading, lead), notice, body);

  // Coordinators answer for the areas below theirs too: that needs the whole tree.
  const areasLoading = viewer?.areaRoles.length ? allAreas() : Promise.resolve([]);
  const [data, areas] = await Promise.all([request('Problem', { id: params.id }), areasLoading]);
  body.removeAttribute('aria-busy');
  let problem = data.problem;
  if (!problem) {
    heading.textContent = 'Problem not found';
    setTitle('Problem not found');
    replaceChildren(
      body,
      emptyState(
        'There is no problem at this address.',
        viewer ? 'It may have been removed, or the link may be incomplete.' : 'If someone shared it with you, it may need you to sign in.',
        link('/problems', 'See all problems', { class: 'button button-primary' }),
      ),
    );
    return;
  }

  function announce(message) {
    replaceChildren(notice, h('p', {}, message));
    notice.focus();
  }

  /** Fetches the problem again and draws it afresh, after an answer that changes its history. */
  async function reload(message) {
    const fresh = await request('Problem', { id: problem.id });
    if (!fresh.problem) {
      replaceChildren(body, emptyState('This problem is no longer there.', null, link('/problems', 'See all problems', { class: 'button button-primary' })));
      return;
    }
    problem = fresh.problem;
    draw();
    announce(message);
  }

  function draw() {
    const rights = rightsOf(viewer, problem, areas);
    setTitle(problem.title);
    heading.textContent = problem.title;
    replaceChildren(badges, markers(problem));
    replaceChildren(
      lead,
      `${PROBLEM_CATEGORIES[problem.category] ?? problem.category} in `,
      link(`/areas/${encodeURIComponent(problem.area.id)}`, problem.area.name),
      `, proposed by ${problem.proposer.displayName} on ${formatDate(problem.createdAt)}.`,
    );
    replaceChildren(
      crumbs,
      h(
        'ol',
        {},
        h('li', {}, link('/problems', 'Problems')),
        h('li', {}, link(boardPath(problem.area.id), problem.area.name)),
        h('li', {}, h('span', { 'aria-current': 'page' }, problem.title)),
      ),
    );
    replaceChildren(
      body,
      h(
        'div',
        { class: 'problem-layout' },
        // Where it stands comes first: on a narrow screen it is what shows under the title.
        h('div', { class: 'problem-side' }, factsCard(), takePartCard()),
        h(
          'div',
          { class: 'problem-main' },
          descriptionCard(),
          rights.answers && answerPanel(rights),
          historySection(),
          commentsSection(rights),
        ),
      ),
    );
  }

  function descriptionCard() {
    return h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'description-title' },
      h('h2', { id: 'description-title' }, 'The problem'),
      problem.visibility === 'RESTRICTED' &&
        h(
          'p',
          { class: 'notice restricted-notice' },
          h('strong', {}, 'Restricted. '),
          'Only the person who proposed it, the organisation that must answer, the area’s coordinators and administrators can see this problem.',
        ),
      h('p', { class: 'problem-description' }, problem.description),
    );
  }

  function factsCard() {
    const coordinators = problem.area.coordinators.map((person) => person.displayName).join(', ');
    const duplicateOf = problem.responses.findLast((response) => response.decision === 'DUPLICATE')?.duplicateOf;
    let status = PROBLEM_STATUSES[problem.status] ?? problem.status;
    if (problem.status === 'REFERRED') status += ': waiting for the new owner’s answer';
    return h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'facts-title' },
      h('h2', { id: 'facts-title' }, 'Where it stands'),
      h(
        'dl',
        { class: 'fact-list', id: 'problem-facts' },
        fact('Status', status, duplicateOf && [' of ', link(problemPath(duplicateOf.id), duplicateOf.title)]),
        stageFact(),
        fact('Area', link(`/areas/${encodeURIComponent(problem.area.id)}`, problem.area.name)),
        fact('Owner', ownerName(problem), !problem.owner && coordinators && ` (${coordinators})`),
        fact('Proposed by', problem.proposer.displayName, ' on ', formatDate(problem.createdAt)),
        fact(
          'Response due',
          formatDate(problem.responseDueAt),
          problem.isResponseOverdue && [' ', h('span', { class: 'marker marker-overdue' }, 'Overdue')],
        ),
        fact('First response', problem.firstRespondedAt ? formatDate(problem.firstRespondedAt) : 'Not yet'),
        problem.location &&
          fact('Location', `${Number(problem.location.latitude.toFixed(5))}, ${Number(problem.location.longitude.toFixed(5))}`),
      ),
    );
  }

  /** The SARA stages mean something once a proposal is accepted, and not after a refusal. */
  function stageFact() {
    if (AWAITING_RESPONSE.includes(problem.status)) return fact('Stage', 'Work starts once it is accepted');
    if (problem.status === 'DECLINED' || problem.status === 'DUPLICATE') return null;
    return fact('Stage', stages(problem.stage));
  }

  function takePartCard() {
    const counts = h('p', { class: 'take-part-counts' });
    const said = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    const refused = h('p', { class: 'take-part-error', role: 'alert', hidden: true });
    const support = h('button', { type: 'button', class: 'button' });
    const follow = h('button', { type: 'button', class: 'button button-secondary' });
    const duplicateOf = problem.responses.findLast((response) => response.decision === 'DUPLICATE')?.duplicateOf;

    function paint() {
      replaceChildren(
        counts,
        h('span', { id: 'supporter-count' }, plural(problem.supportCount, 'supporter')),
        h('span', { id: 'follower-count' }, plural(problem.followerCount, 'follower')),
      );
      support.textContent = problem.viewerSupports ? 'Withdraw support' : 'Support this problem';
      support.className = problem.viewerSupports ? 'button button-secondary' : 'button button-primary';
      follow.textContent = problem.viewerFollows ? 'Unfollow' : 'Follow';
    }

    // aria-disabled rather than disabled while busy: a disabled button would drop the focus.
    async function act(button, operation, done) {
      if (button.getAttribute('aria-disabled') === 'true') return;
      button.setAttribute('aria-disabled', 'true');
      refused.hidden = true;
      try {
        const data = await request(operation, { problemId: problem.id });
        const [payload] = Object.values(data);
        if (payload.errors.length) {
          refused.textContent = payload.errors.map((error) => error.message).join(' ');
          refused.hidden = false;
          return;
        }
        Object.assign(problem, payload.problem);
        paint();
        said.textContent = done();
      } catch (error) {
        showError(error);
      } finally {
        button.removeAttribute('aria-disabled');
      }
    }

    support.addEventListener('click', () =>
      problem.viewerSupports
        ? act(support, 'WithdrawSupport', () => `You no longer support this problem. ${plural(problem.supportCount, 'supporter')}.`)
        : act(support, 'SupportProblem', () => `You support this problem. ${plural(problem.supportCount, 'supporter')}.`),
    );
    follow.addEventListener('click', () =>
      problem.viewerFollows
        ? act(follow, 'UnfollowProblem', () => 'You no longer follow this problem.')
        : act(follow, 'FollowProblem', () => 'You follow this problem: its updates come to your notifications.'),
    );
    paint();

    let actions;
    if (!viewer) {
      actions = h(
        'p',
        {},
        link(`/sign-in?next=${encodeURIComponent(problemPath(problem.id))}`, 'Sign in to support or follow this problem', {
          class: 'button button-primary',
        }),
      );
    } else {
      // A duplicate gathers no support of its own: it counts towards the original.
      const supportable = problem.status !== 'DUPLICATE' || problem.viewerSupports;
      actions = [
        h('div', { class: 'take-part-actions' }, supportable && support, follow),
        !supportable &&
          h(
            'p',
            { class: 'hint' },
            'This problem is a duplicate. ',
            duplicateOf ? ['Support ', link(problemPath(duplicateOf.id), duplicateOf.title), ' instead.'] : 'Support the original instead.',
          ),
      ];
    }
    return h(
      'section',
      { class: 'card panel take-part', 'aria-labelledby': 'take-part-title' },
      h('h2', { id: 'take-part-title' }, 'Take part'),
      h('p', { class: 'hint' }, 'Supporting shows it matters to you. Following brings its updates to your notifications.'),
      counts,
      actions,
      refused,
      said,
    );
  }

  function historySection() {
    return h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'History'),
      h('p', { class: 'hint' }, 'The official responses and updates, oldest first.'),
      history(problem),
    );
  }

  function answerPanel(rights) {
    const parts = [];
    if (AWAITING_RESPONSE.includes(problem.status)) {
      parts.push(h('h3', { id: 'respond-title' }, 'Respond to this proposal'), respondForm());
    }
    if (BEING_WORKED_ON.includes(problem.status)) {
      parts.push(h('h3', { id: 'stage-title' }, 'Move it through the stages'), stageForm());
    }
    parts.push(h('h3', { id: 'update-title' }, 'Post an update'), updateForm());
    return h(
      'section',
      { class: 'card panel answer-panel', 'aria-labelledby': 'answer-title' },
      h('h2', { id: 'answer-title' }, 'Answer for this problem'),
      h(
        'p',
        { class: 'hint' },
        rights.speaksFor
          ? `You answer for ${rights.speaksFor}, which owns this problem.`
          : 'You answer as a coordinator of this area.',
      ),
      parts,
    );
  }

  function respondForm() {
    const decision = radioField({ name: 'decision', label: 'Your decision', options: DECISIONS });
    const reason = selectField({
      name: 'reasonCode',
      label: 'Reason',
      placeholder: 'Choose a reason',
      options: optionsOf(DECLINE_REASONS),
      hint: 'Published with your response, and counted in the area’s figures.',
    });
    const referTo = selectField({ name: 'referToOrganisationId', label: 'Refer it to', placeholder: 'Choose an organisation' });
    const picker = duplicatePicker();
    const showFor = () => {
      const chosen = decision.read();
      reason.hidden = chosen !== 'DECLINE';
      referTo.hidden = chosen !== 'REFER';
      picker.hidden = chosen !== 'DUPLICATE';
    };
    decision.addEventListener('change', showFor);
    showFor();
    allOrganisations()
      .then((organisations) =>
        referTo.setOptions(organisationOptions(organisations.filter((organisation) => organisation.id !== problem.owner?.id))),
      )
      .catch(showError);

    return createForm({
      label: 'Respond to this proposal',
      fields: [
        decision,
        reason,
        referTo,
        picker,
        textAreaField({
          name: 'body',
          label: 'Your response',
          rows: 5,
          hint: 'Published on this page, and sent to the proposer, supporters and followers. When declining, say why.',
        }),
      ],
      submitLabel: 'Publish response',
      busyLabel: 'Publishing…',
      onSubmit: (values) => {
        // The decision cannot travel empty; the server checks the rest, naming the field.
        if (!values.decision) return { errors: [{ field: 'decision', message: 'Choose your decision.' }] };
        if (values.decision === 'DUPLICATE' && !values.duplicateOfId) {
          return { errors: [{ field: 'duplicateOfId', message: 'Find and choose the problem this one duplicates.' }] };
        }
        return mutate('RespondToProblem', {
          problemId: problem.id,
          decision: values.decision,
          body: values.body,
          reasonCode: values.decision === 'DECLINE' ? values.reasonCode || null : null,
          referToOrganisationId: values.decision === 'REFER' ? values.referToOrganisationId || null : null,
          duplicateOfId: values.decision === 'DUPLICATE' ? values.duplicateOfId : null,
        });
      },
      onSuccess: () => reload('Your response is published. The proposer, supporters and followers are told.'),
    });
  }

  /** Finds the original of a duplicate by words from its title, or by its ID. */
  function duplicatePicker() {
    const choice = selectField({
      name: 'duplicateOfId',
      label: 'The problem it duplicates',
      placeholder: 'Find it first',
    });
    const id = uniqueId('find-original');
    const finder = h('input', { type: 'search', id, class: 'input', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
    const found = h('p', { class: 'lookup', role: 'status' });
    const find = async () => {
      const text = finder.value.trim();
      if (!text) return;
      found.textContent = 'Searching…';
      found.className = 'lookup';
      try {
        const [matches, byId] = await Promise.all([
          text.split(/\s+/).length <= 8 ? request('Problems', { filter: { search: text }, first: 20 }) : null,
          /^[A-Za-z0-9_-]{4,}$/.test(text) ? request('Problem', { id: text }) : null,
        ]);
        const candidates = [byId?.problem, ...(matches?.problems.edges.map((edge) => edge.node) ?? [])].filter(
          (candidate, index, all) =>
            candidate &&
            candidate.id !== problem.id &&
            candidate.status !== 'DUPLICATE' &&
            all.findIndex((other) => other?.id === candidate.id) === index,
        );
        choice.setOptions(
          candidates.map((candidate) => ({
            value: candidate.id,
            label: `${candidate.title} (${candidate.area.name}, ${PROBLEM_STATUSES[candidate.status]})`,
          })),
          candidates[0]?.id ?? '',
        );
        found.textContent = candidates.length ? `${plural(candidates.length, 'problem')} found: choose one below.` : 'No other problem matches.';
        found.className = candidates.length ? 'lookup lookup-found' : 'lookup lookup-missing';
      } catch (error) {
        found.textContent = '';
        showError(error);
      }
    };
    finder.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        find();
      }
    });
    return h(
      'div',
      { class: 'duplicate-picker' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: id }, 'Find the original problem'),
        h('p', { class: 'hint', id: `${id}-hint` }, 'Words from its title, or its ID from the end of its address.'),
        h('div', { class: 'tag-entry' }, finder, h('button', { type: 'button', class: 'button button-secondary', onclick: find }, 'Find')),
        found,
      ),
      choice,
    );
  }

  function stageForm() {
    const at = STAGES_AFTER_ACCEPTANCE.indexOf(problem.stage);
    const next = STAGES_AFTER_ACCEPTANCE[at + 1];
    const options = [
      next && { value: next, label: `Forward to ${SARA_STAGES[next]}` },
      ...STAGES_AFTER_ACCEPTANCE.slice(0, Math.max(at, 0))
        .reverse()
        .map((stage) => ({ value: stage, label: `Back to ${SARA_STAGES[stage]}` })),
    ].filter(Boolean);
    return createForm({
      label: 'Set the stage',
      fields: [
        h('p', { class: 'hint' }, `It is at the ${SARA_STAGES[problem.stage]} stage. It moves forward one stage at a time, or back when an assessment shows the response did not work.`),
        selectField({ name: 'stage', label: 'Move it to', options, value: options[0]?.value }),
      ],
      submitLabel: 'Set stage',
      busyLabel: 'Saving…',
      onSubmit: (values) => mutate('SetProblemStage', { problemId: problem.id, stage: values.stage }),
      onSuccess: ({ problem: moved }) => reload(`The problem is now at the ${SARA_STAGES[moved.stage]} stage.`),
    });
  }

  function updateForm() {
    return createForm({
      label: 'Post an update',
      fields: [
        textAreaField({
          name: 'body',
          label: 'Update',
          rows: 4,
          hint: 'What has been done and what happens next. Followers are told.',
        }),
      ],
      submitLabel: 'Post update',
      busyLabel: 'Posting…',
      onSubmit: (values) => mutate('PostProblemUpdate', { problemId: problem.id, body: values.body }),
      onSuccess: () => reload('Your update is posted. Followers are told.'),
    });
  }

  function commentsSection(rights) {
    const count = h('span', { class: 'count-note' });
    const title = h('h2', { id: 'comments-title', tabindex: '-1' }, 'Comments ', count);
    const list = h('ol', { class: 'comment-list', 'aria-labelledby': 'comments-title' });
    const more = h('button', { type: 'button', class: 'button button-secondary' }, 'Show more comments');
    const moreRow = h('div', { class: 'more-row' }, more);
    const empty = h('p', { class: 'muted' }, 'No comments yet.');
    let after = problem.comments.pageInfo.endCursor;

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
      if (rights.moderates) item.append(hideControl(node, item));
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

    append(
      list,
      problem.comments.edges.map((edge) => comment(edge.node)),
    );
    moreRow.hidden = !problem.comments.pageInfo.hasNextPage;
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const data = await request('Problem', { id: problem.id, commentsAfter: after });
        const page = data.problem?.comments;
        if (!page) return;
        const firstNew = list.children.length;
        append(
          list,
          page.edges.map((edge) => comment(edge.node)),
        );
        after = page.pageInfo.endCursor;
        moreRow.hidden = !page.pageInfo.hasNextPage;
        const next = list.children[firstNew]?.querySelector('.comment-meta');
        next?.setAttribute('tabindex', '-1');
        next?.focus();
      } catch (error) {
        showError(error);
      } finally {
        more.disabled = false;
      }
    });

    const write = viewer
      ? createForm({
          label: 'Add a comment',
          fields: [
            textAreaField({
              name: 'body',
              label: 'Your comment',
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
            form.succeed('Your comment is posted.');
          },
        })
      : h('p', {}, link(`/sign-in?next=${encodeURIComponent(problemPath(problem.id))}`, 'Sign in to comment'));

    paintCount();
    return h(
      'section',
      { class: 'card panel', 'aria-labelledby': 'comments-title' },
      title,
      list,
      empty,
      moreRow,
      write,
    );
  }

  draw();
}
