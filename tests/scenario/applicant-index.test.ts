import { describe, expect, it, vi } from 'vitest';
import { applyAndEnrol, createCohort, staff } from '../../src/demo/journeys.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';
import { sampleBodies } from '../support/samples.ts';

// The applicant register (src/app/applicants.ts) looks again at the records changed since the last
// application. A record changed by a visit or a mark still has the sealed details it had: its identities
// are kept, not unsealed again (a decryption for every student changed between two applications), while
// a duplicate is still found among them.

const visit = (visitedOn: string) => ({ ...sampleBodies.recordPartnerSchoolVisit, visitedOn });

describe('the applicant register', () => {
  it('does not unseal again a changed record whose sealed details did not change', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const a = await applyAndEnrol(ledger, plan, applicant(1));
    const b = await applyAndEnrol(ledger, plan, applicant(2));
    await ledger.execute(a, 'recordPartnerSchoolVisit', visit('2024-02-01'), { actor: staff.tutor });
    // the third application looks at a and b again (and unseals each, as first seen since the scan)
    await applyAndEnrol(ledger, plan, applicant(3));
    await ledger.execute(a, 'recordPartnerSchoolVisit', visit('2024-02-02'), { actor: staff.tutor });
    await ledger.execute(b, 'recordPartnerSchoolVisit', visit('2024-02-03'), { actor: staff.tutor });

    const unseal = vi.spyOn(ledger.queries, 'unsealColumn');
    await applyAndEnrol(ledger, plan, applicant(4));
    // the third student, looked at for the first time since it applied; a and b keep their identities
    expect(unseal).toHaveBeenCalledTimes(1);
    // and they are still found: an application by a's teacher again is refused, naming a
    await expect(applyAndEnrol(ledger, plan, applicant(1))).rejects.toMatchObject({
      code: 'duplicate_applicant',
      details: { studentId: a },
    });
    await ledger.stop();
  });
});
