import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toJson } from '../../src/app/json.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { LedgerError } from '../../src/errors.ts';
import { newId } from '../../src/ids.ts';
import { finishErasures } from '../../src/privacy/erasure.ts';
import { type KeyStore, MemoryKeyStore, SqliteKeyStore } from '../../src/privacy/keys.ts';
import { seal, unseal } from '../../src/privacy/seal.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { applicant, plans } from '../support/ledger.ts';

const erase = { requestReference: 'DPA-2024-017', erasedOn: '2024-11-20' };
const clock = () => new Date('2024-11-20T10:00:00Z');
const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

async function enrolled(ledger: Ledger, n: number, fullName: string) {
  const plan = plans(ledger.reference).blended;
  if (!ledger.queries.findCohort(plan.cohortId)) await createCohort(ledger, plan);
  return applyAndEnrol(ledger, plan, applicant(n, { fullName }));
}

describe('a lawful erasure request', () => {
  it('makes personal data unreadable while the chain verifies and the projections rebuild', async () => {
    const store = new MemoryEventStore(clock);
    const keys = new MemoryKeyStore();
    const ledger = new Ledger({ store, keys, reference: loadReferenceData(), clock });
    await ledger.start();
    const plan = plans(ledger.reference).blended;
    const id = await enrolled(ledger, 31, 'Rhiannon Ellis');
    await study(ledger, id, plan, { marks: { M1: 61, M2: 66, M3: 58 } });
    const record = ledger.queries.record(id);
    expect(ledger.queries.personalDetails(record)).toMatchObject({
      fullName: 'Rhiannon Ellis',
      teacherReferenceNumber: expect.stringMatching(/^\d{7}$/),
      school: { name: 'Riverside Primary School' },
    });
    // Neither the name nor the school is anywhere in the log in clear.
    const raw = toJson((await store.readAll()).map((e) => e.data));
    expect(raw).not.toContain('Rhiannon');
    expect(raw).not.toContain('Riverside');
    const decisionBefore = ledger.queries.decision(id)!;

    await ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin });

    expect(ledger.queries.personalDetails(ledger.queries.record(id))).toBeNull();
    expect(unseal(keys, ledger.queries.record(id).application!.personal)).toBeNull();
    expect((await store.verify()).ok).toBe(true);
    // A fresh ledger over the same log and keys rebuilds the same academic record and decision.
    const rebuilt = new Ledger({ store, keys, reference: loadReferenceData(), clock });
    await rebuilt.runner.catchUp();
    const after = rebuilt.queries.decision(id)!;
    expect(after.outcome).toBe(decisionBefore.outcome);
    expect(after.credits.earned).toBe(60);
    expect(rebuilt.queries.record(id).erasure).toMatchObject({ erasedOn: '2024-11-20' });
    expect(rebuilt.queries.personalDetails(rebuilt.queries.record(id))).toBeNull();
  });
});

