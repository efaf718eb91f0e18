import { z } from 'zod';
import { Code, Id, IsoDate, Line, PositionString, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// The exam board confers the award. A conferral records where in the log, and against which
// specification version, it was decided, and a digest of the decision, so it can be reproduced.

const family = 'award';

export const AwardConferred = defineEvent({
  type: 'AwardConferred',
  family,
  version: 2,
  description:
    'The awarding body conferred the award (the qualification, the fallback certificate or an exit award) on this decision.',
  schema: z.object({
    award: z.enum(['qualification', 'fallback-certificate', 'exit-award']),
    title: Line(200),
    awards: z.array(Line(200)).min(1).describe('every award conferred, the main one first'),
    examBoardId: Code,
    conferredOn: IsoDate,
    decidedAt: z.object({
      position: PositionString.describe('global log position of the last event the decision used'),
      streamRevision: PositionString,
      evaluatedOn: IsoDate,
    }),
    specification: z.object({ programmeId: Code, version: z.number().int().min(1) }),
    decisionDigest: z.string().regex(/^[0-9a-f]{64}$/),
    duty: z
      .object({ satisfies: z.enum(['yes', 'no', 'not-yet']), completedOn: IsoDate.nullable() })
      .nullable()
      .describe(
        'whether the award satisfied the SENCO duty (reg. 49(7)) as decided, and when it was completed',
      ),
  }),
  upcasters: {
    // Version 1 knew the National Award alone ('national-award') and named one award.
    1: (v1) => ({
      ...v1,
      award: v1.award === 'national-award' ? 'qualification' : v1.award,
      awards: [v1.title],
      duty: null,
    }),
  },
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
