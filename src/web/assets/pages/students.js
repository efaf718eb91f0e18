import { allPages, api, qs, seg } from '../api.js';
import { badge, DECISION, emptyState, field, h, link, pageHeader, plural, STATUS } from '../dom.js';
import { localList, pager, sortableTable } from '../lists.js';
import { creditsMeter, studentName } from './shared.js';

// The students the signed-in user may read. Registry staff and admins search the whole ledger on the
// server, by name, email, teacher reference number or student number, sorted and paged there (a national
// ledger's list never comes whole). Tutors and examiners filter their own cohorts' students here, by
// name or id, cohort and decision; examiners see student ids only: they sample work without names.
// The URL keeps the search (?q=...&sort=name&order=asc&page=2), so it can be bookmarked.

export async function studentsPage({ me, query }) {
  const search = me.may.includes('searchStudents');
  return search ? registrySearch(query) : cohortStudents(me);
}

async function registrySearch(query) {
  const state = {
    q: query.get('q') ?? '',
    sort: query.get('sort') ?? 'name',
    order: query.get('order') ?? 'asc',
    page: Number(query.get('page') ?? 1) || 1,
  };
  const input = h('input', {
    type: 'search',
    name: 'q',
    class: 'input input--wide',
    autocomplete: 'off',
    value: state.q,
  });
  const results = h('div', { 'aria-live': 'polite', 'data-testid': 'search-results' });
  let asked = 0;
  const run = async (focus = null) => {
    const n = ++asked;
    history.replaceState(
      null,
      '',
      `#/students${qs({ q: state.q, sort: state.sort === 'name' ? null : state.sort, order: state.order === 'asc' ? null : state.order, page: state.page > 1 ? state.page : null })}`,
    );
    const found = await api(`/students/search${qs({ ...state, pageSize: 25 })}`);
    if (n !== asked) return;
    state.page = found.page;
    if (found.total === 0) {
      results.replaceChildren(
        emptyState(state.q ? `No student matches "${state.q}".` : 'There are no students in the ledger yet.'),
      );
      return;
    }
    results.replaceChildren(
      sortableTable({
        caption: `${plural(found.total, 'student')}${state.q ? ` matching "${state.q}"` : ''}, by ${{ name: 'name', cohort: 'cohort', status: 'status', studentId: 'student number' }[found.sort]}`,
        columns: [
          { label: 'Student', sort: 'name' },
          { label: 'Student number', sort: 'studentId' },
          { label: 'Cohort', sort: 'cohort' },
          { label: 'Record', sort: 'status' },
          { label: 'Decision now' },
          { label: 'Credits' },
          ...(state.q ? [{ label: 'Matched by' }] : []),
        ],
        sorted: { key: found.sort, order: found.order },
        onSort: (next) => {
          state.sort = next.key;
          state.order = next.order;
          state.page = 1;
          run(`[data-sort="${next.key}"]`);
        },
        rows: found.students.map((s) => ({
          cells: [
            h(
              'span',
              {},
              link(
                `#/students/${seg(s.studentId)}`,
                s.erased
                  ? `Student ${s.studentId.slice(-8)} (personal data erased)`
                  : studentName(s.name, s.studentId),
              ),
              s.email ? h('div', { class: 'small muted' }, s.email) : null,
            ),
            h(
              'span',
              {},
              h('code', { class: 'small' }, s.studentId.slice(-8)),
              h('span', { class: 'visually-hidden' }, ` (${s.studentId})`),
            ),
            s.cohortId ? link(`#/cohorts/${seg(s.cohortId)}`, s.cohortId) : '—',
            badge(STATUS, s.status),
            s.outcome ? badge(DECISION, s.outcome) : '—',
            creditsMeter(s.creditsEarned, s.creditsRequired ?? 60),
            ...(state.q ? [s.matchedBy.join(', ')] : []),
          ],
        })),
      }),
      pager({
        ...found,
        onPage: (page) => {
          state.page = page;
          run('.pager__status');
        },
      }) ?? '',
    );
    if (focus) results.querySelector(focus)?.focus();
  };
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = input.value.trim();
      state.page = 1;
      run();
    }, 250);
  });
  await run();
  return {
    el: h(
      'div',
      {},
      pageHeader('Students', {
        lead: 'Every student in the ledger. Search by name, email, teacher reference number or student number (the id, or its last eight characters).',
      }),
      h(
        'form',
        {
          class: 'filters',
          role: 'search',
          'aria-label': 'Search students',
          onsubmit: (e) => {
            e.preventDefault();
            clearTimeout(timer);
            state.q = input.value.trim();
            state.page = 1;
            run();
          },
        },
        field('Name, email, teacher reference number or student number', input).wrap,
        h('div', { class: 'filters__action' }, h('button', { type: 'submit', class: 'button' }, 'Search')),
      ),
      results,
    ),
  };
}

async function cohortStudents(me) {
  // Tutors, examiners and students: their cohorts' students (tens), every page of them, sorted here.
  const { students } = await allPages('/students', {}, ['students']);
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
  const list = localList({
    caption: (n) => `${n} of ${plural(students.length, 'student')}`,
    columns: [
      { label: 'Student', sort: 'name', value: (s) => studentName(s.name, s.studentId) },
      { label: 'Student id', sort: 'id', value: (s) => s.studentId },
      { label: 'Cohort', sort: 'cohort', value: (s) => s.cohortId ?? '' },
      { label: 'Programme' },
      { label: 'Decision now', sort: 'decision', value: (s) => DECISION[s.outcome]?.text ?? '' },
      { label: 'Credits', sort: 'credits', value: (s) => s.creditsEarned },
    ],
    items: students,
    sorted: { key: 'name', order: 'asc' },
    row: (s) => ({
      cells: [
        link(`#/students/${seg(s.studentId)}`, studentName(s.name, s.studentId)),
        h('code', { class: 'small' }, s.studentId),
        s.cohortId ? link(`#/cohorts/${seg(s.cohortId)}`, s.cohortId) : '—',
        s.programme ?? '—',
        s.outcome ? badge(DECISION, s.outcome) : '—',
        creditsMeter(s.creditsEarned, 60),
      ],
    }),
    empty: emptyState(
      students.length
        ? 'No students match these filters.'
        : me.role === 'student'
          ? 'There is no record to show.'
          : 'No students are in the cohorts assigned to you.',
    ),
  });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    list.setItems(
      students.filter(
        (s) =>
          (!q || s.studentId.includes(q) || (s.name ?? '').toLowerCase().includes(q)) &&
          (!cohort.value || s.cohortId === cohort.value) &&
          (!outcome.value || s.outcome === outcome.value),
      ),
    );
  };
  for (const control of [search, cohort, outcome]) control.addEventListener('input', draw);
  return {
    el: h(
      'div',
      {},
      pageHeader('Students', {
        lead:
          me.role === 'examiner'
            ? 'Students in the cohorts you examine, by student id (names are not shown to examiners).'
            : 'Students in the cohorts assigned to you.',
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
      h('div', { 'aria-live': 'polite' }, list.el),
    ),
  };
}
