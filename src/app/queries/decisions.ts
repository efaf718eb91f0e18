import { z } from 'zod';
import { decisionFor, eligibility, ReviewFlagSchema, specFor } from '../../../projections/eligibility.ts';
import { students } from '../../../projections/index.ts';
import { creditLedger } from '../../domain/credits.ts';
import {
  type CreditLedger,
  CreditLedgerSchema,
  DecisionOutcomeSchema,
  DecisionSchema,
} from '../../domain/rules/schema.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import type { QuerySources } from './sources.ts';

// The award decision with its rule-by-rule explanation, the credit ledger, and the registry's review
// flags. Decisions and credits are computed on read from the record (the same functions the rules use,
// so the two cannot disagree); nothing here is stored.

export const DecisionViewSchema = z.object({
  decision: DecisionSchema.nullable().describe(
    'null while the student has no programme to be judged against',
  ),
  reviewFlag: ReviewFlagSchema.nullable(),
});

export const CreditsViewSchema = z.object({ credits: CreditLedgerSchema.nullable() });

export const ReviewSchema = ReviewFlagSchema.extend({
  studentId: z.string(),
  decisionToday: DecisionOutcomeSchema.nullable(),
});
export type Review = z.infer<typeof ReviewSchema>;

export function creditsFor(sources: QuerySources, r: StudentRecord): CreditLedger | null {
  const spec = specFor(r, sources.reference);
  return spec ? creditLedger(r, spec) : null;
}

export function reviewFlag(sources: QuerySources, r: StudentRecord) {
  return sources.projections.state(eligibility).flags.get(r.streamId) ?? null;
}

/** Awards a later event would change, with the decision as it was when flagged and as it is on `on`. */
export function reviews(sources: QuerySources, on: string): Review[] {
  const records = sources.projections.state(students).records;
  return [...sources.projections.state(eligibility).flags.entries()].map(([streamId, flag]) => ({
    studentId: streamId.slice('student-'.length),
    ...flag,
    decisionToday: decisionFor(records.get(streamId)!, sources.reference, on)?.outcome ?? null,
  }));
}

export { decisionFor };
