import { describe, expect, it } from 'vitest';
import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { StudentStates } from '../../src/app/student-states.ts';
import { applyAndEnrol, createCohort, staff } from '../../src/demo/journeys.ts';
import { foldRecord } from '../../src/domain/student-record.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore } from '../../src/store/port.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

// The command handler's cache of student states (src/app/student-states.ts) moves a record forward in
// place: it must end as a fold of the log would, hold nothing of the events it was handed (they are
// shared with the caller and the live projections), and a refusal judged on a stale cached state must
// be judged again on the log.

/** Every object reachable from a value. */
function objectsOf(value: unknown, into = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object' || into.has(value)) return into;
  into.add(value);
  for (const child of Object.values(value)) objectsOf(child, into);
  return into;
}

async function enrolledStudent(store: EventStore) {
  const { ledger } = await testLedger('2024-07-20', store);
  const plan = plans(ledger.reference).blended;
  await createCohort(ledger, plan);
  const id = await applyAndEnrol(ledger, plan, applicant(3));
  return { ledger, id, stream: `student-${id}` };
}

describe("the command handler's student states", () => {
  it('move forward by the appended events to what a fold of the log gives, keeping none of their objects', async () => {
    const store = new MemoryEventStore();
    const { ledger, stream } = await enrolledStudent(store);
    const log = (await store.readStream(stream)).map(toLedgerEvent);
    // the needs analysis (last of the enrolment) carries its focus areas, an array a record keeps
    const last = log.at(-1)!;
    expect(last.type).toBe('NeedsAnalysisCompleted');
    const before: EventStore = {
      ...store,
      readStream: async (s, options) =>
        (await store.readStream(s, options)).filter((e) => e.revision < last.revision),
    } as EventStore;
    const states = new StudentStates(before);
    const cached = await states.load(stream);
    expect(cached.revision).toBe(last.revision - 1n);

    const handed: LedgerEvent[] = [last];
    states.appended(stream, handed);
    const moved = await states.load(stream, { checkLog: false });
    expect(moved.revision).toBe(last.revision);
    expect(moved).toEqual(foldRecord(stream, (await store.readStream(stream)).map(toLedgerEvent)));
    const shared = [...objectsOf(handed[0]!.data)].filter((o) => objectsOf(moved).has(o));
    expect(shared).toEqual([]);
    await ledger.stop();
  });

  it('a refusal decided on a stale cached state is judged again on the log', async () => {
    const store = new MemoryEventStore(() => new Date('2024-07-20T10:00:00Z'));
    const { ledger: a, id } = await enrolledStudent(store);
    // a second writer on the same log (another process): a's cached state does not know of its events
    const { ledger: b } = await testLedger('2024-07-20', store);
    const actor = { actor: staff.registry };
    await a.execute(id, 'recordPartnerSchoolVisit', visit, { actor: staff.tutor });
    await b.execute(
      id,
      'interruptStudy',
      { from: '2024-05-01', expectedReturn: '2024-09-01', reason: 'Leave' },
      actor,
    );
    // a's cache says not interrupted, so it refuses at first; the log says interrupted, so it is resumed
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
