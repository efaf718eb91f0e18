import { allEventDefinitions, type EventType } from '../events/index.ts';
import { applyEvent, emptyRecord, type StudentRecord, TABLE_FIELDS } from '../src/domain/student-record.ts';
import type { Projection } from './projection.ts';

// Every student's record, folded from their stream: the base read model the eligibility, credits,
// deadlines and cohort views are computed from. Records are mutated in place (see student-record.ts).

export interface StudentsState {
  records: Map<string, StudentRecord>;
}

export function isStudentStream(streamId: string): boolean {
  return streamId.startsWith('student-');
}

/** Every fact about a student: all but the cohort and programme families, which have streams of their own. */
const STUDENT_EVENTS: EventType[] = allEventDefinitions
  .filter((d) => d.family !== 'cohort' && d.family !== 'programme')
  .map((d) => d.type);

/** How many records travel in one snapshot chunk: one chunk's bytes are held at a time, not all. */
const RECORDS_A_CHUNK = 500;

// A record's hash tables travel as Maps: V8 rebuilds a Map quickly, while a plain object with thousands of
// distinct keys took seconds to deserialise (a new hidden class per key) and twice the heap.
type PortableRecord = Omit<StudentRecord, (typeof TABLE_FIELDS)[number]> &
  Record<(typeof TABLE_FIELDS)[number], Map<string, unknown>>;

function portable(record: StudentRecord): PortableRecord {
  const out: Record<string, unknown> = { ...record };
  for (const field of TABLE_FIELDS) out[field] = new Map(Object.entries(record[field]));
  return out as PortableRecord;
}

function restored(record: PortableRecord): StudentRecord {
  const out: Record<string, unknown> = record;
  for (const field of TABLE_FIELDS) {
    const table = Object.create(null);
    for (const [key, value] of record[field]) table[key] = value;
    out[field] = table;
  }
  return out as unknown as StudentRecord;
}

export const students: Projection<StudentsState> = {
  name: 'students',
  // 2: a module attempt carries its resubmission deadline; 3: the school's name sealed with the personal
  // details (an application recorded before keeps it as legacySchool); 4: participation, windows, pass/fail
  // results, interruptions, authorised absences, the award's kind and duty; 5: exam-board outcomes,
  // mitigating-circumstances claims, an attempt's mark date, deferral and board outcome
  version: 5,
  handles: STUDENT_EVENTS,
  initial: () => ({ records: new Map() }),
  apply(state, event) {
    if (!isStudentStream(event.streamId)) return;
    let record = state.records.get(event.streamId);
    if (!record) {
      record = emptyRecord(event.streamId);
      state.records.set(event.streamId, record);
    }
    applyEvent(record, event);
  },
  snapshot: {
    *save(state) {
      const records = [...state.records.values()];
      for (let i = 0; i < records.length; i += RECORDS_A_CHUNK)
        yield records.slice(i, i + RECORDS_A_CHUNK).map(portable);
    },
    load(chunks, { share }) {
      const records = new Map<string, StudentRecord>();
      for (const chunk of chunks)
        for (const record of chunk as PortableRecord[]) {
          const r = restored(record);
          share(r);
          records.set(r.streamId, r);
        }
      return { records };
    },
  },
};
