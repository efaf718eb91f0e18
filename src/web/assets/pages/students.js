import { api, seg } from '../api.js';
import { badge, DECISION, emptyState, field, h, link, pageHeader, plural, table } from '../dom.js';
import { creditsMeter, studentName } from './shared.js';

// The students the signed-in user may read, with their decision now; filter by name, id, cohort or
// decision. Examiners see student ids only: they sample work without names.

export async function studentsPage({ me }) {
  const { students } = await api('/students');
  const cohorts = [...new Set(students.map((s) => s.cohortId).filter(Boolean))].sort();

  const search = h('input', { type: 'search', class: 'input', autocomplete: 'off' });
  const cohort = h(
    'select',
    { class: 'input' },
    h('option', { value: '' }, 'All cohorts'),
    cohorts.map((c) => h('option', { value: c }, c)),
  );
  const outcome = h(
    'select',
    { class: 'input' },
    h('option', { value: '' }, 'Any decision'),
    Object.entries(DECISION).map(([code, { text }]) => h('option', { value: code }, text)),
  );
  const results = h('div', { 'aria-live': 'polite' });

  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = students.filter(
      (s) =>
        (!q || s.studentId.includes(q) || (s.name ?? '').toLowerCase().includes(q)) &&
        (!cohort.value || s.cohortId === cohort.value) &&
        (!outcome.value || s.outcome === outcome.value),
    );
    if (students.length === 0) {
      results.replaceChildren(
        emptyState(
          me.role === 'tutor' || me.role === 'examiner'
            ? 'No students are in the cohorts assigned to you.'
            : 'There are no students in the ledger yet.',
        ),
      );
      return;
    }
    if (shown.length === 0) {
      results.replaceChildren(emptyState('No students match these filters.'));
      return;
    }
    results.replaceChildren(
      table({
        caption: `${shown.length} of ${plural(students.length, 'student')}`,
        columns: ['Student', 'Student id', 'Cohort', 'Programme', 'Decision now', 'Credits'],
        rows: shown.map((s) => [
          link(`#/students/${seg(s.studentId)}`, studentName(s.name, s.studentId)),
          h('code', { class: 'small' }, s.studentId),
          s.cohortId ? link(`#/cohorts/${seg(s.cohortId)}`, s.cohortId) : '—',
          s.programme ?? '—',
          s.outcome ? badge(DECISION, s.outcome) : '—',
          creditsMeter(s.creditsEarned, 60),
        ]),
      }),
    );
  };
  for (const control of [search, cohort, outcome]) control.addEventListener('input', draw);
  draw();

  return {
    el: h(
      'div',
      {},
      pageHeader('Students', {
        lead:
          me.role === 'examiner'
            ? 'Students in the cohorts you examine, by student id (names are not shown to examiners).'
            : me.role === 'tutor'
              ? 'Students in the cohorts assigned to you.'
              : 'Every student in the ledger, with the award decision as it stands today.',
      }),
      h(
        'form',
        {
          class: 'filters',
          role: 'search',
          'aria-label': 'Filter students',
          onsubmit: (e) => e.preventDefault(),
        },
        field(me.role === 'examiner' ? 'Student id' : 'Name or student id', search).wrap,
        field('Cohort', cohort).wrap,
        field('Decision', outcome).wrap,
      ),
      results,
    ),
  };
}
