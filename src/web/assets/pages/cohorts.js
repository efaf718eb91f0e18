import { ApiError, api, qs, seg } from '../api.js';
import {
  announce,
  badge,
  DECISION,
  emptyState,
  errorPanel,
  facts,
  field,
  fmtDate,
  h,
  link,
  MODULE_STATUS,
  pageHeader,
  plural,
  section,
  table,
} from '../dom.js';
import { atRiskTable } from './at-risk.js';
import { creditsMeter, studentDirectory, studentLink } from './shared.js';

// Cohorts: the list, and one cohort's page: who is missing what, who is at risk of a statutory
// deadline, and the exam-board view of marks (provisional or ratified) with its CSV export.

export async function cohortsPage({ me }) {
  const { cohorts } = await api('/cohorts');
  return {
    el: h(
      'div',
      {},
      pageHeader('Cohorts', {
        lead:
          me.role === 'tutor' || me.role === 'examiner'
            ? 'The cohorts assigned to you.'
            : 'Every cohort, with its programme specification and exam boards.',
      }),
      cohorts.length
        ? table({
            caption: plural(cohorts.length, 'cohort'),
            columns: ['Cohort', 'Programme', 'Intake', 'Where', 'Starts', 'Students', 'Exam boards'],
            rows: cohorts.map((c) => [
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
            ]),
          })
        : emptyState(
            me.role === 'tutor' || me.role === 'examiner'
              ? 'No cohorts are assigned to you yet.'
              : 'There are no cohorts yet.',
          ),
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
    api(`/deadlines/at-risk${qs({ cohortId })}`),
    studentDirectory(),
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
    section(
      'At risk of a statutory deadline',
      atRisk.atRisk.length
        ? atRiskTable(atRisk.atRisk, directory, {
            showCohort: false,
            caption: `${plural(atRisk.atRisk.length, 'student')} at risk, nearest deadline first`,
          })
        : emptyState('No one in this cohort is at risk of a statutory deadline today.'),
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
  return { el: h('div', {}, header, counts, contents, ...sections) };
}

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
  const result = h('div', { 'aria-live': 'polite' });
  const draw = () => {
    const area = filter.value;
    const shown = rows.filter((r) => {
      const areas = Object.keys(r.missing);
      return !area || (area === '*' ? areas.length > 0 : areas.includes(area));
    });
    if (rows.length === 0) {
      result.replaceChildren(emptyState('No students are enrolled on this cohort yet.'));
      return;
    }
    if (shown.length === 0) {
      result.replaceChildren(emptyState('No student is missing anything in this area.'));
      return;
    }
    result.replaceChildren(
      table({
        caption: `${shown.length} of ${plural(rows.length, 'student')}`,
        columns: ['Student', 'Decision now', 'Credits', 'What is missing'],
        className: 'table--missing',
        rows: shown.map((r) => [
          studentLink(directory, r.studentId),
          badge(DECISION, r.outcome),
          creditsMeter(r.creditsEarned, r.creditsRequired),
          Object.keys(r.missing).length
            ? h(
                'dl',
                { class: 'missing' },
                Object.entries(r.missing).flatMap(([a, items]) => [
                  h('dt', {}, AREAS[a] ?? a),
                  h(
                    'dd',
                    {},
                    h(
                      'ul',
                      { class: 'plain-list' },
                      items.map((i) => h('li', {}, i)),
                    ),
                  ),
                ]),
              )
            : h('span', { class: 'muted' }, 'Nothing missing'),
        ]),
      }),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  return section('Who is missing what', h('div', { class: 'filters' }, field('Show', filter).wrap), result);
}

/** The export parsed back: quoted cells may hold commas, quotes and newlines. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [head = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((k, i) => [k, r[i] ?? ''])));
}

async function examBoardSection(cohortId, directory) {
  const url = `/cohorts/${seg(cohortId)}/exam-board.csv`;
  let csv;
  try {
    csv = await api(url, { as: 'text' });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return section('Exam board: marks', errorPanel(error));
  }
  const rows = parseCsv(csv);
  const marked = rows.filter((r) => r.mark !== '');
  const provisional = marked.filter((r) => r.ratified === 'provisional').length;
  const show = h(
    'select',
    { class: 'input' },
    h('option', { value: '' }, 'Every module'),
    h('option', { value: 'provisional' }, 'Provisional marks only'),
    h('option', { value: 'ratified' }, 'Ratified marks only'),
  );
  const download = h('button', { type: 'button', class: 'button button--secondary' }, 'Download the CSV');
  download.addEventListener('click', () => {
    // the export needs the bearer token, so it is fetched here and saved from memory
    const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
    const a = h('a', {
      href: URL.createObjectURL(blob),
      download: `exam-board-${cohortId}.csv`,
      hidden: true,
    });
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
    announce(`Downloading exam-board-${cohortId}.csv`);
  });
  const result = h('div', { 'aria-live': 'polite' });
  const draw = () => {
    const shown = rows.filter((r) => !show.value || r.ratified === show.value);
    result.replaceChildren(
      shown.length === 0
        ? emptyState(rows.length ? 'No marks match.' : 'No students are enrolled on this cohort yet.')
        : table({
            caption: `${shown.length} of ${rows.length} module rows`,
            columns: [
              'Student',
              'Module',
              'Credits',
              'Attempt',
              'Mark',
              'Pass mark',
              'Exam board',
              'Module status',
              'Decision now',
            ],
            className: 'table--exam-board',
            rows: shown.map((r) => ({
              attrs: { 'data-standing': r.ratified || 'none' },
              cells: [
                studentLink(directory, r.student_id),
                r.module,
                r.credits,
                r.attempt || '—',
                r.mark === ''
                  ? h(
                      'span',
                      { class: 'muted' },
                      r.submitted_on ? `handed in ${fmtDate(r.submitted_on)}, not marked` : 'not marked',
                      r.due_by ? ` (due by ${fmtDate(r.due_by)})` : '',
                    )
                  : r.capped_at
                    ? `${r.effective_mark} (${r.mark} capped at ${r.capped_at})`
                    : r.effective_mark,
                r.pass_mark,
                r.ratified === 'ratified'
                  ? h('span', { class: 'badge badge--good' }, 'Ratified')
                  : r.ratified === 'provisional'
                    ? h('span', { class: 'badge badge--pending' }, 'Provisional')
                    : '—',
                badge(MODULE_STATUS, r.module_status),
                badge(DECISION, r.decision),
              ],
            })),
          }),
    );
  };
  show.addEventListener('input', draw);
  draw();
  return section(
    'Exam board: marks',
    h(
      'p',
      {},
      `${marked.length} marks: ${marked.length - provisional} ratified, ${provisional} provisional. A mark is provisional until an exam board ratifies it, and again after any later change. The export lists students by id, as the board works from anonymised lists.`,
    ),
    h(
      'div',
      { class: 'filters' },
      field('Show', show).wrap,
      h('div', { class: 'filters__action' }, download),
    ),
    result,
  );
}
