// Proposing a problem: the start of the presumption to respond. The proposal gets an owner
// from the area's routing rules and a date by which it must be answered.

import { flash } from '../banner.js';
import { h, link } from '../dom.js';
import { allAreas, areaOptions } from '../choices.js';
import { PROBLEM_CATEGORIES, optionsOf } from '../format.js';
import { createForm, radioField, selectField, textAreaField, textField } from '../forms.js';
import { mutate } from '../graphql.js';
import { pinMap } from '../map.js';
import { problemPath, proposalSent } from '../problems.js';
import { guidanceNotice, loadSite } from '../site.js';

const VISIBILITIES = [
  {
    value: 'PUBLIC',
    label: 'Public',
    hint: 'Anyone can read it, support it and comment on it. Most proposals are public.',
  },
  {
    value: 'RESTRICTED',
    label: 'Restricted',
    hint:
      'Only you, the organisation that must answer and the area’s coordinators can see it. ' +
      'Choose this when it is about a person, or making it public could put someone at risk.',
  },
];

/** A coordinate typed as text: `null` when left empty, `undefined` when it is not a number. */
function coordinate(value) {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (!/^[-+]?\d{1,3}(\.\d+)?$/.test(trimmed)) return undefined;
  return Number.parseFloat(trimmed);
}

export async function render(view, context) {
  const { query, setTitle, navigate } = context;
  setTitle('Propose a problem');
  const viewer = context.requireViewer();
  if (!viewer) return;
  // Asked at once, beside the areas: the guidance leads the page, the map joins the location.
  const siteLoading = loadSite();
  let site = null;
  const guidance = h('div', { class: 'guidance-slot' });
  const locationHint = h('p', { class: 'hint' }, 'A point near the problem, in decimal degrees. The public see it rounded to about 100 metres.');
  const mapSlot = h('div', {});

  const area = selectField({
    name: 'areaId',
    label: 'Area',
    placeholder: 'Choose an area',
    missing: 'Choose an area',
    value: query.get('area') ?? viewer.homeArea?.id ?? '',
    hint: 'Where the problem is. Choose the smallest area that fits.',
  });
  const latitude = textField({ name: 'latitude', label: 'Latitude', optional: true, inputmode: 'decimal', autocomplete: 'off' });
  const longitude = textField({ name: 'longitude', label: 'Longitude', optional: true, inputmode: 'decimal', autocomplete: 'off' });
  const form = createForm({
    label: 'Propose a problem',
    fields: [
      area,
      textField({
        name: 'title',
        label: 'Title',
        limit: 200,
        autocomplete: 'off',
        missing: 'Enter a title',
        hint: 'A short line that says what the problem is and where.',
      }),
      textAreaField({
        name: 'description',
        label: 'Description',
        rows: 7,
        limit: 10000,
        missing: 'Enter a description',
        hint: 'What happens, when, and who it affects. Leave out names and anything that identifies a person.',
      }),
      selectField({
        name: 'category',
        label: 'Category',
        placeholder: 'Choose a category',
        missing: 'Choose a category',
        options: optionsOf(PROBLEM_CATEGORIES),
      }),
      radioField({ name: 'visibility', label: 'Who can see it', options: VISIBILITIES, value: 'PUBLIC' }),
      h(
        'fieldset',
        { class: 'field-group' },
        h('legend', {}, 'Location ', h('span', { class: 'optional' }, '(optional)')),
        locationHint,
        mapSlot,
        h('div', { class: 'field-row' }, latitude, longitude),
      ),
    ],
    // Not "publish": a restricted proposal is seen only by those who answer it.
    submitLabel: 'Send proposal',
    busyLabel: 'Sending…',
    extraActions: [link('/problems', 'Cancel', { class: 'button button-quiet' })],
    // A coordinate that is not a number cannot travel; the server checks its range.
    check: (values) => [
      coordinate(values.latitude) === undefined && { field: 'latitude', message: 'The latitude must be a number, such as 54.5237' },
      coordinate(values.longitude) === undefined && { field: 'longitude', message: 'The longitude must be a number, such as -1.5591' },
    ].filter(Boolean),
    onSubmit: (values) =>
      mutate('ProposeProblem', {
        areaId: values.areaId,
        title: values.title,
        description: values.description,
        category: values.category,
        visibility: values.visibility || 'PUBLIC',
        latitude: coordinate(values.latitude),
        longitude: coordinate(values.longitude),
      }),
    onSuccess: ({ problem }) => {
      const owner = problem.owner ? problem.owner.name : 'The area’s coordinators';
      flash([
        h('p', {}, `${proposalSent(problem)} ${owner} must answer it; you support and follow it already.`),
        site && guidanceNotice(site),
      ]);
      navigate(problemPath(problem.id));
    },
  });

  view.append(
    h(
      'section',
      { class: 'narrow-wide' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', {}, 'Propose a problem'),
        h(
          'p',
          { class: 'lead' },
          'Tell police and partners about a local problem. The organisation that owns it must give an official answer by the area’s due date, and everyone can see that answer.',
        ),
        h('p', { class: 'hint' }, 'What you send is kept as the ', link('/privacy', 'privacy notice'), ' says: who sees it, for how long, and how to erase it.'),
      ),
      guidance,
      h('div', { class: 'card panel' }, form),
    ),
  );

  const areasLoading = allAreas().then((areas) => area.setOptions(areaOptions(areas)));
  site = await siteLoading;
  guidance.replaceChildren(guidanceNotice(site, { id: 'emergency-guidance' }));
  if (site.map) {
    locationHint.textContent =
      'Tap the map where the problem is, use your location, or type a point in decimal degrees. The public see it rounded to about 100 metres.';
    mapSlot.replaceChildren(pinMap(site.map, { latitude, longitude }));
  }
  await areasLoading;
}
