import { students } from '../../../projections/index.ts';
import type { StudentRecord } from '../../domain/student-record.ts';
import { notFound } from '../../errors.ts';
import { unseal } from '../../privacy/seal.ts';
import type { QuerySources } from './sources.ts';

// Student records as the students projection holds them, and their sealed personal details.

export function findRecord(sources: QuerySources, studentId: string): StudentRecord | undefined {
  return sources.projections.state(students).records.get(`student-${studentId}`);
}

export function record(sources: QuerySources, studentId: string): StudentRecord {
  const found = findRecord(sources, studentId);
  if (!found) throw notFound('unknown_student', `there is no student ${studentId}`, { studentId });
  return found;
}

/** Every record, or those enrolled on one cohort. */
export function* records(sources: QuerySources, cohortId?: string): Generator<StudentRecord> {
  for (const r of sources.projections.state(students).records.values())
    if (!cohortId || r.enrolment?.cohortId === cohortId) yield r;
}

/** The details in clear, or null once erased (src/privacy/erasure.ts) or for a record with no application. */
export function personalDetails(sources: QuerySources, r: StudentRecord) {
  if (!r.application || r.erasure) return null; // erased, whether or not this process still finds the key
  const details = unseal(sources.keys, r.application.personal);
  const legacy = r.application.legacySchool;
  return details && !details.school && legacy ? { ...details, school: legacy } : details;
}
