import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../events/envelope.ts';
import { toLedgerEvent } from '../../events/index.ts';
import { decisionFor } from '../../projections/eligibility.ts';
import { liveProjections, students } from '../../projections/index.ts';
import { LiveProjections } from '../../src/app/live-projections.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort } from '../../src/demo/journeys.ts';
import { type Decision, decideAward } from '../../src/domain/rules/index.ts';
import { applyEvent, emptyRecord, foldRecord, type StudentRecord } from '../../src/domain/student-record.ts';
import { runStep, stepArb } from '../support/arbitraries.ts';
import {
  applicant,
  discoveredSpecifications,
  planFor,
  TEST_SPECIFICATIONS,
  testLedger,
} from '../support/ledger.ts';

// Laws of the read side, over random histories on every specification file found (the built-in ones and
// the tests' deliberately odd one): a new provider's file is tested the day it is added.

const specifications = discoveredSpecifications();
const programmeArb = fc.constantFrom(...specifications);

async function history(found: (typeof specifications)[number], steps: Parameters<typeof runStep>[2][]) {
  const t = await testLedger('2025-06-01', undefined, loadReferenceData({ specs: TEST_SPECIFICATIONS }));
  const plan = planFor(t.ledger.reference.specification(found.programmeId, found.version));
  await createCohort(t.ledger, plan);
  const id = await applyAndEnrol(t.ledger, plan, applicant(1));
  for (const step of steps) await runStep(t.ledger, id, step, plan.examBoardId);
  return { ...t, id, plan };
}

describe('projection laws', () => {
  it('run over every specification file found, five of them and more', () => {
    expect(specifications.length).toBeGreaterThanOrEqual(6);
    expect(new Set(specifications.map((s) => s.programmeId)).size).toBe(specifications.length);
  });

  it('a rebuild from scratch equals the live, incrementally updated state', async () => {
    await fc.assert(
      fc.asyncProperty(programmeArb, fc.array(stepArb, { maxLength: 30 }), async (programme, steps) => {
        const { ledger, id } = await history(programme, steps);
        const rebuilt = new LiveProjections(ledger.reference);
        for (const e of await ledger.store.readAll()) rebuilt.apply(e);
        expect(rebuilt.checkpoint).toBe(ledger.projections.checkpoint);
        for (const projection of liveProjections)
          expect(rebuilt.state(projection), projection.name).toEqual(ledger.projections.state(projection));
        const live = decisionFor(ledger.queries.record(id), ledger.reference, '2025-06-01')!;
        const fresh = decisionFor(
          rebuilt.state(students).records.get(`student-${id}`)!,
          ledger.reference,
          '2025-06-01',
        )!;
        expect(fresh.digest).toBe(live.digest);
        await ledger.stop();
      }),
      { numRuns: 40 },
    );
  });

  it('decisions are deterministic: two independent folds of the same events decide alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        programmeArb,
        fc.array(stepArb, { maxLength: 40 }),
        fc.array(stepArb, { maxLength: 20 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
        async (programme, steps, otherSteps, picks) => {
          const { ledger, id, plan } = await history(programme, steps);
          const other = await applyAndEnrol(ledger, plan, applicant(2));
          for (const step of otherSteps) await runStep(ledger, other, step, plan.examBoardId);
          const framework = ledger.reference.framework(
            plan.spec.outcomes.frameworkId,
            plan.spec.outcomes.frameworkVersion,
          );
          const log = await ledger.store.readAll();
          // one fold: the student's own stream, as read
          const streamOf = (studentId: string) => `student-${studentId}`;
          const direct = (studentId: string) =>
            foldRecord(
              streamOf(studentId),
              log.filter((e) => e.streamId === streamOf(studentId)).map(toLedgerEvent),
            );
          // the other: a JSON copy of the whole log, streams interleaved at random (each in its own order),
          // each record changed in place and decided after every event, as the live projections do
          const copied = interleave(roundTrip(log), picks);
          const folded = new Map<string, StudentRecord>();
          const decided = new Map<string, Decision>();
          for (const e of copied) {
            if (!e.streamId.startsWith('student-')) continue;
            const record = folded.get(e.streamId) ?? emptyRecord(e.streamId);
            applyEvent(record, toLedgerEvent(e));
            folded.set(e.streamId, record);
            decided.set(e.streamId, decideAward(record, plan.spec, framework, '2025-06-01'));
          }
          for (const studentId of [other, id]) {
            const a = decideAward(direct(studentId), plan.spec, framework, '2025-06-01');
            expect(decided.get(streamOf(studentId))).toEqual(a);
            expect(a.credits.earned).toBeLessThanOrEqual(plan.spec.totalCredits);
            expect(a.credits.earnedIncludingProvisional).toBeLessThanOrEqual(plan.spec.totalCredits);
            expect(a.credits.earned).toBeLessThanOrEqual(a.credits.earnedIncludingProvisional);
            if (a.award) expect(a.credits.earned).toBe(plan.spec.totalCredits);
          }
          await ledger.stop();
        },
      ),
      { numRuns: 40 },
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
          const then = await ledger.queries.asOf(id, { position, on: '2025-06-01' });
          for (const step of after) await runStep(ledger, id, step, plan.examBoardId);
          const again = await ledger.queries.asOf(id, { position, on: '2025-06-01' });
          expect(again.decision?.digest).toBe(then.decision?.digest);
          expect(again.record).toEqual(then.record);
          await ledger.stop();
        },
      ),
      { numRuns: 20 },
    );
  });
});

/** A copy through JSON, bigints and all: nothing shared with the events it was made from. */
function roundTrip(events: RecordedEvent[]): RecordedEvent[] {
  const text = JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? { bigint: v.toString() } : v));
  return JSON.parse(text, (_k, v) => (v && typeof v === 'object' && 'bigint' in v ? BigInt(v.bigint) : v));
}

/** The streams' events merged in an order the picks choose, each stream's own order kept. */
function interleave(events: RecordedEvent[], picks: number[]): RecordedEvent[] {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  const queues = [...streams.values()];
  const out: RecordedEvent[] = [];
  for (let i = 0; queues.length > 0; i++) {
    const q = picks[i % picks.length]! % queues.length;
    out.push(queues[q]!.shift()!);
    if (queues[q]!.length === 0) queues.splice(q, 1);
  }
  return out;
}
