import { ApiError, api, seg } from '../api.js';
import { announce, field, fill, h, plural, section, table } from '../dom.js';
import { commandForm, select } from '../forms.js';
import { cohortHeader } from './cohort-nav.js';

// A cohort's administration, for registry staff: its tutors and external examiners (only people who can
// sign in, that is who have a token, may be assigned: the API refuses anyone else), and the applicants'
// CSV: every bad row is listed at once (row, column, reason) and nothing is imported until the file is
// right; an applicant already in the cohort is not added again, so a file may be uploaded twice.

const COLUMNS =
  'full_name, email, date_of_birth, teacher_reference_number, qts_status (QTS, QTLS or none), appointed_senco_on, prior_senco_months, school_name, school_type';

export async function cohortAdminPage({ params: [cohortId], query, me }) {
  const el = h('div', {});
  const draw = async (notice = null) => {
    const [{ cohort }, { staff }] = await Promise.all([api(`/cohorts/${seg(cohortId)}`), api('/staff')]);
    fill(
      el,
      ...cohortHeader(cohort, `Administration: ${cohort.name}`, '/admin', me),
      notice,
      staffSection(cohort, staff, draw),
      applicantsSection(cohort),
    );
  };
  await draw(
    query.get('created')
      ? h(
          'div',
          { class: 'message message--success', role: 'status' },
          h('p', {}, 'The cohort is created. Assign its tutors and examiners, then upload its applicants.'),
        )
      : null,
  );
  return { el };
}

function staffSection(cohort, staff, redraw) {
  const assigned = { tutor: new Set(cohort.tutors), examiner: new Set(cohort.examiners) };
  const role = field(
    'Role',
    select('role', [
      ['tutor', 'Tutor (assessor)'],
      ['examiner', 'External examiner'],
    ]),
  );
  const who = field('Person', select('staffId', []), {
    hint: h(
      'span',
      {},
      'Only people with a token of that role are listed; create one with ',
      h('code', {}, 'npm run ledger -- token create --role tutor --id <id>'),
      '.',
    ),
  });
  const fillChoices = () => {
    const choices = staff.filter((s) => s.role === role.control.value && !assigned[s.role].has(s.id));
    who.control.replaceChildren(
      ...(choices.length
        ? choices.map((s) => h('option', { value: s.id }, `${s.id} (${s.label})`))
        : [h('option', { value: '' }, 'Everyone with a token is assigned already')]),
    );
    submit.disabled = choices.length === 0;
  };
  const fields = { role, staffId: who };
  const { form, submit } = commandForm({
    fields,
    submitText: 'Assign to the cohort',
    testId: 'staff-form',
    onSubmit: async (f) => {
      const body = { staffId: f.staffId.control.value, role: f.role.control.value };
      await api(`/cohorts/${seg(cohort.cohortId)}/staff`, { method: 'POST', body });
      announce(`${body.staffId} assigned.`);
      await redraw(
        h(
          'div',
          {
            class: 'message message--success',
            role: 'status',
            tabindex: '-1',
            'data-testid': 'staff-assigned',
          },
          h(
            'p',
            {},
            `${body.staffId} is assigned to ${cohort.cohortId} as ${body.role === 'tutor' ? 'a tutor' : 'an external examiner'}.`,
          ),
        ),
      );
      document.querySelector('[data-testid="staff-assigned"]')?.focus();
    },
  });
  role.control.addEventListener('change', fillChoices);
  fillChoices();
  return section(
    'Tutors and external examiners',
    table({
      caption: 'Assigned now',
      columns: ['Role', 'Assigned'],
      rows: [
        ['Tutors', cohort.tutors.join(', ') || 'none yet'],
        ['External examiners', cohort.examiners.join(', ') || 'none yet'],
      ],
    }),
    form,
  );
}

function applicantsSection(cohort) {
  const file = h('input', {
    type: 'file',
    name: 'file',
    accept: '.csv,text/csv',
    class: 'input input--wide',
  });
  const upload = field("Applicants' CSV file", file, {
    hint: `One row per applicant, with a header row: ${COLUMNS}.`,
  });
  const result = h('div', { 'aria-live': 'polite' });
  const problem = h('div', {});
  const { form } = commandForm({
    fields: { file: upload },
    submitText: 'Upload and enrol',
    testId: 'applicants-form',
    onSubmit: async () => {
      result.replaceChildren();
      const chosen = file.files?.[0];
      if (!chosen) {
        upload.setError('choose the CSV file to upload');
        file.focus();
        return;
      }
      try {
        const outcome = await api(`/cohorts/${seg(cohort.cohortId)}/applicants`, {
          method: 'POST',
          body: await chosen.text(),
          contentType: 'text/csv',
        });
        result.replaceChildren(uploaded(outcome));
        announce(`${plural(outcome.added.length, 'applicant')} enrolled.`);
        result.firstElementChild?.focus();
      } catch (error) {
        if (!(error instanceof ApiError) || !['invalid_csv', 'invalid_csv_row'].includes(error.code))
          throw error;
        const rows = new Set(error.issues.map((i) => i.row));
        upload.setError(
          `${plural(rows.size, 'row')} of the file need correcting; nothing was imported. Every problem is listed below.`,
        );
        result.replaceChildren(badRows(error.issues));
        file.focus();
      }
    },
  });
  form.append(problem);
  return section("Upload the applicants' CSV", form, result);
}

function uploaded(outcome) {
  return h(
    'div',
    { class: 'message message--success', role: 'status', tabindex: '-1', 'data-testid': 'upload-result' },
    h(
      'h3',
      { class: 'message__title' },
      `${plural(outcome.added.length, 'applicant')} registered and enrolled`,
    ),
    outcome.added.length
      ? h(
          'ul',
          {},
          outcome.added.map((a) => h('li', {}, `Row ${a.row}: ${a.fullName}`)),
        )
      : null,
    outcome.alreadyInCohort.length
      ? h(
          'div',
          {},
          h(
            'p',
            {},
            `${plural(outcome.alreadyInCohort.length, 'applicant')} already in the cohort, not added again:`,
          ),
          h(
            'ul',
            {},
            outcome.alreadyInCohort.map((a) =>
              h('li', {}, `Row ${a.row}: ${a.fullName} (the same ${a.matchedBy})`),
            ),
          ),
        )
      : null,
  );
}

function badRows(issues) {
  return h(
    'div',
    { 'data-testid': 'upload-problems' },
    table({
      caption: `${plural(issues.length, 'problem')} in the file`,
      columns: ['Row', 'Column', 'What is wrong'],
      rows: issues.map((i) => [`Row ${i.row}`, i.column ?? '(the whole row)', i.reason]),
      className: 'table--problems',
    }),
  );
}
