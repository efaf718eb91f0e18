import { api, qs, seg } from '../api.js';
import { announce, emptyState, facts, field, h, plural, section, shortId } from '../dom.js';
import { select } from '../forms.js';
import { cohortHeader } from './cohort-nav.js';
import { gridRow } from './mark-row.js';

// The mark grid of a cohort for one module and attempt (a gradebook): per student the submission, the
// mark as it stands with its marker, each moderation and correction, and whether an exam board ratified
// it. A tutor records a submission, a first mark, or a moderation in the student's row; each is the
// student command of that name. The pass mark and the cap on a resubmission are shown above the grid.
// The URL holds the module and attempt (?module=M1&attempt=1).

const nameOf = (r) => r.name ?? `Student ${shortId(r.studentId)}`;

export async function marksPage({ params: [cohortId], query, me }) {
  const moduleCode = query.get('module') ?? undefined;
  const attempt = Number(query.get('attempt') ?? 1) || 1;
  const load = () => api(`/cohorts/${seg(cohortId)}/marks${qs({ moduleCode, attempt })}`);
  let data = await load();
  const m = data.module;
  const path = `#/cohorts/${seg(cohortId)}/marks`;
  const go = (module, n) => {
    location.hash = `${path}${qs({ module, attempt: n })}`;
  };
  const modulePick = field(
    'Module',
    select(
      'module',
      data.modules.map((x) => [x.code, `${x.code}: ${x.title}`]),
      { value: m.code },
    ),
  );
  const attempts = Array.from({ length: m.attemptsAllowed }, (_, i) => [
    String(i + 1),
    i === 0 ? 'First attempt' : `Resubmission (attempt ${i + 1})`,
  ]);
  const attemptPick = field('Attempt', select('attempt', attempts, { value: String(data.attempt) }));
  modulePick.control.addEventListener('change', () => go(modulePick.control.value, 1));
  attemptPick.control.addEventListener('change', () => go(m.code, attemptPick.control.value));

  const about = facts(
    [
      [
        'Pass mark',
        h('strong', { 'data-testid': 'pass-mark' }, m.passMark === null ? 'pass/fail' : `${m.passMark}`),
      ],
      ['Credits', `${m.credits}`],
      [
        'Attempts allowed',
        `${m.attemptsAllowed} (${m.attemptsAllowed - 1} resubmission${m.attemptsAllowed === 2 ? '' : 's'})`,
      ],
      [
        'A resubmission',
        h(
          'span',
          { 'data-testid': 'resubmission-cap' },
          m.resubmissionCap === null
            ? 'is not capped'
            : `is capped at ${m.resubmissionCap}: a higher mark counts as ${m.resubmissionCap}`,
        ),
      ],
    ],
    'facts facts--module',
  );
  const gridHolder = h('div', {});
  const draw = (focusStudent = null) => {
    gridHolder.replaceChildren(grid(data, me, refresh));
    if (focusStudent)
      gridHolder
        .querySelector(`tr[data-student="${focusStudent}"] input, tr[data-student="${focusStudent}"] th`)
        ?.focus();
  };
  async function refresh(studentId, text) {
    data = await load();
    draw(studentId);
    announce(text);
  }
  draw();
  return {
    el: h(
      'div',
      {},
      ...cohortHeader(data.cohort, `Marks: ${data.cohort.name}`, '/marks', me),
      h('div', { class: 'filters' }, modulePick.wrap, attemptPick.wrap),
      section(
        `${m.code}: ${m.title}, ${data.attempt === 1 ? 'first attempt' : `resubmission (attempt ${data.attempt})`}`,
        about,
        gridHolder,
      ),
    ),
  };
}

function grid(data, me, refresh) {
  const rows = data.rows.filter((r) => r.status !== 'withdrawn');
  const withdrawn = data.rows.filter((r) => r.status === 'withdrawn');
  const mayEnter = me.may.includes('markAssignment');
  if (rows.length === 0) return emptyState('No students are enrolled on this cohort yet.');
  const columns = [
    'Student',
    'Submitted',
    'Mark',
    'Marker',
    'Moderation and corrections',
    'Exam board',
    ...(mayEnter ? ['Enter'] : []),
  ];
  const open = rows.filter((r) => r.open).length;
  return h(
    'div',
    {},
    data.attempt > 1
      ? h('p', {}, `${plural(open, 'student')} may resubmit: registry permitted it after a ratified fail.`)
      : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table--marks', 'data-testid': 'mark-grid' },
        h(
          'caption',
          {},
          `${plural(rows.length, 'student')}; a mark is provisional until an exam board ratifies it`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            columns.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) => gridRow(r, data, me, mayEnter, refresh)),
        ),
      ),
    ),
    withdrawn.length
      ? h(
          'p',
          { class: 'small muted withdrawn' },
          `Withdrawn, not listed: ${withdrawn.map(nameOf).join(', ')}.`,
        )
      : null,
  );
}
