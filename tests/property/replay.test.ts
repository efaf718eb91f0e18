import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../events/envelope.ts';
import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { assessmentFor, specFor } from '../../projections/eligibility.ts';
import type { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort, staff } from '../../src/demo/journeys.ts';
import { londonDate } from '../../src/domain/calendar.ts';
import type { CommandName } from '../../src/domain/commands.ts';
import { creditLedger } from '../../src/domain/credits.ts';
import { ReplayAssessor } from '../../src/domain/rules/replay-assessor.ts';
import { foldRecord } from '../../src/domain/student-record.ts';
import { LedgerError } from '../../src/errors.ts';
import { runStep, type Step, stepArb } from '../support/arbitraries.ts';
import {
  applicant,
  discoveredSpecifications,
  planFor,
  TEST_SPECIFICATIONS,
  testLedger,
} from '../support/ledger.ts';

// The step-by-step replay keeps the previous step's credit ledger while an event writes nothing it reads
// (src/domain/rules/replay-assessor.ts). Whatever the history, every step must be exactly what assessing
// that prefix of the stream from scratch gives: over random histories on every specification file, with
// mark corrections and moderations, ratifications, APL/RPL, exam boards' outcomes, mitigating
// circumstances, interruptions, revoked sign-offs and withdrawals.

const specifications = discoveredSpecifications();

/** Steps the shared arbitraries do not take: what exam boards decide, and breaks in study. */
type BoardStep =
  | { kind: 'board'; module: number; outcome: 'pass' | 'refer' | 'defer' | 'fail' | 'withdraw' }
  | { kind: 'ratify-at-board' }
  | { kind: 'mark-all'; marks: number[] }
  | { kind: 'mitigation'; module: number; accept: boolean }
  | { kind: 'interrupt'; resume: boolean }
  | { kind: 'revoke'; pick: number };

