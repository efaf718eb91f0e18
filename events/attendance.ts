import { z } from 'zod';
import { Code, IsoDate, ModuleCode, Paragraph, Reason } from './common.ts';
import { defineEvent } from './define.ts';

// WebEx sessions and facilitated (taught) days. seed 004 Q5: strict 100% WebEx attendance, and an
// absence must be reported; a catch-up completes the requirement after a reported absence.

const family = 'attendance';

export const WebexSessionAttended = defineEvent({
  type: 'WebexSessionAttended',
  family,
  description: 'The student attended a module WebEx session.',
  schema: z.object({ sessionId: Code, moduleCode: ModuleCode, attendedOn: IsoDate }),
});

export const WebexAbsenceReported = defineEvent({
  type: 'WebexAbsenceReported',
  family,
  description: 'The student reported an absence from a WebEx session, with the reason.',
  schema: z.object({ sessionId: Code, moduleCode: ModuleCode, reason: Reason, reportedOn: IsoDate }),
});

export const WebexAbsenceDecided = defineEvent({
  type: 'WebexAbsenceDecided',
  family,
  description:
    'Registry decided whether a reported WebEx absence is authorised (where the programme lets only an authorised absence be caught up).',
  schema: z.object({
    sessionId: Code,
    moduleCode: ModuleCode,
    decision: z.enum(['authorised', 'not-authorised']),
    decidedOn: IsoDate,
    reason: Reason,
  }),
});

export const WebexCatchUpCompleted = defineEvent({
  type: 'WebexCatchUpCompleted',
  family,
  description: 'The student completed the catch-up for a missed WebEx session.',
  schema: z.object({
    sessionId: Code,
    moduleCode: ModuleCode,
    completedOn: IsoDate,
    how: Paragraph(500, { min: 3 }),
  }),
});

export const FacilitatedDayAttended = defineEvent({
  type: 'FacilitatedDayAttended',
  family,
  description: 'The student attended a facilitated (taught) day, face to face or online.',
  schema: z.object({
    sessionId: Code,
    attendedOn: IsoDate,
    mode: z.enum(['face-to-face', 'online']),
  }),
});

export const attendanceEvents = [
  WebexSessionAttended,
  WebexAbsenceReported,
  WebexAbsenceDecided,
  WebexCatchUpCompleted,
  FacilitatedDayAttended,
] as const;
