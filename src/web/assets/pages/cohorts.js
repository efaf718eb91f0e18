import { allPages, api, seg } from '../api.js';
import {
  badge,
  DECISION,
  emptyState,
  facts,
  field,
  fmtDate,
  h,
  link,
  pageHeader,
  plural,
  section,
  table,
} from '../dom.js';
import { localList } from '../lists.js';
import { atRiskSection } from './at-risk.js';
import { cohortTabs } from './cohort-nav.js';
import { examBoardSection } from './exam-board.js';
import { creditsMeter, studentDirectory, studentLink, studentName } from './shared.js';

// Cohorts: the list, and one cohort's page: who is missing what, who is at risk of a statutory
// deadline, and the exam-board view of marks (provisional or ratified) with its CSV export.

export async function cohortsPage({ me }) {
  const { cohorts } = await allPages('/cohorts', {}, ['cohorts']);
  const mine = me.role === 'tutor' || me.role === 'examiner';
  const list = localList({
    caption: (n) => plural(n, 'cohort'),
    columns: [
      { label: 'Cohort', sort: 'id', value: (c) => c.cohortId },
      { label: 'Programme', sort: 'programme', value: (c) => `${c.programmeId} ${c.specVersion}` },
      { label: 'Intake', sort: 'intake', value: (c) => c.intake },
      { label: 'Where' },
      { label: 'Starts', sort: 'starts', value: (c) => c.startsOn },
      { label: 'Students', sort: 'students', value: (c) => c.members },
      { label: 'Exam boards' },
    ],
    items: cohorts,
    sorted: { key: 'starts', order: 'desc' },
    row: (c) => ({
      cells: [
        link(`#/cohorts/${seg(c.cohortId)}`, c.cohortId),
        `${c.programmeId}, version ${c.specVersion}`,
        c.intake,
        `${c.location} (${c.mode})`,
        fmtDate(c.startsOn),
        String(c.members),
        c.examBoards.length
          ? h(
              'ul',
              { class: 'plain-list' },
              c.examBoards.map((b) => h('li', {}, `${b.examBoardId}, ${fmtDate(b.heldOn)}`)),
            )
          : 'none yet',
      ],
    }),
    empty: emptyState(mine ? 'No cohorts are assigned to you yet.' : 'There are no cohorts yet.'),
  });
  return {
    el: h(
      'div',
      {},
      pageHeader('Cohorts', {
        lead: mine
          ? 'The cohorts assigned to you.'
          : 'Every cohort, with its programme specification and exam boards.',
        after: me.may.includes('createCohort')
          ? h('p', {}, link('#/cohorts/new', 'Create a cohort', { class: 'button' }))
          : null,
      }),
      list.el,
    ),
  };
}

const AREAS = {
  status: 'Status',
  entry: 'Entry evidence',
  attendance: 'Attendance',
  visits: 'Partner-school visits',
  marks: 'Marks and credits',
  outcomes: 'Learning outcomes and viva',
  portfolio: 'Portfolio',
  'time-limits': 'Time limits',
};

const EXAM_BOARD_ROLES = new Set(['registry', 'admin', 'examiner']);

