import { z } from 'zod';
import { Attempt, Code, Id, IsoDate, ModuleCode, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// What a qualification assessed in a window needs (the NPQ for SENCOs): participation in the cohort's
// sessions and activities, counted against a threshold that gates the assessment; the assessment sat in a
// window the cohort sets; a pass/fail result, confirmed by the awarding body's board.

const family = 'participation';

export const SessionParticipationRecorded = defineEvent({
  type: 'SessionParticipationRecorded',
  family,
  description:
    "The student took part in one of the cohort's sessions or activities (counted by a participation threshold).",
  schema: z.object({
    sessionId: Code,
    kind: z.enum(['session', 'activity']),
    participatedOn: IsoDate,
  }),
});

export const AssessmentSat = defineEvent({
  type: 'AssessmentSat',
  family,
  description:
    "The student sat an assessment in one of the cohort's windows and handed it in; the window and the participation at that moment are recorded with it.",
  schema: z.object({
    moduleCode: ModuleCode,
    attempt: Attempt,
    windowId: Code,
    window: z.object({ opensOn: IsoDate, closesOn: IsoDate }),
    submittedOn: IsoDate,
    participation: z
      .object({ counted: z.number().int().min(0), of: z.number().int().min(0), thresholdPercent: z.number() })
      .nullable()
      .describe(
        'where the specification sets a participation threshold: what was counted when the student sat',
      ),
  }),
});

export const AssessmentResultRecorded = defineEvent({
  type: 'AssessmentResultRecorded',
  family,
  description:
    'An assessor recorded the result of a pass/fail assessment; it counts once the awarding body confirms it.',
  schema: z.object({
    moduleCode: ModuleCode,
    attempt: Attempt,
    result: z.enum(['pass', 'fail']),
    assessor: StaffRef,
    assessedOn: IsoDate,
  }),
});

export const AssessmentResultsConfirmed = defineEvent({
  type: 'AssessmentResultsConfirmed',
  family,
  description:
    "The awarding body's board (a lead provider's assessment board, or a university exam board) confirmed these pass/fail results.",
  schema: z.object({
    examBoardId: Code,
    boardDate: IsoDate,
    results: z
      .array(
        z.object({
          moduleCode: ModuleCode,
          attempt: Attempt,
          result: z.enum(['pass', 'fail']),
          resultEventId: Id,
        }),
      )
      .min(1, 'a board confirms at least one result'),
  }),
});

export const participationEvents = [
  SessionParticipationRecorded,
  AssessmentSat,
  AssessmentResultRecorded,
  AssessmentResultsConfirmed,
] as const;
