import { type CreditLedger, creditLedger } from '../src/domain/credits.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import type { StudentRecord } from '../src/domain/student-record.ts';
import { specFor } from './eligibility.ts';

// The credit ledger read model: per module, credits earned and how (ratified pass, APL/RPL), provisional
// against ratified, and the total against the programme's 60. It is computed from the student record on
// read (src/domain/credits.ts), the same function the credits rule uses, so the two cannot disagree.

export function creditsFor(record: StudentRecord, reference: ReferenceData): CreditLedger | null {
  const spec = specFor(record, reference);
  return spec ? creditLedger(record, spec) : null;
}
