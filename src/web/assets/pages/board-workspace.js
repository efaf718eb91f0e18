import { allPages, api, seg } from '../api.js';
import { badge, DECISION, emptyState, fmtDate, h, plural, section } from '../dom.js';
import { localList } from '../lists.js';
import { claimForms, outcomeForm, outcomesSummary } from './board-decisions.js';
import { boardMinutes } from './board-minutes.js';
import { boardChooser, contents, latestBoard } from './board-nav.js';
import { newBoardForm } from './board-new.js';
import { noBoard, runPanel } from './board-run.js';
import { cohortHeader, cohortSpecification } from './cohort-nav.js';
import { boardMarksSection, parseCsv } from './exam-board.js';
import { creditsMeter, studentLink, studentName } from './shared.js';

// The exam-board workspace (#/cohorts/<id>/exam-board?board=<boardId>), as a registry officer runs a
// board: record the board that met; see every mark and each student's standing; ratify the marks
// (preview first); record outcomes and decide mitigating circumstances; confer every eligible student in
// one action, the others listed with their reasons; print the board's record with the log's signed
// checkpoint for the minutes. Examiners and admins read it; the forms follow `me.may`.

/** Each student's standing: the decision, credits, provisional marks, claims and this board's outcomes. */
function standingList(workspace, directory, provisional, onChoose) {
  return localList({
    caption: (n) => `${plural(n, 'student')}: standing today and this board's decisions`,
    columns: [
      {
        label: 'Student',
        sort: 'name',
        value: (s) => studentName(directory.get(s.studentId)?.name ?? null, s.studentId),
      },
      { label: 'Decision now', sort: 'decision', value: (s) => DECISION[s.outcome]?.text ?? s.outcome },
      { label: 'Credits', sort: 'credits', value: (s) => s.creditsEarned },
      { label: 'Provisional marks', sort: 'provisional', value: (s) => provisional.get(s.studentId) ?? 0 },
      { label: 'Claims waiting' },
      { label: 'Outcomes at this board' },
      ...(onChoose ? [{ label: 'Action' }] : []),
    ],
    items: workspace.students,
    pageSize: 50,
    sorted: { key: 'name', order: 'asc' },
    className: 'table--standing',
    row: (s) => ({
      attrs: { 'data-student': s.studentId },
      cells: [
        studentLink(directory, s.studentId),
        h('span', {}, badge(DECISION, s.outcome), s.awardedAtBoard ? ' conferred at this board' : ''),
        creditsMeter(s.creditsEarned, s.creditsRequired),
        String(provisional.get(s.studentId) ?? 0),
        s.claims
          .filter((c) => c.decision === null)
          .map((c) => c.claimId)
          .join(', ') || '—',
        s.boardOutcomes.map((o) => `${o.moduleCode} (${o.attempt}): ${o.outcome}`).join('; ') || '—',
        ...(!onChoose
          ? []
          : [
              s.outcome !== 'withdrawn'
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button--small button--secondary',
                      onclick: () => onChoose(s.studentId),
                      'aria-label': `Record an outcome for ${studentName(directory.get(s.studentId)?.name ?? null, s.studentId)}`,
                    },
                    'Record an outcome',
                  )
                : '',
            ]),
      ],
    }),
    empty: emptyState('No students are enrolled on this cohort yet.'),
  });
}

/**
 * The names of the cohort's members only (null for examiners): a registry officer may read every student
 * in the ledger, and at national scale fetching them all took seconds (bench/staff-pages.ts).
 */
async function cohortDirectory(cohortId) {
  const { students } = await allPages('/students', { cohortId }, ['students']);
  return new Map(students.map((s) => [s.studentId, s]));
}

