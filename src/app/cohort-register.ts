import type { z } from 'zod';
import { students } from '../../projections/index.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { notFound } from '../errors.ts';
import type { Ledger } from './ledger.ts';
import type { RegisterView } from './staff-views-schema.ts';

// A cohort's register, built on the server from the live records of its members in one pass (never a
// request per student): the sessions (WebEx sessions and facilitated days) by students, each cell what
// was recorded and when, and the reported WebEx absences still waiting for their catch-up (seed 004 Q5:
// an absence must be reported; the catch-up completes the session).

export type Attendance =
  | { state: 'attended'; on: string; eventId: string }
  | { state: 'absence-reported'; reason: string; reportedOn: string; eventId: string }
  | { state: 'caught-up'; reason: string; reportedOn: string; on: string; eventId: string };

export interface RegisterSession {
  sessionId: string;
  kind: 'webex' | 'facilitated-day' | 'session' | 'activity';
  moduleCode: string | null;
  date: string | null;
  /** false for a session recorded on a student but not in the cohort's own list. */
  planned: boolean;
}

export interface StudentStanding {
  studentId: string;
  name: string | null;
  status: 'applied' | 'enrolled' | 'interrupted' | 'withdrawn' | 'awarded';
}

export const dateOf = (occurredAt: string) => occurredAt.slice(0, 10);

export function standingOf(record: StudentRecord): StudentStanding['status'] {
  if (record.withdrawal) return 'withdrawn';
  if (record.interruption) return 'interrupted';
  if (record.awards.some((a) => !a.withdrawn)) return 'awarded';
  return record.enrolment ? 'enrolled' : 'applied';
}

/** The cohort's members' records, sorted by name (then id), with the names this reader may see. */
export function cohortMembers(
  ledger: Ledger,
  cohortId: string,
  nameOf: (record: StudentRecord) => string | null,
): { record: StudentRecord; student: StudentStanding }[] {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const out: { record: StudentRecord; student: StudentStanding }[] = [];
  for (const streamId of cohort.members) {
    const record = ledger.projections.state(students).records.get(streamId);
    if (!record) continue;
    out.push({
      record,
      student: { studentId: record.studentId, name: nameOf(record), status: standingOf(record) },
    });
  }
  return out.sort((a, b) => {
    const x = a.student.name ?? a.student.studentId;
    const y = b.student.name ?? b.student.studentId;
    return x.localeCompare(y, 'en-GB') || (a.student.studentId < b.student.studentId ? -1 : 1);
  });
}

export function cohortRegister(
  ledger: Ledger,
  cohortId: string,
  nameOf: (record: StudentRecord) => string | null,
): z.infer<typeof RegisterView> {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const spec = ledger.reference.findSpecification(cohort.programmeId, cohort.specVersion);
  const members = cohortMembers(ledger, cohortId, nameOf);
  const sessions = new Map<string, RegisterSession>(
    cohort.sessions.map((s) => [s.sessionId, { ...s, planned: true }]),
  );
  const catchUps: {
    studentId: string;
    sessionId: string;
    moduleCode: string;
    reason: string;
    reportedOn: string;
    eventId: string;
  }[] = [];
  const students = members.map(({ record, student }) => {
    const attendance: Record<string, Attendance> = {};
    for (const [sessionId, w] of Object.entries(record.webex)) {
      if (!sessions.has(sessionId))
        sessions.set(sessionId, {
          sessionId,
          kind: 'webex',
          moduleCode: w.moduleCode,
          date: null,
          planned: false,
        });
      if (w.attended)
        attendance[sessionId] = {
          state: 'attended',
          on: dateOf(w.attended.occurredAt),
          eventId: w.attended.eventId,
        };
      else if (w.absence && w.catchUp)
        attendance[sessionId] = {
          state: 'caught-up',
          reason: w.absence.reason,
          reportedOn: dateOf(w.absence.ref.occurredAt),
          on: dateOf(w.catchUp.occurredAt),
          eventId: w.catchUp.eventId,
        };
      else if (w.absence) {
        const reportedOn = dateOf(w.absence.ref.occurredAt);
        attendance[sessionId] = {
          state: 'absence-reported',
          reason: w.absence.reason,
          reportedOn,
          eventId: w.absence.ref.eventId,
        };
        if (student.status !== 'withdrawn')
          catchUps.push({
            studentId: record.studentId,
            sessionId,
            moduleCode: w.moduleCode,
            reason: w.absence.reason,
            reportedOn,
            eventId: w.absence.ref.eventId,
          });
      }
    }
    for (const [sessionId, d] of Object.entries(record.facilitatedDays)) {
      if (!sessions.has(sessionId))
        sessions.set(sessionId, {
          sessionId,
          kind: 'facilitated-day',
          moduleCode: null,
          date: null,
          planned: false,
        });
      attendance[sessionId] = { state: 'attended', on: d.attendedOn, eventId: d.ref.eventId };
    }
    // sessions and activities a participation threshold counts (recorded with record-participation)
    for (const [sessionId, p] of Object.entries(record.participation)) {
      if (!sessions.has(sessionId))
        sessions.set(sessionId, { sessionId, kind: p.kind, moduleCode: null, date: null, planned: false });
      attendance[sessionId] = { state: 'attended', on: p.participatedOn, eventId: p.ref.eventId };
    }
    return { ...student, attendance };
  });
  return {
    cohort: {
      cohortId: cohort.cohortId,
      name: cohort.name,
      programmeId: cohort.programmeId,
      specVersion: cohort.specVersion,
      startsOn: cohort.startsOn,
    },
    rules: spec
      ? {
          webex: spec.attendance.webexRule,
          absenceMustBeReported: spec.attendance.absenceMustBeReported,
          catchUpAfterReportedAbsence: spec.attendance.catchUpFor !== 'none',
          catchUpFor: spec.attendance.catchUpFor,
          facilitatedDaysRequired: spec.attendance.facilitatedDaysRequired,
          source: spec.attendance.source,
        }
      : null,
    sessions: [...sessions.values()].sort(
      (a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999') || a.sessionId.localeCompare(b.sessionId),
    ),
    students,
    catchUps,
  };
}
