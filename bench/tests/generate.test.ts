import { describe, expect, it } from 'vitest';
import { type EventType, validateEvent } from '../../events/index.ts';
import { decisionFor } from '../../projections/eligibility.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { unseal } from '../../src/privacy/seal.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { DATA_AS_OF } from '../cohorts.ts';
import { type GeneratedStudent, SyntheticLog } from '../generate.ts';
import { BenchKeyStore, sealWith } from '../keys.ts';

// The benchmark's synthetic data (bench/generate.ts): deterministic, valid against the catalogue,
// consistent with the rules, and a realistic mix of outcomes. No timings here: the benchmark itself is
// `npm run bench`.

const reference = loadReferenceData();

function generate(students: number) {
  const log = new SyntheticLog(reference);
  const appends = [...log.appends({ maxStudents: students })];
  return { log, appends };
}

function students(n: number): GeneratedStudent[] {
  const log = new SyntheticLog(reference);
  return Array.from({ length: n }, () => log.next().student);
}

describe('the synthetic log', () => {
  it('is the same log each time: 50 students twice give identical events', () => {
    const a = generate(50).appends;
    const b = generate(50).appends;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.length).toBeGreaterThan(50);
  });

  it('gives a smaller log as a prefix of a larger one', () => {
    const small = [...new SyntheticLog(reference).appends({ maxEvents: 3000 })].flatMap((a) => a.events);
    const large = [...new SyntheticLog(reference).appends({ maxEvents: 6000 })].flatMap((a) => a.events);
    expect(small).toHaveLength(3000);
    expect(large.slice(0, 3000)).toEqual(small);
  });

  it('holds only events that pass the catalogue, roughly 80-150 a student', () => {
    const sample = students(60);
    for (const s of sample) for (const e of s.events) validateEvent(e.type as EventType, e.data);
    const enrolled = sample.filter((s) => s.record.enrolment && !s.record.withdrawal);
    const mean = enrolled.reduce((n, s) => n + s.events.length, 0) / enrolled.length;
    expect(mean).toBeGreaterThan(80);
    expect(mean).toBeLessThan(150);
  });

  it('gives a realistic mix of decisions under the rules, across all four programmes', () => {
    const sample = students(240);
    const outcomes = new Set(sample.map((s) => decisionFor(s.record, reference, DATA_AS_OF)?.outcome));
    for (const outcome of [
      'awarded',
      'fallback-certificate',
      'not-yet-eligible',
      'failed',
      'withdrawn',
    ] as const)
      expect(outcomes).toContain(outcome);
    // a lapse on the BPN route with every credit earned gives the exit award (seed 000)
    expect(outcomes.has('lapsed') || outcomes.has('exit-award')).toBe(true);
    const programmes = new Set(sample.map((s) => s.record.application?.programmeId));
    expect(programmes.size).toBe(4);
    const conferred = sample.filter((s) => s.record.awards.length > 0).length;
    expect(conferred / sample.length).toBeGreaterThan(0.4);
  });

  it('imports into a ledger whose projections agree with it, and whose awards reproduce', async () => {
    const store = new MemoryEventStore();
    const log = new SyntheticLog(reference);
    const generated: GeneratedStudent[] = [];
    for (let i = 0; i < 40; i++) {
      const { appends, student } = log.next();
      for (const a of appends) {
        const events = a.events.map((e) => ({ ...e, data: validateEvent(e.type as EventType, e.data) }));
        await store.append(a.streamId, events, a.expectedRevision);
      }
      generated.push(student);
    }
    const ledger = new Ledger({ store, keys: new BenchKeyStore(), reference });
    await ledger.start();
    let reproduced = 0;
    for (const s of generated) {
      expect(ledger.queries.decision(s.studentId, DATA_AS_OF)?.digest).toBe(
        decisionFor(s.record, reference, DATA_AS_OF)?.digest,
      );
      if (s.record.awards.length === 0) continue;
      for (const r of await ledger.queries.reproduce(s.studentId)) expect(r.reproduced).toBe(true);
      reproduced++;
    }
    expect(reproduced).toBeGreaterThan(10);
    expect(ledger.queries.personalDetails(ledger.queries.record(generated[0]!.studentId))?.email).toMatch(
      /@school\.example$/,
    );
    await ledger.stop();
  });

  it("seals personal details deterministically, in the format the ledger's own unseal reads", () => {
    const details = {
      fullName: 'Ada Jones',
      email: 'ada@school.example',
      dateOfBirth: '1985-04-12',
      teacherReferenceNumber: '1234567',
    };
    const iv = Buffer.alloc(12, 7);
    const sealed = sealWith('student-1', details, iv);
    expect(sealWith('student-1', details, iv)).toEqual(sealed);
    expect(unseal(new BenchKeyStore(), sealed)).toEqual(details);
    // bound to the student: moved to another student's id, it does not open
    expect(() => unseal(new BenchKeyStore(), { ...sealed, keyId: 'student-2' })).toThrow();
  });
});