export async function examBoardPage({ params: [cohortId], query, me, navigate }) {
  const [overview, directory] = await Promise.all([
    api(`/cohorts/${seg(cohortId)}`),
    cohortDirectory(cohortId),
  ]);
  const cohort = overview.cohort;
  const may = (what) => me.may?.includes(what);
  const board =
    cohort.examBoards.find((b) => b.examBoardId === query.get('board')) ?? latestBoard(cohort.examBoards);
  const recordSection = may('recordExamBoard')
    ? h(
        'details',
        { class: 'section board-new-section no-print', open: cohort.examBoards.length === 0 ? true : null },
        h('summary', {}, h('span', { class: 'summary-title' }, 'Record a board that met')),
        newBoardForm(cohort, navigate),
      )
    : null;
  const page = h(
    'div',
    { class: 'board-page' },
    cohortHeader(
      cohort,
      board ? `Exam board ${board.examBoardId}` : 'Exam board',
      '/exam-board',
      me,
      board
        ? `Held on ${fmtDate(board.heldOn)}, with ${board.externalExaminers.join(', ')}.`
        : 'Record the board that met, then ratify, decide and confer here.',
    ),
    query.get('recorded') && board
      ? h(
          'p',
          { class: 'message message--success no-print', role: 'status', 'data-testid': 'board-recorded' },
          `Exam board ${board.examBoardId} is recorded for ${cohort.cohortId}, held on ${fmtDate(board.heldOn)}; the ledger signed a checkpoint of the log for its minutes.`,
        )
      : null,
    h('div', { class: 'no-print' }, boardChooser(cohort, board?.examBoardId)),
    recordSection,
  );
  if (!board) {
    page.append(section('Ratify, decide and confer', noBoard()));
    return { el: page };
  }
  const [spec, parts] = await Promise.all([cohortSpecification(cohort), loadBoard(cohortId, board, me)]);
  const top = h('div', { class: 'no-print' });
  const claimsBox = h('div', {});
  const minutesBox = h('div', {});
  const status = h('div', { 'aria-live': 'polite' });
  let outcome = null;
  const draw = (p) => {
    const provisional = new Map();
    for (const r of parseCsv(p.csv))
      if (r.ratified === 'provisional')
        provisional.set(r.student_id, (provisional.get(r.student_id) ?? 0) + 1);
    top.replaceChildren(
      section(
        'Standing',
        h('p', {}, outcomesSummary(p.workspace.students)),
        standingList(p.workspace, directory, provisional, outcome ? (id) => outcome.choose(id) : null).el,
      ),
      boardMarksSection(p.csv, cohortId, directory, 'Every mark'),
    );
    claimsBox.replaceChildren(
      claimForms({ board: p.workspace, students: p.workspace.students, directory, onDone: refresh }),
    );
    minutesBox.replaceChildren(
      boardMinutes({
        cohort,
        board: p.workspace,
        checkpoints: p.checkpoints,
        directory,
        provisional,
        workspace: p.workspace,
      }),
    );
  };
  async function refresh(message = null) {
    draw(await loadBoard(cohortId, board, me));
    status.replaceChildren(
      message
        ? h(
            'p',
            { class: 'message message--success', role: 'status', 'data-testid': 'claim-decided' },
            message,
          )
        : '',
    );
  }
  const ratify = may('ratifyMarks')
    ? section(
        'Ratify the marks',
        h(
          'p',
          {},
          "Every provisional mark made by the board's day is ratified; a later mark waits for a later board.",
        ),
        runPanel({
          cohortId,
          examBoardId: board.examBoardId,
          action: 'ratify',
          directory,
          onDone: refresh,
          texts: {
            preview: 'Preview the ratification',
            run: (n) => `Ratify the marks of ${plural(n, 'student')}`,
            previewSummary: (r) =>
              `Nothing is ratified yet: ${plural(r.counts.applied, 'student')} would have marks ratified, ${r.counts.nothingToDo} have none to ratify, ${r.counts.refused} refused.`,
            doneSummary: (r) =>
              `Ratified the marks of ${plural(r.counts.applied, 'student')} at ${board.examBoardId}.`,
          },
        }),
      )
    : null;
  const claims = may('decideMitigatingCircumstances')
    ? section('Mitigating circumstances', status, claimsBox)
    : null;
  if (may('recordBoardOutcome'))
    outcome = outcomeForm({
      board,
      students: parts.workspace.students,
      modules: spec.modules,
      directory,
      onDone: refresh,
    });
  const confer = may('conferAward')
    ? section(
        'Confer the awards',
        h(
          'p',
          {},
          'Preview who is eligible; then confer every eligible student in one action. The others are listed with the reason.',
        ),
        runPanel({
          cohortId,
          examBoardId: board.examBoardId,
          action: 'confer',
          directory,
          onDone: refresh,
          withDate: true,
          texts: {
            preview: 'Preview who is eligible',
            run: (n) => `Confer all ${plural(n, 'eligible student')}`,
            previewSummary: (r) =>
              `Nothing is conferred yet: ${r.counts.applied} eligible, ${r.counts.refused} not eligible (reasons below), ${r.counts.nothingToDo} already awarded.`,
            doneSummary: (r) =>
              `Conferred ${plural(r.counts.applied, 'award')} at ${board.examBoardId}; ${r.counts.refused} not conferred (reasons below).`,
          },
        }),
      )
    : null;
  draw(parts);
  const steps = [ratify, claims, outcome ? section('Board outcomes', outcome.el) : null, confer];
  page.append(
    contents([
      ['Standing', top],
      ...steps.filter(Boolean).map((s) => [s.querySelector('h2').textContent, s]),
      ['Every mark', () => top.querySelectorAll('h2')[1]],
      ['The board record', minutesBox],
    ]),
  );
  page.append(top, h('div', { class: 'no-print' }, steps), minutesBox);
  return { el: page };
}

/** The checkpoints answer with every checkpoint (the list comes a page at a time, newest first). */
async function everyCheckpoint() {
  const first = await api('/checkpoints?limit=500');
  if (!first.nextCursor) return first;
  const { checkpoints } = await allPages('/checkpoints', {}, ['checkpoints']);
  return { ...first, checkpoints };
}

async function loadBoard(cohortId, board, me) {
  const base = `/cohorts/${seg(cohortId)}`;
  const [workspace, csv, checkpoints] = await Promise.all([
    api(`${base}/exam-boards/${seg(board.examBoardId)}`),
    api(`${base}/exam-board.csv`, { as: 'text' }),
    me.role === 'registry' || me.role === 'admin' ? everyCheckpoint() : null,
  ]);
  return { workspace, csv, checkpoints };
}
