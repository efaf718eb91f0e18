import { z } from 'zod';
import {
  decisionFor,
  type EligibilityState,
  eligibility,
  ReviewFlagSchema,
  specFor,
} from '../../../projections/eligibility.ts';
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
  return sources.projections.get(eligibility, r.streamId)?.flag ?? null;
}

/** The review of one flagged award (none for a row with no flag or no record). */
export function reviewOf(sources: QuerySources, key: string, state: EligibilityState, on: string): Review[] {
  const record = sources.projections.get(students, key);
  if (!state.flag || !record) return [];
  return [
    {
      studentId: key.slice('student-'.length),
      ...state.flag,
      decisionToday: decisionFor(record, sources.reference, on)?.outcome ?? null,
    },
  ];
}

/** Awards a later event would change, with the decision as it was when flagged and as it is on `on`. */
export function reviews(sources: QuerySources, on: string): Review[] {
  return sources.projections
    .select(eligibility)
    .flatMap(({ key, state }) => reviewOf(sources, key, state, on));
}

/** How many awards are flagged for review. */
export function reviewCount(sources: QuerySources): number {
  return sources.projections.count(eligibility);
}

export { decisionFor };
