import { z } from 'zod';
import { Code, Id, IsoDate, Line, OutcomeCode, Paragraph, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// Learning-outcome evidence and sign-off. Every sign-off names the framework version it was made
// against (learning-outcomes.md: the catalogue is versioned reference data).

const family = 'outcomes';

export const OutcomeEvidenceSubmitted = defineEvent({
  type: 'OutcomeEvidenceSubmitted',
  family,
  description: 'Evidence towards a national learning outcome was added to the portfolio.',
  schema: z.object({
    outcomeCode: OutcomeCode,
    frameworkId: Code,
    frameworkVersion: z.number().int().min(1),
    evidence: z.object({
      kind: z.enum(['document', 'observation', 'reflection', 'testimony', 'presentation', 'other']),
      reference: Line(500),
      summary: Paragraph(2000).optional(),
    }),
    submittedOn: IsoDate,
  }),
});

export const OutcomeSignedOff = defineEvent({
  type: 'OutcomeSignedOff',
  family,
  description: 'An assessor signed off a learning outcome on the evidence named.',
  schema: z.object({
    outcomeCode: OutcomeCode,
    frameworkId: Code,
    frameworkVersion: z.number().int().min(1),
    evidenceEventIds: z.array(Id).min(1, 'a sign-off names the evidence it rests on'),
    assessor: StaffRef,
    signedOffOn: IsoDate,
  }),
});

export const OutcomeSignOffRevoked = defineEvent({
  type: 'OutcomeSignOffRevoked',
  family,
  description: 'A sign-off was withdrawn; it names the sign-off event and why.',
  schema: z.object({
    signOffEventId: Id,
    outcomeCode: OutcomeCode,
    reason: Reason,
    revokedOn: IsoDate,
  }),
});

export const outcomeEvents = [OutcomeEvidenceSubmitted, OutcomeSignedOff, OutcomeSignOffRevoked] as const;