export async function cohortPage({ params: [cohortId], me }) {
  const [overview, atRisk, directory] = await Promise.all([
    api(`/cohorts/${seg(cohortId)}`),
    allPages('/deadlines/at-risk', { cohortId }, ['atRisk', 'notStudying']),
    studentDirectory(cohortId),
  ]);
  const c = overview.cohort;
  const header = pageHeader(c.name, {
    crumbs: [['#/cohorts', 'Cohorts']],
    after: facts(
      [
        ['Cohort id', h('code', {}, c.cohortId)],
        ['Programme', `${c.programmeId}, version ${c.specVersion}`],
        ['Intake', `${c.intake}, starting ${fmtDate(c.startsOn)}`],
        ['Where', `${c.location} (${c.mode})`],
        ['Students', String(c.members)],
        ['Tutors', c.tutors.join(', ') || 'none assigned'],
        ['External examiners', c.examiners.join(', ') || 'none assigned'],
        [
          'Exam boards',
          c.examBoards.length
            ? c.examBoards.map((b) => `${b.examBoardId} (${fmtDate(b.heldOn)})`).join('; ')
            : 'none yet',
        ],
      ],
      'facts facts--inline',
    ),
  });
  const counts = h(
    'ul',
    { class: 'inline-list counts', 'aria-label': 'Decisions in this cohort' },
    Object.entries(overview.counts).map(([outcome, n]) => h('li', {}, badge(DECISION, outcome), ` ${n}`)),
  );

  const sections = [
    missingSection(overview.rows, directory),
    atRiskSection(
      atRisk,
      directory,
      'No one in this cohort is at risk of a statutory deadline today.',
      false,
    ),
  ];
  sections.push(
    EXAM_BOARD_ROLES.has(me.role)
      ? await examBoardSection(cohortId, directory)
      : section(
          'Exam board: marks',
          emptyState('The exam-board view and export are for registry staff, admins and external examiners.'),
        ),
  );
  const contents = h(
    'nav',
    { class: 'contents', 'aria-label': 'On this page' },
    h('p', { class: 'small muted' }, 'On this page:'),
    h(
      'ul',
      { class: 'inline-list' },
      sections.map((s) => {
        const heading = s.querySelector('h2');
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'button button--link',
              onclick: () => {
                heading.setAttribute('tabindex', '-1');
                heading.focus();
                heading.scrollIntoView({ block: 'start' });
              },
            },
            heading.textContent,
          ),
        );
      }),
    ),
  );
  return { el: h('div', {}, header, cohortTabs(c.cohortId, '', me), counts, contents, ...sections) };
}

const missingList = (items) =>
  Object.keys(items).length
    ? h(
        'dl',
        { class: 'missing' },
        Object.entries(items).flatMap(([a, list]) => [
          h('dt', {}, AREAS[a] ?? a),
          h(
            'dd',
            {},
            h(
              'ul',
              { class: 'plain-list' },
              list.map((i) => h('li', {}, i)),
            ),
          ),
        ]),
      )
    : h('span', { class: 'muted' }, 'Nothing missing');

function missingSection(rows, directory) {
  const filter = h(
    'select',
    { class: 'input' },
    h('option', { value: '' }, 'Every student'),
    h('option', { value: '*' }, 'Anyone missing something'),
    Object.entries(AREAS).map(([code, text]) =>
      h('option', { value: code }, `Missing: ${text.toLowerCase()}`),
    ),
  );
  // A withdrawn student is missing nothing that can still be done: listed apart, not among the others.
  const current = rows.filter((r) => r.outcome !== 'withdrawn');
  const withdrawn = rows.filter((r) => r.outcome === 'withdrawn');
  const list = localList({
    caption: (n) => `${n} of ${plural(current.length, 'student')}`,
    columns: [
      {
        label: 'Student',
        sort: 'name',
        value: (r) => studentName(directory.get(r.studentId)?.name ?? null, r.studentId),
      },
      { label: 'Decision now', sort: 'decision', value: (r) => DECISION[r.outcome]?.text ?? r.outcome },
      { label: 'Credits', sort: 'credits', value: (r) => r.creditsEarned },
      { label: 'What is missing', sort: 'missing', value: (r) => Object.values(r.missing).flat().length },
    ],
    items: current,
    sorted: { key: 'name', order: 'asc' },
    className: 'table--missing',
    row: (r) => ({
      cells: [
        studentLink(directory, r.studentId),
        badge(DECISION, r.outcome),
        creditsMeter(r.creditsEarned, r.creditsRequired),
        missingList(r.missing),
      ],
    }),
    empty: emptyState(
      current.length
        ? 'No student is missing anything in this area.'
        : 'No students are enrolled on this cohort yet.',
    ),
  });
  filter.addEventListener('input', () => {
    const area = filter.value;
    list.setItems(
      current.filter((r) => {
        const areas = Object.keys(r.missing);
        return !area || (area === '*' ? areas.length > 0 : areas.includes(area));
      }),
    );
  });
  return section(
    'Who is missing what',
    h('div', { class: 'filters' }, field('Show', filter).wrap),
    h('div', { 'aria-live': 'polite' }, list.el),
    withdrawn.length
      ? h(
          'div',
          { class: 'withdrawn', 'data-testid': 'withdrawn' },
          h('h3', {}, `Withdrawn (${withdrawn.length})`),
          table({
            caption: 'Withdrawn students: nothing more can be recorded for them',
            captionHidden: true,
            columns: ['Student', 'Decision'],
            rows: withdrawn.map((r) => [studentLink(directory, r.studentId), badge(DECISION, r.outcome)]),
            className: 'table--withdrawn',
          }),
        )
      : null,
  );
}