const boardStepArb: fc.Arbitrary<BoardStep> = fc.oneof(
  fc.record({
    kind: fc.constant('board' as const),
    module: fc.nat(3),
    outcome: fc.constantFrom(
      'pass' as const,
      'refer' as const,
      'defer' as const,
      'fail' as const,
      'withdraw' as const,
    ),
  }),
  fc.constant({ kind: 'ratify-at-board' as const }),
  fc.record({
    kind: fc.constant('mark-all' as const),
    marks: fc.array(fc.integer({ min: 20, max: 90 }), { minLength: 4, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('mitigation' as const), module: fc.nat(3), accept: fc.boolean() }),
  fc.record({ kind: fc.constant('interrupt' as const), resume: fc.boolean() }),
  fc.record({ kind: fc.constant('revoke' as const), pick: fc.nat() }),
);

const BOARD_STEPS = new Set<string>([
  'board',
  'ratify-at-board',
  'mark-all',
  'mitigation',
  'interrupt',
  'revoke',
]);

const anyStepArb = fc.oneof(
  { weight: 3, arbitrary: stepArb as fc.Arbitrary<Step | BoardStep> },
  { weight: 1, arbitrary: boardStepArb },
);

let claims = 0;

async function runBoardStep(ledger: Ledger, id: string, step: BoardStep, examBoardId: string) {
  const record = ledger.queries.record(id);
  const spec = specFor(record, ledger.reference)!;
  const moduleCode = spec.modules[('module' in step ? step.module : 0) % spec.modules.length]!.code;
  const registry: { actor: Actor } = { actor: staff.registry };
  const tutor: { actor: Actor } = { actor: staff.tutor };
  const run = async (name: CommandName, data: unknown, options = registry) => {
    try {
      await ledger.execute(id, name, data, options);
    } catch (error) {
      if (!(error instanceof LedgerError && (error.kind === 'refused' || error.kind === 'invalid')))
        throw error;
    }
  };
  switch (step.kind) {
    case 'board':
      return run('recordBoardOutcome', { examBoardId, moduleCode, outcome: step.outcome, deadline: null });
    case 'ratify-at-board':
      return run('ratifyMarks', { examBoardId });
    case 'mark-all':
      // every module handed in and marked on its latest attempt, so that boards have marks to decide
      for (const [i, m] of spec.modules.entries()) {
        const attempt = record.modules[m.code]?.at(-1)?.attempt ?? 1;
        const on = record.enrolment!.enrolledOn;
        await run('submitAssignment', { moduleCode: m.code, attempt, kind: 'final', submittedOn: on }, tutor);
        await run(
          'markAssignment',
          { moduleCode: m.code, attempt, mark: step.marks[i % 4]!, markedOn: on },
          tutor,
        );
      }
      return;
    case 'mitigation': {
      const claimId = `mc-${++claims}`;
      await run(
        'submitMitigatingCircumstances',
        {
          claimId,
          submittedOn: record.enrolment!.enrolledOn,
          circumstances: 'Hospital admission during the assessment period',
          evidence: [{ kind: 'medical-note', reference: 'mc/letter.pdf' }],
          affects: [{ kind: 'module', moduleCode }],
          requested: 'deferral',
        },
        tutor,
      );
      return run('decideMitigatingCircumstances', {
        claimId,
        examBoardId,
        decision: step.accept ? 'accepted' : 'rejected',
        reason: 'Evidence shows the illness affected the submission',
        ...(step.accept ? { remedy: { kind: 'deferral', moduleCode, deadline: null } } : {}),
      });
    }
    case 'interrupt': {
      const from = record.enrolment!.enrolledOn;
      await run('interruptStudy', { from, expectedReturn: null, reason: 'Long-term illness' });
      if (step.resume) await run('resumeStudy', { on: '2025-01-06' });
      return;
    }
    case 'revoke': {
      const signOffs = Object.keys(record.signOffEvents);
      const signOffEventId = signOffs[step.pick % Math.max(signOffs.length, 1)];
      if (signOffEventId)
        await run('revokeSignOff', {
          signOffEventId,
          reason: 'Evidence was misfiled',
          revokedOn: '2025-02-03',
        });
      return;
    }
  }
}

async function history(found: (typeof specifications)[number], steps: (Step | BoardStep)[]) {
  const t = await testLedger('2025-06-01', undefined, loadReferenceData({ specs: TEST_SPECIFICATIONS }));
  const plan = planFor(t.ledger.reference.specification(found.programmeId, found.version));
  await createCohort(t.ledger, plan);
  const id = await applyAndEnrol(t.ledger, plan, applicant(1));
  for (const step of steps) {
    if (BOARD_STEPS.has(step.kind)) await runBoardStep(t.ledger, id, step as BoardStep, plan.examBoardId);
    else await runStep(t.ledger, id, step as Step, plan.examBoardId);
  }
  const events = (await t.ledger.store.readStream(`student-${id}`)).map(toLedgerEvent);
  return { ledger: t.ledger, id, events };
}

/** The step as the replay showed it before any reuse: the prefix folded and assessed from scratch. */
function fromScratch(ledger: Ledger, events: LedgerEvent[], i: number, on?: string) {
  const past = foldRecord(events[0]!.streamId, events.slice(0, i + 1));
  const assessment = assessmentFor(past, ledger.reference, on ?? londonDate(events[i]!.metadata.occurredAt));
  return { past, assessment };
}

const historyArb = fc.tuple(
  fc.constantFrom(...specifications),
  fc.array(anyStepArb, { minLength: 5, maxLength: 50 }),
);

/** One history that surely reaches every kind of fact that changes a ledger, run besides the random ones. */
const everyKind: [[(typeof specifications)[number], (Step | BoardStep)[]], boolean] = [
  [
    specifications.find((s) => s.programmeId === 'blended-3module') ?? specifications[0]!,
    [
      { kind: 'sweep', monthOffset: 3 },
      { kind: 'mark-all', marks: [62, 35, 71, 55] },
      { kind: 'mitigation', module: 2, accept: true },
      { kind: 'moderate', pick: 0, mark: 60 },
      { kind: 'correct', pick: 1, mark: 38 },
      { kind: 'ratify-at-board' },
      { kind: 'apl', module: 2, approve: true, claim: 0 },
      { kind: 'board', module: 1, outcome: 'refer' },
      { kind: 'interrupt', resume: true },
      { kind: 'revoke', pick: 0 },
      { kind: 'correct', pick: 0, mark: 48 },
      { kind: 'withdraw' },
    ],
  ],
  false,
];

describe('the step-by-step replay', () => {
  it('shows at every step what assessing that prefix from scratch shows', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(historyArb, fc.boolean(), async ([programme, steps], fixedDay) => {
        const { ledger, id, events } = await history(programme, steps);
        for (const e of events) seen.add(e.type);
        const bound = fixedDay ? { on: '2026-03-01' } : {};
        const replayed = await ledger.queries.replay(id, bound);
        expect(replayed).toHaveLength(events.length);
        replayed.forEach((step, i) => {
          const { assessment } = fromScratch(ledger, events, i, bound.on);
          expect({ ...step, entry: undefined }).toEqual({
            step: i + 1,
            entry: undefined,
            outcome: assessment?.outcome ?? null,
            creditsEarned: assessment?.credits.earned ?? 0,
            creditsIncludingProvisional: assessment?.credits.earnedIncludingProvisional ?? 0,
            outstanding: assessment?.outstanding.length ?? null,
          });
        });
        await ledger.stop();
      }),
      { numRuns: 50, examples: [everyKind] },
    );
    // the histories did reach what can change a ledger already worked out
    for (const type of [
      'MarkCorrected',
      'MarksRatified',
      'AplClaimDecided',
      'BoardOutcomeRecorded',
      'MitigatingCircumstancesDecided',
      'StudentWithdrawn',
    ])
      expect(seen).toContain(type);
  });

  it('keeps a credit ledger equal to one worked out afresh, step by step', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ([programme, steps]) => {
        const { ledger, events } = await history(programme, steps);
        const assessor = new ReplayAssessor(events[0]!.streamId);
        let reused = 0;
        let previous: unknown = null;
        events.forEach((e, i) => {
          assessor.apply(e);
          const { past, assessment } = fromScratch(ledger, events, i);
          const spec = specFor(past, ledger.reference);
          if (!spec) return;
          const framework = ledger.reference.framework(
            spec.outcomes.frameworkId,
            spec.outcomes.frameworkVersion,
          );
          const step = assessor.assess(spec, framework, londonDate(e.metadata.occurredAt));
          if (step.credits === previous) reused++;
          previous = step.credits;
          expect(step.credits).toEqual(creditLedger(past, spec));
          expect(step.outcome).toBe(assessment!.outcome);
          expect(step.outstanding).toBe(assessment!.outstanding.length);
        });
        // most events (attendance, outcomes, registration) leave the ledger as it was
        if (events.length > 20) expect(reused).toBeGreaterThan(0);
        await ledger.stop();
      }),
      { numRuns: 50, examples: [[everyKind[0]]] },
    );
  });
});
