import { z } from 'zod';
import { Attempt, Code, Id, IsoDate, Mark, ModuleCode, Paragraph, Reason, StaffRef } from './common.ts';
import { defineEvent } from './define.ts';

// Submissions, marks and their chain (moderation, correction, ratification), portfolio and viva.
// A mark is provisional until an exam board ratifies it; a correction is a new event that names the
// event it corrects, never an edit.

const family = 'assessment';

export const AssignmentSubmitted = defineEvent({
  type: 'AssignmentSubmitted',
  family,
  description: 'An assignment (or, on the BPN route, its initial plan for feedback) was submitted.',
  schema: z.object({
    moduleCode: ModuleCode,
    attempt: Attempt,
    // seed 000: each Reflective Account has an initial plan submitted for feedback
    kind: z.enum(['plan', 'final']),
    submittedOn: IsoDate,
    wordCount: z.number().int().min(0).max(50_000).optional(),
  }),
});

export const AssignmentMarked = defineEvent({
  type: 'AssignmentMarked',
  family,
  version: 2,
  description: 'A first mark for an attempt at a module assignment, 0-100; provisional until ratified.',
  schema: z.object({
    moduleCode: ModuleCode,
    attempt: Attempt,
    marker: StaffRef,
    mark: Mark,
    markedOn: IsoDate,
  }),
  upcasters: {
    // Version 1 (the first pilot) had no attempts and named the marker by a bare id.
    1: (v1) => {
      const { markerId, ...rest } = v1 as { markerId: string } & Record<string, unknown>;
      return { ...rest, attempt: 1, marker: { id: markerId } };
    },
  },
});

export const MarkModerated = defineEvent({
  type: 'MarkModerated',
  family,
  description: 'A second marker moderated a mark; the moderated mark replaces it in the chain.',
  schema: z.object({
    markEventId: Id,
    moduleCode: ModuleCode,
    attempt: Attempt,
    moderator: StaffRef,
    previousMark: Mark,
    moderatedMark: Mark,
    moderatedOn: IsoDate,
    note: Paragraph(2000).optional(),
  }),
});

export const MarkCorrected = defineEvent({
  type: 'MarkCorrected',
  family,
  description: 'An admin corrected a mark: names the mark event it corrects, why, and who authorised it.',
  schema: z.object({
    correctsEventId: Id,
    moduleCode: ModuleCode,
    attempt: Attempt,
    previousMark: Mark,
    correctedMark: Mark,
    reason: Reason,
    authorisedBy: StaffRef,
  }),
});

export const ResubmissionPermitted = defineEvent({
  type: 'ResubmissionPermitted',
  family,
  description: 'A failed attempt may be resubmitted once; the new attempt is capped at the pass mark.',
  schema: z.object({
    moduleCode: ModuleCode,
    attempt: Attempt.describe('the new attempt number'),
    capAt: Mark.nullable(),
    deadline: IsoDate.nullable(),
    permittedBy: StaffRef,
  }),
});

export const MarksRatified = defineEvent({
  type: 'MarksRatified',
  family,
  description: 'An exam board ratified these marks, each named by the last event of its mark chain.',
  schema: z.object({
    examBoardId: Code,
    boardDate: IsoDate,
    marks: z
      .array(
        z.object({
          moduleCode: ModuleCode,
          attempt: Attempt,
          mark: Mark,
          chainHeadEventId: Id,
        }),
      )
      .min(1, 'an exam board ratifies at least one mark'),
  }),
});

export const PortfolioCompleted = defineEvent({
  type: 'PortfolioCompleted',
  family,
  description: 'A portfolio or log the specification requires was completed and accepted by a tutor.',
  schema: z.object({
    portfolio: Code.describe('a portfolio code from the specification, e.g. pdp'),
    completedOn: IsoDate,
    assessedBy: StaffRef,
  }),
});

export const VivaHeld = defineEvent({
  type: 'VivaHeld',
  family,
  description: 'A viva voce on the Professional Development Portfolio (seed 002: exit review of outcomes).',
  schema: z.object({
    heldOn: IsoDate,
    outcome: z.enum(['pass', 'fail', 'referred']),
    examiners: z.array(StaffRef).min(1),
    notes: Reason.optional(),
  }),
});

export const assessmentEvents = [
  AssignmentSubmitted,
  AssignmentMarked,
  MarkModerated,
  MarkCorrected,
  ResubmissionPermitted,
  MarksRatified,
  PortfolioCompleted,
  VivaHeld,
] as const;
