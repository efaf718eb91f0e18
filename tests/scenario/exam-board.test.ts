import { beforeAll, describe, expect, it } from 'vitest';
import { conferBoard, ratifyBoard, recordBoardOutcomes } from '../../src/app/exam-board.ts';
import type { BoardRunView } from '../../src/app/exam-board-schema.ts';
import type { Ledger } from '../../src/app/ledger.ts';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

// A registry officer runs the blended cohort's November board (2024-11-15, examiner-1 present) as a
// registry runs one: ratify every provisional mark, decide a mitigating-circumstances claim and record the
// outcomes, confer every eligible student and see the others with their reasons. One student's outcomes
// fail half-way and leave that student untouched. In February the deferred sit is marked in full.

const registry = staff.registry;
let ledger: Ledger;
let setToday: (date: string) => void;
const plan = () => plans(ledger.reference).blended;
const ids = {} as Record<'ada' | 'ben' | 'cal' | 'dee' | 'eve', string>;
const resultOf = (run: BoardRunView, id: string) => run.students.find((s) => s.studentId === id)!;
const board = 'board-2024-11';

beforeAll(async () => {
  ({ ledger, setToday } = await testLedger('2024-11-20'));
  await createCohort(ledger, plan());
  const enrol = (n: number) => applyAndEnrol(ledger, plan(), applicant(n));
  ids.ada = await enrol(1); // passes everything
  ids.ben = await enrol(2); // fails M2: referred
  ids.cal = await enrol(3); // fails M3 in hospital: a claim, deferred
  ids.dee = await enrol(4); // her outcomes are sent with a mistake: refused, untouched
  ids.eve = await enrol(5); // withdrew before the board
  const marks = { M1: 64, M2: 61, M3: 70 };
  await study(ledger, ids.ada, plan(), { marks, ratify: false });
  await study(ledger, ids.ben, plan(), { marks: { ...marks, M2: 43 }, ratify: false });
  await study(ledger, ids.cal, plan(), { marks: { ...marks, M3: 38 }, ratify: false });
  await study(ledger, ids.dee, plan(), { marks: { ...marks, M2: 45 }, ratify: false });
  await ledger.execute(
    ids.eve,
    'withdrawStudent',
    { on: '2024-03-01', reason: 'Left the SENCO post' },
    {
      actor: registry,
    },
  );
  await ledger.execute(
    ids.cal,
    'submitMitigatingCircumstances',
    {
      claimId: 'mc-cal-1',
      submittedOn: '2024-10-20',
      circumstances: 'Admitted to hospital in the fortnight before the M3 deadline',
      evidence: [{ kind: 'medical-note', reference: 'mc/cal/discharge-summary.pdf' }],
      affects: [{ kind: 'module', moduleCode: 'M3' }],
      requested: 'deferral',
    },
    { actor: staff.tutor },
  );
}, 60_000);

