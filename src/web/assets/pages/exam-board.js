import { ApiError, api, seg } from '../api.js';
import {
  announce,
  badge,
  DECISION,
  emptyState,
  errorPanel,
  field,
  fmtDate,
  h,
  MODULE_STATUS,
  section,
} from '../dom.js';
import { localList } from '../lists.js';
import { studentLink } from './shared.js';

// A cohort's exam-board view of marks (provisional or ratified), read from the exam-board CSV export
// the board itself uses, with the file to download (fetched with the bearer token, saved from memory).

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

export async function examBoardSection(cohortId, directory) {
  const url = `/cohorts/${seg(cohortId)}/exam-board.csv`;
  let csv;
  try {
    csv = await api(url, { as: 'text' });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return section('Exam board: marks', errorPanel(error));
  }
  return boardMarksSection(csv, cohortId, directory);
}

/** The marks of the export: every attempt, provisional or ratified, filtered, sorted, paged; the file. */
export function boardMarksSection(csv, cohortId, directory, title = 'Exam board: marks') {
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
        : localList({
            caption: `${shown.length} of ${rows.length} module rows`,
            columns: [
              {
                label: 'Student',
                sort: 'student',
                value: (r) => directory.get(r.student_id)?.name ?? r.student_id,
              },
              { label: 'Module', sort: 'module', value: (r) => r.module },
              { label: 'Credits' },
              { label: 'Attempt' },
              {
                label: 'Mark',
                sort: 'mark',
                value: (r) => (r.effective_mark === '' ? -1 : Number(r.effective_mark)),
              },
              { label: 'Pass mark' },
              { label: 'Exam board', sort: 'board', value: (r) => r.ratified },
              { label: 'Module status', sort: 'status', value: (r) => r.module_status },
              { label: 'Decision now', sort: 'decision', value: (r) => r.decision },
            ],
            className: 'table--exam-board',
            items: shown,
            pageSize: 50,
            row: (r) => ({
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
            }),
          }).el,
    );
  };
  show.addEventListener('input', draw);
  draw();
  return section(
    title,
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
