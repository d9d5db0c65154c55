// An organisation's common answers: its members start a response from one (the problem
// page's answer form offers them); its admins write, change and remove them here.

import { h, replaceChildren } from '../../dom.js';
import { createForm, textAreaField, textField } from '../../forms.js';
import { mutate, request } from '../../graphql.js';

function templateFields(template = { title: '', body: '' }) {
  return [
    textField({ name: 'title', label: 'Title', value: template.title, maxlength: 120, hint: 'How members find it in the answer form.' }),
    textAreaField({ name: 'body', label: 'Text', value: template.body, rows: 5, hint: 'Members edit it to fit each proposal before publishing.' }),
  ];
}

function templateItem(organisation, template, refresh) {
  const parts = [h('h3', { class: 'template-title' }, template.title), h('p', { class: 'template-body' }, template.body)];
  if (organisation.viewerCanManageAnswerTemplates) {
    const edit = createForm({
      label: `Change ${template.title}`,
      fields: templateFields(template),
      submitLabel: 'Save changes',
      busyLabel: 'Saving…',
      onSubmit: (values) => mutate('UpdateAnswerTemplate', { answerTemplateId: template.id, ...values }),
      onSuccess: () => refresh(`“${template.title}” is saved.`),
    });
    const remove = createForm({
      label: `Remove ${template.title}`,
      fields: [],
      submitLabel: `Remove “${template.title}”`,
      busyLabel: 'Removing…',
      onSubmit: () => mutate('RemoveAnswerTemplate', { answerTemplateId: template.id }),
      onSuccess: () => refresh(`“${template.title}” is removed. Responses that used it keep their words.`),
    });
    remove.querySelector('button[type=submit]').className = 'button button-secondary';
    parts.push(h('details', { class: 'template-edit' }, h('summary', {}, `Change or remove “${template.title}”`), edit, remove));
  }
  return h('li', { class: 'template' }, parts);
}

/** The section, filled once the templates arrive; nothing for those who may not read them. */
export function templatesSection(organisationId) {
  const section = h('section', { class: 'card panel', 'aria-labelledby': 'templates-title', hidden: true });
  const notice = h('p', { class: 'form-status form-status-success', role: 'status' });

  async function refresh(message = '') {
    const { node: organisation } = await request('OrganisationAnswerTemplates', { id: organisationId });
    const templates = organisation?.answerTemplates ?? [];
    if (!organisation || (!templates.length && !organisation.viewerCanManageAnswerTemplates)) {
      section.hidden = true;
      return;
    }
    notice.textContent = message;
    const add =
      organisation.viewerCanManageAnswerTemplates &&
      h(
        'div',
        { class: 'template-add' },
        h('h3', {}, 'Add a common answer'),
        createForm({
          label: 'Add a common answer',
          fields: templateFields(),
          submitLabel: 'Add answer',
          busyLabel: 'Adding…',
          onSubmit: (values) => mutate('CreateAnswerTemplate', { organisationId, ...values }),
          onSuccess: (payload) => refresh(`“${payload.answerTemplate.title}” is added.`),
        }),
      );
    replaceChildren(
      section,
      h('h2', { id: 'templates-title' }, 'Common answers'),
      h(
        'p',
        { class: 'hint' },
        `Members of ${organisation.name} start a response from one of these, then make it fit the proposal. Only members see them.`,
      ),
      notice,
      templates.length
        ? h('ul', { class: 'templates' }, templates.map((template) => templateItem(organisation, template, refresh)))
        : h('p', {}, 'No common answers yet.'),
      add,
    );
    section.hidden = false;
  }

  return { section, refresh };
}
