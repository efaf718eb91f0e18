import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionFor } from '../../projections/eligibility.ts';
import { LiveProjections } from '../../src/app/live-projections.ts';
import { applyAndEnrol, createCohort } from '../../src/demo/journeys.ts';
import { decideAward } from '../../src/domain/rules/index.ts';
import { runStep, stepArb } from '../support/arbitraries.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

// Laws of the read side, over random histories on every programme shape.

const programmeArb = fc.constantFrom('bpn', 'sw', 'experienced', 'blended') as fc.Arbitrary<
  'bpn' | 'sw' | 'experienced' | 'blended'
>;

async function history(
  programme: 'bpn' | 'sw' | 'experienced' | 'blended',
  steps: Parameters<typeof runStep>[2][],
) {
  const t = await testLedger('2025-06-01');
  const plan = plans(t.ledger.reference)[programme];
  await createCohort(t.ledger, plan);
  const id = await applyAndEnrol(t.ledger, plan, applicant(1));
  for (const step of steps) await runStep(t.ledger, id, step, plan.examBoardId);
  return { ...t, id, plan };
}

describe('projection laws', () => {
  it('a rebuild from scratch equals the live, incrementally updated state', async () => {
    await fc.assert(
      fc.asyncProperty(programmeArb, fc.array(stepArb, { maxLength: 30 }), async (programme, steps) => {
        const { ledger, id } = await history(programme, steps);
        const rebuilt = new LiveProjections(ledger.reference);
        for (const e of await ledger.store.readAll()) rebuilt.apply(e);
        expect(rebuilt.checkpoint).toBe(ledger.projections.checkpoint);
        expect(rebuilt.students.records.get(`student-${id}`)).toEqual(
          ledger.projections.students.records.get(`student-${id}`),
        );
        expect(rebuilt.eligibility.flags).toEqual(ledger.projections.eligibility.flags);
        const live = decisionFor(ledger.record(id), ledger.reference, '2025-06-01')!;
        const fresh = decisionFor(
          rebuilt.students.records.get(`student-${id}`)!,
          ledger.reference,
          '2025-06-01',
        )!;
        expect(fresh.digest).toBe(live.digest);
        await ledger.close();
      }),
      { numRuns: 25 },
    );
  });

  it('decisions are deterministic and credits never exceed the programme total', async () => {
    await fc.assert(
      fc.asyncProperty(programmeArb, fc.array(stepArb, { maxLength: 40 }), async (programme, steps) => {
        const { ledger, id, plan } = await history(programme, steps);
        const record = ledger.record(id);
        const framework = ledger.reference.framework(
          plan.spec.outcomes.frameworkId,
          plan.spec.outcomes.frameworkVersion,
        );
        const a = decideAward(record, plan.spec, framework, '2025-06-01');
        const b = decideAward(structuredClone(record), plan.spec, framework, '2025-06-01');
        expect(b).toEqual(a);
        expect(a.credits.earned).toBeLessThanOrEqual(plan.spec.totalCredits);
        expect(a.credits.earnedIncludingProvisional).toBeLessThanOrEqual(plan.spec.totalCredits);
        expect(a.credits.earned).toBeLessThanOrEqual(a.credits.earnedIncludingProvisional);
        if (a.award) expect(a.credits.earned).toBe(plan.spec.totalCredits);
        await ledger.close();
      }),
      { numRuns: 25 },
    );
  });

  it('appending events never changes an as-of answer for an earlier position', async () => {
    await fc.assert(
      fc.asyncProperty(
        programmeArb,
        fc.array(stepArb, { maxLength: 20 }),
        fc.array(stepArb, { minLength: 1, maxLength: 20 }),
        async (programme, before, after) => {
          const { ledger, id, plan } = await history(programme, before);
          const position = await ledger.store.headPosition();
          const then = await ledger.asOf(id, { position, on: '2025-06-01' });
          for (const step of after) await runStep(ledger, id, step, plan.examBoardId);
          const again = await ledger.asOf(id, { position, on: '2025-06-01' });
          expect(again.decision?.digest).toBe(then.decision?.digest);
          expect(again.record).toEqual(then.record);
          await ledger.close();
        },
      ),
      { numRuns: 20 },
    );
  });
});
