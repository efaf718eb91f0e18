import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort, staff } from '../../src/demo/journeys.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import type { EventStore } from '../../src/store/port.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { applicant, plans } from '../support/ledger.ts';

// The states the command handler decides on (src/app/student-states.ts): the live read model's record,
// which each command waits for, so a command on a student the read models hold reads nothing of the
// student's stream from the log; a record that is behind the log (another process wrote) is caught by the
// append's expected revision, and a refusal decided on it is judged again on the log.

/** A wrapper of a store that counts the reads of each stream. */
function counting() {
  const reads = new Map<string, number>();
  const store = (inner: EventStore): EventStore =>
    new Proxy(inner, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== 'readStream') return typeof value === 'function' ? value.bind(target) : value;
        return (streamId: string, options?: Parameters<EventStore['readStream']>[1]) => {
          reads.set(streamId, (reads.get(streamId) ?? 0) + 1);
          return target.readStream(streamId, options);
        };
      },
    });
  return { store, reads };
}

describe('the states the command handler decides on', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Two processes on one log file: the first looks for the other's appends only once a minute; the second's
   * reads of each stream are counted.
   */
  async function twoProcesses() {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-states-'));
    dirs.push(dir);
    const clock = () => new Date('2024-07-20T10:00:00Z');
    const open = async (pollMs: number, watch = (store: EventStore) => store) => {
      const ledger = new Ledger({
        store: watch(new SqliteEventStore({ path: join(dir, 'ledger.db'), pollMs, clock })),
        keys: new MemoryKeyStore(),
        reference: loadReferenceData(),
        clock,
      });
      await ledger.start();
      return ledger;
    };
    const a = await open(60_000);
    const plan = plans(a.reference).blended;
    await createCohort(a, plan);
    const id = await applyAndEnrol(a, plan, applicant(3));
    // the second starts after the student is enrolled: its read models hold the record from their catch-up
    const { store, reads } = counting();
    return { a, b: await open(20, store), id, reads };
  }

  it("are the read models' records: a command on a student they hold reads nothing of the stream", async () => {
    const { a, b, id, reads } = await twoProcesses();
    const before = b.queries.record(id).revision;
    const result = await b.execute(id, 'recordPartnerSchoolVisit', visit, { actor: staff.tutor });
    expect(result.events.map((e) => e.type)).toEqual(['PartnerSchoolVisitRecorded']);
    expect(result.revision).toBe(before + 1n);
    expect(reads.get(`student-${id}`) ?? 0).toBe(0);
    expect(b.queries.record(id).visits).toHaveLength(1);
    await b.stop();
    await a.stop();
  });

  it('a command decided on a record behind the log is refused by the revision and decided on the log', async () => {
    const { a, b, id } = await twoProcesses();
    const other = await b.execute(id, 'recordPartnerSchoolVisit', visit, { actor: staff.tutor });
    // the first process's read models do not know of the other's visit yet
    expect(a.queries.record(id).revision).toBe(other.revision - 1n);
    const mine = await a.execute(
      id,
      'recordPartnerSchoolVisit',
      { ...visit, visitedOn: '2024-02-02' },
      { actor: staff.tutor },
    );
    expect(mine.revision).toBe(other.revision + 1n);
    expect(a.queries.record(id).visits.map((v) => v.visitedOn)).toEqual(['2024-02-01', '2024-02-02']);
    await b.stop();
    await a.stop();
  });

  it('a refusal decided on a record behind the log is judged again on the log', async () => {
    const { a, b, id } = await twoProcesses();
    const actor = { actor: staff.registry };
    await b.execute(
      id,
      'interruptStudy',
      { from: '2024-05-01', expectedReturn: '2024-09-01', reason: 'Leave' },
      actor,
    );
    // a's record says not interrupted, so it refuses at first; the log says interrupted, so it is resumed
    expect(a.queries.record(id).interruption).toBeNull();
    const resumed = await a.execute(id, 'resumeStudy', { on: '2024-07-01' }, actor);
    expect(resumed.events.map((e) => e.type)).toEqual(['StudyResumed']);
    // and a refusal the log confirms stands
    await expect(a.execute(id, 'resumeStudy', { on: '2024-07-02' }, actor)).rejects.toMatchObject({
      code: 'not_interrupted',
    });
    await b.stop();
    await a.stop();
  });
});

const visit = {
  school: { name: 'Hillside Primary' },
  phase: 'primary',
  visitedOn: '2024-02-01',
  moduleCode: 'M1',
  hours: 1,
};
