import { api, qs, seg } from '../api.js';
import { h, link, uid } from '../dom.js';
import { commandForm, dateInput, fieldsOf, input, londonToday } from '../forms.js';

// Recording that a board met for the cohort: its id, the day it was held and the external examiners
// present, chosen from those assigned to the cohort (the API refuses anyone else, and a board with none).
// The ledger writes a signed checkpoint of the log as the board is recorded: the minutes print it.

/** A group of checkboxes with one legend, errors shown beside it as a field's are. */
export function checkboxGroup(legend, name, options, { hint = null } = {}) {
  const id = uid('group');
  const boxes = options.map(([value, text]) => {
    const box = h('input', { type: 'checkbox', name, value, id: uid('check') });
    return { box, row: h('div', { class: 'check' }, box, h('label', { for: box.id }, text)) };
  });
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  const wrap = h(
    'fieldset',
    { class: 'field fieldset', id, 'aria-describedby': hintEl ? hintEl.id : null },
    h('legend', {}, legend),
    hintEl,
    errorEl,
    boxes.map((b) => b.row),
  );
  return {
    wrap,
    control: boxes[0]?.box ?? wrap,
    values: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value),
    setError(message) {
      errorEl.textContent = message ? `Error: ${message}` : '';
      errorEl.hidden = !message;
      wrap.classList.toggle('field--error', !!message);
      wrap.setAttribute(
        'aria-describedby',
        [hintEl?.id, message ? errorEl.id : null].filter(Boolean).join(' ') || '',
      );
    },
  };
}

export function newBoardForm(cohort, navigate) {
  const examiners = checkboxGroup(
    'External examiners present',
    'externalExaminers',
    cohort.examiners.map((id) => [id, id]),
    { hint: 'At least one; only the external examiners assigned to this cohort can sit on its board.' },
  );
  const fields = fieldsOf([
    [
      'examBoardId',
      'Board id',
      input('examBoardId', { autocomplete: 'off', spellcheck: 'false' }),
      { hint: 'A short code the minutes use, e.g. board-2026-12.' },
    ],
    ['heldOn', 'Held on', dateInput('heldOn', londonToday())],
  ]);
  fields.externalExaminers = examiners;
  const { form } = commandForm({
    fields,
    withCode: true,
    submitText: 'Record the board',
    testId: 'new-board-form',
    onSubmit: async (f) => {
      const examBoardId = f.examBoardId.control.value.trim();
      await api(`/cohorts/${seg(cohort.cohortId)}/exam-boards`, {
        method: 'POST',
        body: {
          examBoardId,
          heldOn: f.heldOn.control.value,
          externalExaminers: examiners.values(),
        },
      });
      navigate(`/cohorts/${seg(cohort.cohortId)}/exam-board${qs({ board: examBoardId, recorded: 1 })}`);
    },
  });
  return h(
    'div',
    { class: 'board-new' },
    cohort.examiners.length
      ? null
      : h(
          'p',
          { class: 'message message--warning' },
          'No external examiner is assigned to this cohort, and a board needs one. ',
          link(`#/cohorts/${seg(cohort.cohortId)}/admin`, 'Assign one in Administration'),
          '.',
        ),
    form,
  );
}
