import {
  FacilitatedDayAttended,
  WebexAbsenceDecided,
  WebexAbsenceReported,
  WebexCatchUpCompleted,
  WebexSessionAttended,
} from '../../../events/attendance.ts';
import {
  AssessmentResultRecorded,
  AssessmentSat,
  SessionParticipationRecorded,
} from '../../../events/participation.ts';
import { PartnerSchoolVisitRecorded } from '../../../events/visits.ts';
import type { CommandDefinition } from './definition.ts';

// What a student attended or took part in: WebEx sessions and absences, facilitated days, partner-school
// visits, and the NPQ's sessions and pass/fail assessments sat in a window.
export const participationCommands = {
  recordWebexAttendance: {
    roles: ['tutor'],
    summary: 'Record WebEx attendance',
    schema: WebexSessionAttended.schema,
  },
  reportWebexAbsence: {
    roles: ['tutor'],
    summary: 'Record a reported WebEx absence and its reason',
    schema: WebexAbsenceReported.schema,
  },
  decideWebexAbsence: {
    roles: ['registry'],
    summary:
      'Authorise a reported WebEx absence, or not (seed 004 Q5: only an authorised absence may be caught up where the programme says so)',
    schema: WebexAbsenceDecided.schema,
  },
  completeWebexCatchUp: {
    roles: ['tutor'],
    summary: 'Record the catch-up after a reported absence',
    schema: WebexCatchUpCompleted.schema,
  },
  recordFacilitatedDay: {
    roles: ['tutor'],
    summary: 'Record attendance at a facilitated day',
    schema: FacilitatedDayAttended.schema,
  },
  recordPartnerSchoolVisit: {
    roles: ['tutor'],
    summary: 'Record a partner-school visit',
    schema: PartnerSchoolVisitRecorded.schema,
  },
  recordParticipation: {
    roles: ['tutor'],
    summary:
      "Record that the student took part in one of the cohort's sessions or activities (a participation threshold counts them)",
    schema: SessionParticipationRecorded.schema.omit({ kind: true }),
  },
  sitAssessment: {
    roles: ['tutor'],
    summary:
      "Record an assessment sat and handed in within one of the cohort's windows (refused below the participation threshold)",
    schema: AssessmentSat.schema.pick({ moduleCode: true, attempt: true, windowId: true, submittedOn: true }),
  },
  recordAssessmentResult: {
    roles: ['tutor'],
    summary: 'Record the result of a pass/fail assessment (provisional until the board confirms it)',
    schema: AssessmentResultRecorded.schema.omit({ assessor: true }),
  },
} as const satisfies Record<string, CommandDefinition>;