describe('erasure on the SQLite files', () => {
  let dir: string;
  const open: { stop(): Promise<void> | void }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-erasure-'));
  });
  afterEach(async () => {
    for (const o of open.splice(0)) await o.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A ledger as a server process opens one: its own connections to the log and the keys. */
  async function process(keys?: KeyStore) {
    const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), pollMs: 20, clock });
    const k = keys ?? new SqliteKeyStore(join(dir, 'keys.db'));
    const ledger = new Ledger({ store, keys: k, reference: loadReferenceData(), clock });
    await ledger.start();
    open.push(ledger);
    return { ledger, keys: k };
  }

  it('holds in a second process on the same files as soon as the erasure is in the log it follows', async () => {
    const first = await process();
    const second = await process();
    const id = await enrolled(first.ledger, 41, 'Tegan Morgan');
    await vi.waitFor(() => expect(second.ledger.queries.findRecord(id)).toBeDefined());
    // The second process has shown the record, so it has read the key.
    expect(second.ledger.queries.personalDetails(second.ledger.queries.record(id))).toMatchObject({
      fullName: 'Tegan Morgan',
    });

    await first.ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin });

    await vi.waitFor(() => expect(second.ledger.queries.record(id).erasure).not.toBeNull(), {
      timeout: 2000,
    });
    expect(second.ledger.queries.personalDetails(second.ledger.queries.record(id))).toBeNull();
    expect(second.keys.find(id)).toBeNull();
    expect(second.ledger.queries.recordView(second.ledger.queries.record(id), true).personal).toEqual({
      erased: true,
    });
  });

  it('changes nothing when the keys database cannot be written, and a retry completes it', async () => {
    const { ledger, keys } = await process();
    const id = await enrolled(ledger, 42, 'Osian Price');
    (keys as SqliteKeyStore).injectWriteFault(diskFull());

    const refused = await ledger
      .execute(id, 'erasePersonalData', erase, { actor: staff.admin })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LedgerError);
    expect(refused).toMatchObject({ kind: 'unavailable', code: 'storage_full' });
    // Nothing changed: no erasure in the log, the data still readable, the key still there.
    const stream = await ledger.store.readStream(`student-${id}`);
    expect(stream.map((e) => e.type)).not.toContain('PersonalDataErased');
    expect(ledger.queries.personalDetails(ledger.queries.record(id))).toMatchObject({
      fullName: 'Osian Price',
    });

    (keys as SqliteKeyStore).injectWriteFault(null);
    const done = await ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin });
    expect(done.events.map((e) => e.type)).toEqual(['PersonalDataErased']);
    expect(keys.find(id)).toBeNull();
    expect(ledger.queries.personalDetails(ledger.queries.record(id))).toBeNull();
  });

  it('hides the data at once when the key outlives the event, and a retry destroys it without a second event', async () => {
    const real = new SqliteKeyStore(join(dir, 'keys.db'));
    let failDestroy = true;
    // The keys accept the pending mark, then fail at the very last write (the disk filled in between).
    const keys: KeyStore = Object.assign(Object.create(real) as SqliteKeyStore, {
      destroy(subject: string) {
        if (failDestroy) throw diskFull();
        return real.destroy(subject);
      },
    });
    const { ledger } = await process(keys);
    const id = await enrolled(ledger, 43, 'Ffion Hughes');

    const incomplete = await ledger
      .execute(id, 'erasePersonalData', erase, { actor: staff.admin })
      .catch((error: unknown) => error);
    expect(incomplete).toMatchObject({ kind: 'unavailable', code: 'erasure_incomplete' });
    expect(ledger.queries.personalDetails(ledger.queries.record(id))).toBeNull();
    expect(real.find(id)).not.toBeNull();

    failDestroy = false;
    const retried = await ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin });
    const erasures = (await ledger.store.readStream(`student-${id}`)).filter(
      (e) => e.type === 'PersonalDataErased',
    );
    expect(erasures).toHaveLength(1);
    expect(retried.events[0]!.eventId).toBe(erasures[0]!.eventId);
    expect(real.find(id)).toBeNull();
    // A second retry is refused as already erased: there is nothing left to do.
    await expect(
      ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin }),
    ).rejects.toMatchObject({ code: 'already_erased' });
  });

  it('finishes at start an erasure whose key outlived it', async () => {
    const keys = new SqliteKeyStore(join(dir, 'keys.db'));
    keys.keyFor('s-1');
    keys.keyFor('s-2');
    expect(finishErasures(keys, ['s-1', 's-3'])).toEqual(['s-1']);
    expect(keys.find('s-1')).toBeNull();
    expect(keys.find('s-2')).not.toBeNull();
    keys.close();
  });
});

describe("the school's name is personal data", () => {
  it('is hidden from examiners and erased with the rest, also in applications recorded in clear before v2', async () => {
    const store = new MemoryEventStore(clock);
    const keys = new MemoryKeyStore();
    const ledger = new Ledger({ store, keys, reference: loadReferenceData(), clock });
    await ledger.start();
    // An application as version 1 recorded it: the school's name in clear.
    const studentId = newId();
    const stream = `student-${studentId}`;
    const v1 = {
      eventId: newId(),
      type: 'ApplicationSubmitted',
      schemaVersion: 1,
      data: {
        studentId,
        personal: seal(keys, studentId, {
          fullName: 'Carys Jenkins',
          email: 'carys@school.example',
          dateOfBirth: '1981-03-04',
          teacherReferenceNumber: '7654321',
        }),
        programmeId: 'blended-3module',
        school: { name: 'Ysgol Bro Taf', type: 'maintained-mainstream', urn: '401234' },
        intake: 'spring',
        submittedOn: '2023-11-01',
      },
      metadata: {
        actor: staff.registry,
        occurredAt: '2023-11-01T09:00:00+00:00',
        correlationId: 'c',
        causationId: null,
      },
    };
    await store.append(stream, [v1], 'no_stream');
    const fresh = await enrolled(ledger, 44, 'Dylan Rees');
    await ledger.runner.waitFor(await store.headPosition());

    for (const id of [studentId, fresh]) {
      const record = ledger.queries.record(id);
      const school = id === studentId ? 'Ysgol Bro Taf' : 'Riverside Primary School';
      // Registry sees it with the personal details ...
      expect(ledger.queries.personalDetails(record)?.school?.name).toBe(school);
      // ... an examiner's view of the record, and the history anyone reading the record sees, do not.
      expect(toJson(ledger.queries.recordView(record, false))).not.toContain(school);
      expect(toJson((await ledger.queries.auditTrail(id)).entries)).not.toContain(school);
      await ledger.execute(id, 'erasePersonalData', erase, { actor: staff.admin });
      expect(ledger.queries.personalDetails(ledger.queries.record(id))).toBeNull();
      expect(toJson(ledger.queries.recordView(ledger.queries.record(id), true))).not.toContain(school);
    }
    // The v1 event keeps verifying under its own format and version.
    expect((await store.verify()).ok).toBe(true);
  });
});
