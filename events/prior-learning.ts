import { z } from 'zod';
import { Code, IsoDate, ModuleCode, Paragraph, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// seed 003: APL/RPL may replace at most one module, by a portfolio of evidence against its outcomes.

const family = 'prior-learning';

export const AplClaimSubmitted = defineEvent({
  type: 'AplClaimSubmitted',
  family,
  description: 'A claim for accredited or recognised prior learning in place of one module.',
  schema: z.object({
    claimId: Code,
    moduleCode: ModuleCode,
    route: z.enum(['APL', 'RPL']),
    submittedOn: IsoDate,
    evidenceSummary: Paragraph(4000, { min: 3 }),
  }),
});

export const AplClaimDecided = defineEvent({
  type: 'AplClaimDecided',
  family,
  description: 'A claim was approved (the module credits count) or rejected.',
  schema: z.object({
    claimId: Code,
    moduleCode: ModuleCode,
    decision: z.enum(['approved', 'rejected']),
    decidedOn: IsoDate,
    decidedBy: StaffRef,
    reason: Reason,
  }),
});

export const priorLearningEvents = [AplClaimSubmitted, AplClaimDecided] as const;
