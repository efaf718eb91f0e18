import { z } from 'zod';
import { Code, Id, IsoDate, Line, PositionString, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// The exam board confers the award. A conferral records where in the log, and against which
// specification version, it was decided, and a digest of the decision, so it can be reproduced.

const family = 'award';

export const AwardConferred = defineEvent({
  type: 'AwardConferred',
  family,
  description: 'The exam board conferred the award (or the fallback certificate) on this decision.',
  schema: z.object({
    award: z.enum(['national-award', 'fallback-certificate']),
    title: Line(200),
    examBoardId: Code,
    conferredOn: IsoDate,
    decidedAt: z.object({
      position: PositionString.describe('global log position of the last event the decision used'),
      streamRevision: PositionString,
      evaluatedOn: IsoDate,
    }),
    specification: z.object({ programmeId: Code, version: z.number().int().min(1) }),
    decisionDigest: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

export const AwardDecisionWithdrawn = defineEvent({
  type: 'AwardDecisionWithdrawn',
  family,
  description: 'A conferred award was withdrawn, naming the conferral event and why.',
  schema: z.object({
    awardEventId: Id,
    reason: Reason,
    withdrawnOn: IsoDate,
    authorisedBy: StaffRef,
  }),
});

export const AwardReviewResolved = defineEvent({
  type: 'AwardReviewResolved',
  family,
  description:
    'Registry reviewed an award flagged by a later change and kept it (or withdrew it separately).',
  schema: z.object({
    awardEventId: Id,
    resolution: z.enum(['award-stands', 'award-withdrawn']),
    note: Reason,
    resolvedOn: IsoDate,
  }),
});

export const awardEvents = [AwardConferred, AwardDecisionWithdrawn, AwardReviewResolved] as const;
