import type { LedgerEvent } from '../events/index.ts';
import { applyEvent, emptyRecord, type StudentRecord } from '../src/domain/student-record.ts';

// Every student's record, folded from their stream: the base read model the eligibility, credits,
// deadlines and cohort views are computed from. Records are mutated in place (see student-record.ts).

export interface StudentsState {
  records: Map<string, StudentRecord>;
}

export const initialStudents = (): StudentsState => ({ records: new Map() });

export function isStudentStream(streamId: string): boolean {
  return streamId.startsWith('student-');
}

export function applyToStudents(state: StudentsState, event: LedgerEvent): StudentRecord | null {
  if (!isStudentStream(event.streamId)) return null;
  let record = state.records.get(event.streamId);
  if (!record) {
    record = emptyRecord(event.streamId);
    state.records.set(event.streamId, record);
  }
  applyEvent(record, event);
  return record;
}
