import { z } from 'zod';
import { Code, IsoDate, SchoolType } from '../../../events/common.ts';

// The law the ledger applies, as reference data with its sources: who is under the SENCO qualification
// duty, by when, and which qualification satisfies it for which dates. A programme specification names
// the qualification it leads to by its kind; what that qualification does in law is read from here, so a
// provider's file cannot restate it differently.

export const StatutoryQualification = z.object({
  kind: Code,
  title: z.string().min(1),
  startedOnOrAfter: IsoDate.nullable(),
  startedBefore: IsoDate.nullable(),
  completedBefore: IsoDate.nullable(),
  source: z.string().min(1),
});
export type StatutoryQualification = z.infer<typeof StatutoryQualification>;

export const SencoQualificationLaw = z.object({
  id: Code,
  version: z.number().int().min(1),
  title: z.string().min(1),
  sources: z.array(z.string()).min(1),
  duty: z.object({
    appointedAfter: IsoDate,
    priorServiceMonthsMoreThan: z.number().int().min(0),
    holdByAnniversaryYears: z.number().int().min(1),
    source: z.string().min(1),
  }),
  scope: z.object({
    schoolTypes: z.array(SchoolType).min(1),
    source: z.string().min(1),
    notChosen: z.object({ schoolTypes: z.array(SchoolType), source: z.string().min(1) }).nullable(),
  }),
  qualifications: z.array(StatutoryQualification).min(1),
});
export type SencoQualificationLaw = z.infer<typeof SencoQualificationLaw>;
