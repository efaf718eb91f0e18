import { command } from '../api.js';
import { field, h, section, uid } from '../dom.js';
import {
  clearErrors,
  commandForm,
  dateInput,
  fieldsOf,
  input,
  select,
  showApiError,
  textArea,
} from '../forms.js';

// The forms of the sign-off workbook (outcomes.js): signing an outcome off from the evidence submitted
// towards it, and adding evidence. Each is the student command of that name; `reload(code, text)`
// redraws the workbook and announces what was done.

const KINDS = ['document', 'observation', 'reflection', 'testimony', 'presentation', 'other'];

/** Signing an outcome off by ticking the evidence it rests on (never by typing an event id). */
export function signOffForm(studentId, o, reload) {
  const boxes = o.evidence.map((e) => {
    const id = uid('evidence');
    const box = h('input', { type: 'checkbox', id, value: e.eventId, checked: o.evidence.length === 1 });
    return h('span', { class: 'choice' }, box, h('label', { for: id }, `${e.kind}: ${e.reference}`));
  });
  const error = h('p', { class: 'field__error', hidden: true, id: uid('evidence-error') });
  const group = h(
    'fieldset',
    { class: 'choices choices--stack' },
    h('legend', { class: 'small' }, `Evidence for ${o.code}`),
    boxes,
    error,
  );
  const evidenceField = {
    control: boxes[0].querySelector('input'),
    setError(message) {
      error.textContent = message ? `Error: ${message}` : '';
      error.hidden = !message;
    },
  };
  const on = field(`Signed off on (${o.code})`, dateInput('signedOffOn'));
  const problem = h('div', {});
  const button = h('button', { type: 'submit', class: 'button button--small' }, `Sign off ${o.code}`);
  const form = h(
    'form',
    { class: 'sign-off', novalidate: true, 'data-testid': `sign-off-${o.code}` },
    group,
    on.wrap,
    problem,
    button,
  );
  const fields = { evidenceEventIds: evidenceField, signedOffOn: on, eventId: evidenceField };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, problem);
    button.disabled = true;
    try {
      await command(studentId, 'signOffOutcome', {
        outcomeCode: o.code,
        evidenceEventIds: [...group.querySelectorAll('input:checked')].map((b) => b.value),
        signedOffOn: on.control.value,
      });
      await reload(o.code, `${o.code} signed off.`);
    } catch (err) {
      showApiError(err, fields, problem);
      button.disabled = false;
    }
  });
  return form;
}

/** Adding evidence towards an outcome, before an assessor signs it off. */
export function evidenceSection(studentId, data, reload) {
  const codes = data.parts.flatMap((p) =>
    p.areas.flatMap((a) => a.outcomes.map((o) => [o.code, `${o.code}: ${o.title}`])),
  );
  const fields = fieldsOf([
    ['outcomeCode', 'Outcome', select('outcomeCode', codes, { blank: 'Choose the outcome' })],
    [
      'evidence.kind',
      'Kind of evidence',
      select(
        'kind',
        KINDS.map((k) => [k, k[0].toUpperCase() + k.slice(1)]),
      ),
    ],
    [
      'evidence.reference',
      'Reference',
      input('reference', { class: 'input input--wide' }),
      { hint: 'Where it is, e.g. "portfolio/A1.1-policy-review.pdf".' },
    ],
    ['evidence.summary', 'Summary (optional)', textArea('summary')],
    ['submittedOn', 'Submitted on', dateInput('submittedOn')],
  ]);
  const { form } = commandForm({
    fields,
    submitText: 'Add the evidence',
    testId: 'evidence-form',
    onSubmit: async (f) => {
      const summaryText = f['evidence.summary'].control.value.trim();
      const code = f.outcomeCode.control.value;
      await command(studentId, 'submitOutcomeEvidence', {
        outcomeCode: code || null,
        evidence: {
          kind: f['evidence.kind'].control.value,
          reference: f['evidence.reference'].control.value.trim(),
          ...(summaryText ? { summary: summaryText } : {}),
        },
        submittedOn: f.submittedOn.control.value,
      });
      f['evidence.reference'].control.value = '';
      f['evidence.summary'].control.value = '';
      await reload(code, `Evidence added to ${code}.`);
    },
  });
  return section(
    'Add evidence',
    h('p', {}, 'Evidence is added to the portfolio first; an assessor then signs the outcome off on it.'),
    form,
  );
}