describe('an exam board run for a whole cohort', () => {
  it('previews the ratification without appending, then ratifies every provisional mark', async () => {
    const head = await ledger.store.headPosition();
    const preview = await ratifyBoard(ledger, plan().cohortId, board, registry, true);
    expect(preview.counts).toEqual({ applied: 4, refused: 1, nothingToDo: 0 });
    expect(await ledger.store.headPosition()).toBe(head);
    const run = await ratifyBoard(ledger, plan().cohortId, board, registry, false);
    expect(run).toMatchObject({ heldOn: '2024-11-15', externalExaminers: ['examiner-1'], preview: false });
    expect(run.counts).toEqual({ applied: 4, refused: 1, nothingToDo: 0 });
    expect(resultOf(run, ids.ada).events.map((e) => e.type)).toEqual(['MarksRatified']);
    expect(resultOf(run, ids.eve)).toMatchObject({
      result: 'refused',
      refusal: { code: 'student_withdrawn' },
    });
    for (const id of [ids.ada, ids.ben, ids.cal, ids.dee])
      expect(
        [...ledger.queries.record(id).markChains.values()].every((c) => c.ratified?.examBoardId === board),
      ).toBe(true);
    // nothing is left to ratify
    const again = await ratifyBoard(ledger, plan().cohortId, board, registry, false);
    expect(resultOf(again, ids.ada)).toMatchObject({ result: 'nothing-to-do' });
  });

  it("records the claim's deferral and the outcomes; a student's mistake leaves that student untouched", async () => {
    const before = await ledger.queries.streamEvents(ids.dee);
    const run = await recordBoardOutcomes(
      ledger,
      plan().cohortId,
      board,
      {
        mitigatingCircumstances: [
          {
            studentId: ids.cal,
            claimId: 'mc-cal-1',
            decision: 'accepted',
            remedy: { kind: 'deferral', moduleCode: 'M3', deadline: '2025-02-07' },
            reason: 'Hospital admission evidenced; the M3 attempt is set aside',
          },
        ],
        outcomes: [
          ...['M1', 'M2', 'M3'].map((m) => ({ studentId: ids.ada, moduleCode: m, outcome: 'pass' as const })),
          { studentId: ids.ben, moduleCode: 'M2', outcome: 'refer', deadline: '2025-02-07' },
          { studentId: ids.dee, moduleCode: 'M1', outcome: 'pass' },
          // the mistake: a resubmission due before the board sat
          { studentId: ids.dee, moduleCode: 'M2', outcome: 'refer', deadline: '2024-10-01' },
        ],
      },
      registry,
      false,
    );
    expect(run.counts).toEqual({ applied: 3, refused: 1, nothingToDo: 0 });
    expect(resultOf(run, ids.dee)).toMatchObject({
      result: 'refused',
      refusal: {
        code: 'deadline_before_board',
        issues: [
          { field: 'outcomes.5.deadline', reason: expect.stringMatching(/before the board was held/) },
        ],
      },
    });
    // Dee's M1 pass, decided before the mistake, was not written either
    expect(await ledger.queries.streamEvents(ids.dee)).toHaveLength(before.length);
    expect(ledger.queries.record(ids.dee).boardOutcomes).toEqual([]);
    // Cal: the decision, then the deferral that cites it
    expect(resultOf(run, ids.cal).events.map((e) => e.type)).toEqual([
      'MitigatingCircumstancesDecided',
      'BoardOutcomeRecorded',
    ]);
    const m3 = ledger.queries.credits(ids.cal)!.modules.find((m) => m.moduleCode === 'M3')!;
    expect(m3).toMatchObject({ status: 'resubmission-permitted', attemptsAllowed: 3 });
    expect(m3.attempts[1]).toMatchObject({ attempt: 2, cappedAt: null, dueBy: '2025-02-07' });
    // Ben: referred, capped at the pass mark
    const m2 = ledger.queries.credits(ids.ben)!.modules.find((m) => m.moduleCode === 'M2')!;
    expect(m2.attempts[1]).toMatchObject({ attempt: 2, cappedAt: 50, dueBy: '2025-02-07' });
  });

  it('every decision on the claim is in the audit trail', async () => {
    const trail = await ledger.queries.auditTrail(ids.cal);
    const summaries = trail.entries.map((e) => e.summary);
    expect(summaries).toContain(
      'Mitigating circumstances claim mc-cal-1 submitted (deferral requested, 1 piece(s) of evidence): Admitted to hospital in the fortnight before the M3 deadline',
    );
    expect(summaries).toContain(
      'Exam board board-2024-11 accepted mitigating circumstances claim mc-cal-1 (deferral of M3 attempt 1): Hospital admission evidenced; the M3 attempt is set aside',
    );
    expect(summaries).toContain(
      'Exam board board-2024-11: M3 attempt 1 deferred (attempt 2, counts in full, due by 2025-02-07) on mitigating circumstances claim mc-cal-1; external examiners examiner-1',
    );
  });

  it('confers every eligible student and lists the others with their reasons', async () => {
    const head = await ledger.store.headPosition();
    const preview = await conferBoard(ledger, plan().cohortId, board, {}, registry, true);
    expect(await ledger.store.headPosition()).toBe(head);
    const run = await conferBoard(ledger, plan().cohortId, board, {}, registry, false);
    expect(preview.students.map((s) => s.result)).toEqual(
      run.students.map((s) => s.result.replace('applied', 'would-apply')),
    );
    expect(resultOf(run, ids.ada)).toMatchObject({ result: 'applied', events: [{ type: 'AwardConferred' }] });
    expect(ledger.queries.record(ids.ada).awards[0]).toMatchObject({
      examBoardId: board,
      conferredOn: '2024-11-15',
    });
    for (const id of [ids.ben, ids.cal, ids.dee])
      expect(resultOf(run, id)).toMatchObject({
        result: 'refused',
        refusal: { code: 'not_eligible', details: { outcome: 'not-yet-eligible' } },
      });
    expect(resultOf(run, ids.ben).refusal!.details.outstanding).toEqual(
      expect.arrayContaining([expect.stringMatching(/^M2: resubmission permitted, due by 2025-02-07/)]),
    );
    expect(resultOf(run, ids.eve).refusal!.code).toBe('student_withdrawn');
    const again = await conferBoard(ledger, plan().cohortId, board, {}, registry, false);
    expect(resultOf(again, ids.ada)).toMatchObject({ result: 'nothing-to-do' });
  });

  it("in February, the deferred sit counts in full and the decision cites the claim's decision", async () => {
    setToday('2025-02-21');
    await ledger.execute(
      plan().cohortId,
      'recordExamBoard',
      { examBoardId: 'board-2025-02', heldOn: '2025-02-20', externalExaminers: ['examiner-1'] },
      { actor: registry },
    );
    const sit = { moduleCode: 'M3', attempt: 2 };
    await ledger.execute(
      ids.cal,
      'submitAssignment',
      { ...sit, kind: 'final', submittedOn: '2025-02-03' },
      {
        actor: staff.tutor,
      },
    );
    await ledger.execute(
      ids.cal,
      'markAssignment',
      { ...sit, mark: 68, markedOn: '2025-02-14' },
      {
        actor: staff.tutor,
      },
    );
    await ratifyBoard(ledger, plan().cohortId, 'board-2025-02', registry, false);
    const m3 = ledger.queries.credits(ids.cal)!.modules.find((m) => m.moduleCode === 'M3')!;
    expect(m3).toMatchObject({ status: 'passed', creditsEarned: 20 });
    expect(m3.attempts[1]).toMatchObject({ mark: 68, effectiveMark: 68, cappedAt: null, ratified: true });
    const run = await conferBoard(ledger, plan().cohortId, 'board-2025-02', {}, registry, false);
    expect(resultOf(run, ids.cal)).toMatchObject({ result: 'applied' });
    const decided = (await ledger.queries.streamEvents(ids.cal)).find(
      (e) => e.type === 'MitigatingCircumstancesDecided',
    )!;
    const credits = ledger.queries.decision(ids.cal, '2025-02-21')!.rules.find((r) => r.rule === 'credits')!;
    expect(credits.events.map((e) => e.eventId)).toContain(decided.eventId);
  });
});
