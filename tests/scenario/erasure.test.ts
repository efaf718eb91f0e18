import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { unseal } from '../../src/privacy/seal.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { applicant, plans } from '../support/ledger.ts';

describe('a lawful erasure request', () => {
  it('makes personal data unreadable while the chain verifies and the projections rebuild', async () => {
    const clock = () => new Date('2024-11-20T10:00:00Z');
    const store = new MemoryEventStore(clock);
    const keys = new MemoryKeyStore();
    const ledger = new Ledger({ store, keys, reference: loadReferenceData(), clock });
    await ledger.start();
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(31, { fullName: 'Rhiannon Ellis' }));
    await study(ledger, id, plan, { marks: { M1: 61, M2: 66, M3: 58 } });
    const record = ledger.queries.record(id);
    expect(ledger.queries.personalDetails(record)).toMatchObject({
      fullName: 'Rhiannon Ellis',
      teacherReferenceNumber: expect.stringMatching(/^\d{7}$/),
    });
    // The name is nowhere in the log in clear.
    const raw = JSON.stringify((await store.readAll()).map((e) => e.data));
    expect(raw).not.toContain('Rhiannon');
    const decisionBefore = ledger.queries.decision(id)!;

    await ledger.execute(
      id,
      'erasePersonalData',
      { requestReference: 'DPA-2024-017', erasedOn: '2024-11-20' },
      { actor: staff.admin },
    );

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
