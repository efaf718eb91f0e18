import type { z } from 'zod';
import type { StudentRecord } from '../domain/student-record.ts';
import { notFound } from '../errors.ts';
import { cohortMembers } from './cohort-register.ts';
import type { Ledger } from './ledger.ts';
import type { VisitsView } from './staff-views-schema.ts';

// Partner-school visits across a cohort: per student and module, the days recorded against the module's
// requirement (each visit counts as a day, as the partner-school rule counts them), and the hours.
// Modules replaced by an approved APL/RPL claim need no visits (the rule leaves them out too).

export function cohortVisits(
  ledger: Ledger,
  cohortId: string,
  nameOf: (record: StudentRecord) => string | null,
): z.infer<typeof VisitsView> {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const spec = ledger.reference.specification(cohort.programmeId, cohort.specVersion);
  const students = cohortMembers(ledger, cohortId, nameOf).map(({ record, student }) => {
    const apl = Object.keys(record.aplClaims).length
      ? new Set(
          (ledger.queries.credits(record.studentId)?.modules ?? [])
            .filter((m) => m.status === 'apl-approved')
            .map((m) => m.moduleCode),
        )
      : new Set<string>();
    const modules = spec.modules.map((m) => {
      const visits = record.visits.filter((v) => v.moduleCode === m.code);
      return {
        moduleCode: m.code,
        days: visits.length,
        hours: visits.reduce((sum, v) => sum + v.hours, 0),
        required: apl.has(m.code) ? 0 : m.partnerSchoolDays,
        replacedByApl: apl.has(m.code),
      };
    });
    return {
      ...student,
      modules,
      visits: record.visits.map((v) => ({
        moduleCode: v.moduleCode,
        visitedOn: v.visitedOn,
        phase: v.phase,
        hours: v.hours,
        eventId: v.ref.eventId,
      })),
    };
  });
  return {
    cohort: {
      cohortId: cohort.cohortId,
      name: cohort.name,
      programmeId: spec.programmeId,
      specVersion: spec.version,
    },
    requirement: {
      totalDays: spec.partnerSchool.totalDays,
      source: spec.partnerSchool.source,
      modules: spec.modules.map((m) => ({ moduleCode: m.code, title: m.title, days: m.partnerSchoolDays })),
    },
    students,
  };
}
