import { ApiError } from './api.js';
import { errorPanel, field, h, sentence } from './dom.js';

// Forms that send commands. The API is the judge: a page never decides what is allowed, it shows what
// the ledger answered. A field issue (400) goes beside the field it names; a refusal (422) whose details
// name a field goes beside that field; anything else (a conflict, a refusal of the whole command) above
// the button. A refused command wrote nothing, so the form keeps what was typed.

/** The field an API name points at: `school.name`, `body.school.name`, or its last part. */
function fieldFor(fields, name) {
  const parts = String(name).split('.');
  for (let i = 0; i < parts.length; i++) {
    const key = parts.slice(i).join('.');
    if (fields[key]) return fields[key];
  }
  // an item of a list (`externalExaminers.0`) belongs beside the list's own field
  for (let i = parts.length - 1; i > 0; i--) {
    const key = parts.slice(0, i).join('.');
    if (fields[key]) return fields[key];
  }
  return null;
}

export function clearErrors(fields, problem) {
  for (const f of Object.values(fields)) f.setError(null);
  problem?.replaceChildren();
}

/**
 * Shows an error from the API next to what it concerns, and moves focus there; `withCode` adds the API's
 * stable code beside the reason (the exam board's forms, whose refusals registry staff look up).
 */
export function showApiError(error, fields, problem, { withCode = false } = {}) {
  clearErrors(fields, problem);
  const placed = [];
  if (error instanceof ApiError) {
    const coded = (text) => (withCode && error.code !== 'unknown' ? `${text} (${error.code})` : text);
    for (const issue of error.issues) {
      const f = fieldFor(fields, issue.field);
      if (f) {
        f.setError(coded(issue.reason));
        placed.push(f);
      }
    }
    if (error.issues.length === 0)
      for (const key of Object.keys(error.details)) {
        const f = fieldFor(fields, key);
        if (f) {
          f.setError(coded(sentence(error.message)));
          placed.push(f);
          break;
        }
      }
  }
  const issues = error instanceof ApiError ? error.issues.length : 0;
  if (placed.length === 0 || placed.length < issues) {
    const panel = errorPanel(error);
    panel.setAttribute('tabindex', '-1');
    problem?.replaceChildren(panel);
  }
  const first = placed[0]?.control ?? problem?.firstElementChild;
  first?.focus();
}

// ---- controls ----

export const input = (name, attrs = {}) => h('input', { name, class: 'input', ...attrs });
export const dateInput = (name, value = '', attrs = {}) => input(name, { type: 'date', value, ...attrs });
export const numberInput = (name, attrs = {}) =>
  input(name, { type: 'number', inputmode: 'numeric', step: 1, class: 'input input--short', ...attrs });
export const textArea = (name, attrs = {}) =>
  h('textarea', { name, rows: 3, class: 'input input--wide', ...attrs });

/** A select from [value, text] pairs; `blank` adds a first, empty choice. */
export function select(name, options, { value = '', blank = null, attrs = {} } = {}) {
  const el = h(
    'select',
    { name, class: 'input', ...attrs },
    blank !== null ? h('option', { value: '' }, blank) : null,
    options.map(([v, text]) => h('option', { value: v }, text)),
  );
  // without a blank choice, an empty value would leave nothing selected: keep the first option then
  if (value !== '' || blank !== null) el.value = value;
  return el;
}

/** Labelled fields by API name, from [name, label, control, options] rows. */
export function fieldsOf(rows) {
  return Object.fromEntries(
    rows.map(([name, label, control, options]) => [name, field(label, control, options)]),
  );
}

/** A form with its fields, a place for a problem, and a submit button; `onSubmit` gets the fields. */
export function commandForm({ fields, submitText, onSubmit, testId = null, extra = [], withCode = false }) {
  const problem = h('div', {});
  const submit = h('button', { type: 'submit', class: 'button' }, submitText);
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-testid': testId },
    Object.values(fields).map((f) => f.wrap),
    extra,
    problem,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, problem);
    submit.disabled = true;
    try {
      await onSubmit(fields);
    } catch (error) {
      showApiError(error, fields, problem, { withCode });
    } finally {
      submit.disabled = false;
    }
  });
  return { form, problem, submit };
}

/** A number field's value: a number, or null when empty (the API then names the field). */
export const numberOf = (control) => {
  const raw = control.value.trim();
  return raw === '' ? null : Number(raw);
};

/** Today's date in London, as the API's dates are. */
export const londonToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
