import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import { type StudentRecord, TABLE_FIELDS } from '../domain/student-record.ts';
import type { EventStore } from '../store/port.ts';
import type { LiveProjections } from './live-projections.ts';

// Snapshots of the live projections with their checkpoint, so a restart resumes from where it stopped
// rather than from the start of the log (that matters most on EventStoreDB, where a rebuild reads every
// event over the network). A snapshot is only trusted if it was made from this very log: the hash of the
// event at its checkpoint must match; and only by the same projection code (PROJECTION_FORMAT).
//
// The file is a run of v8-serialised chunks, each after its length (4 bytes): a header (checkpoint,
// cohorts, review flags, published specifications), then the student records RECORDS_A_CHUNK at a time,
// so saving or loading a million events' projections holds one chunk's bytes at a time, not all of them.
// A record's hash tables travel as Maps: V8 rebuilds a Map quickly, while a plain object with thousands
// of distinct keys took seconds to deserialise (a new hidden class per key) and twice the heap.

/** Bump whenever the shape of a projection's state, the fold or the file layout changes: old snapshots are then ignored. */
export const PROJECTION_FORMAT = 4; // 4: board outcomes, claims and attempt fields on the record; boards with examiners

const RECORDS_A_CHUNK = 500;

interface SnapshotHeader {
  format: number;
  checkpoint: bigint;
  checkpointHash: string;
  eventsApplied: number;
  savedAt: string;
  cohorts: LiveProjections['cohorts'];
  eligibility: LiveProjections['eligibility'];
  publishedSpecifications: ProgrammeSpecification[];
  studentRecords: number;
}

type PortableRecord = Omit<StudentRecord, (typeof TABLE_FIELDS)[number]> &
  Record<(typeof TABLE_FIELDS)[number], Map<string, unknown>>;

function portable(record: StudentRecord): PortableRecord {
  const out: Record<string, unknown> = { ...record };
  for (const field of TABLE_FIELDS) out[field] = new Map(Object.entries(record[field]));
  return out as PortableRecord;
}

function restored(record: PortableRecord, strings: SharedStrings): StudentRecord {
  const out: Record<string, unknown> = record;
  for (const field of TABLE_FIELDS) {
    const table = Object.create(null);
    for (const [key, value] of record[field]) table[key] = value;
    out[field] = table;
  }
  strings.shareWithin(out);
  return out as unknown as StudentRecord;
}

/**
 * v8 deserialisation gives every occurrence of a string its own copy, where the rebuilt state shares one
 * (a day's date, an instant, an actor, an event type, an event id named from several places): at a
 * million events the copies took the heap past 1 GiB. After loading, each record's short strings are
 * swapped for one shared copy. Bounded like the store's own sharing: past LIMIT it starts again.
 */
class SharedStrings {
  private static readonly LIMIT = 200_000;
  private static readonly LONGEST = 40;
  private readonly known = new Map<string, string>();

  private of(value: string): string {
    if (value.length > SharedStrings.LONGEST) return value;
    const known = this.known.get(value);
    if (known !== undefined) return known;
    if (this.known.size >= SharedStrings.LIMIT) this.known.clear();
    this.known.set(value, value);
    return value;
  }

  shareWithin(value: object): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (typeof v === 'string') value[i] = this.of(v);
        else if (typeof v === 'object' && v !== null) this.shareWithin(v);
      }
      return;
    }
    const target = value as Record<string, unknown>;
    for (const key in target) {
      const v = target[key];
      if (typeof v === 'string') target[key] = this.of(v);
      else if (typeof v === 'object' && v !== null) this.shareWithin(v);
    }
  }
}

export async function saveSnapshot(
  path: string,
  projections: LiveProjections,
  store: EventStore,
): Promise<boolean> {
  if (projections.checkpoint === 0n) return false;
  const [atCheckpoint] = await store.readAll({ after: projections.checkpoint - 1n, maxCount: 1 });
  if (!atCheckpoint || atCheckpoint.position !== projections.checkpoint) return false;
  const records = [...projections.students.records.values()];
  const header: SnapshotHeader = {
    format: PROJECTION_FORMAT,
    checkpoint: projections.checkpoint,
    checkpointHash: atCheckpoint.hash,
    eventsApplied: projections.eventsApplied,
    savedAt: new Date().toISOString(),
    cohorts: projections.cohorts,
    eligibility: projections.eligibility,
    publishedSpecifications: projections.published,
    studentRecords: records.length,
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const write = (value: unknown) => {
      const bytes = serialize(value);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      writeSync(fd, length);
      writeSync(fd, bytes);
    };
    write(header);
    for (let i = 0; i < records.length; i += RECORDS_A_CHUNK)
      write(records.slice(i, i + RECORDS_A_CHUNK).map(portable));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path); // atomic on one filesystem: a crash leaves the old snapshot or the new one
  return true;
}

/** Reads the file's chunks in order, one at a time. */
function* chunks(path: string): Generator<unknown> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Buffer.alloc(4);
    for (let at = 0; readSync(fd, length, 0, 4, null) === 4; ) {
      at += 4 + length.readUInt32BE();
      if (at > size) throw new Error('not a snapshot of this layout, or cut short');
      const bytes = Buffer.allocUnsafe(length.readUInt32BE());
      readSync(fd, bytes, 0, bytes.length, null);
      yield deserialize(bytes);
    }
  } finally {
    closeSync(fd);
  }
}

export type SnapshotLoad =
  | { loaded: true; checkpoint: bigint; eventsApplied: number }
  | { loaded: false; reason: string };

/** Restores the projections from a snapshot if it is trustworthy for this log; otherwise leaves them empty. */
export async function loadSnapshot(
  path: string,
  projections: LiveProjections,
  store: EventStore,
): Promise<SnapshotLoad> {
  if (!existsSync(path)) return { loaded: false, reason: 'no snapshot yet' };
  const reader = chunks(path);
  try {
    return await restore(reader, projections, store);
  } finally {
    reader.return(undefined); // closes the file however the reading ended
  }
}

async function restore(
  reader: Generator<unknown>,
  projections: LiveProjections,
  store: EventStore,
): Promise<SnapshotLoad> {
  let header: SnapshotHeader;
  try {
    header = reader.next().value as SnapshotHeader;
  } catch (error) {
    return { loaded: false, reason: `snapshot unreadable (${(error as Error).message})` };
  }
  if (header?.format !== PROJECTION_FORMAT)
    return { loaded: false, reason: `snapshot format ${header?.format}, expected ${PROJECTION_FORMAT}` };
  const [atCheckpoint] = await store.readAll({ after: header.checkpoint - 1n, maxCount: 1 });
  if (
    !atCheckpoint ||
    atCheckpoint.position !== header.checkpoint ||
    atCheckpoint.hash !== header.checkpointHash
  )
    return { loaded: false, reason: 'snapshot was not made from this log' };
  const records = new Map<string, StudentRecord>();
  const strings = new SharedStrings();
  try {
    for (const chunk of reader)
      for (const record of chunk as PortableRecord[]) records.set(record.streamId, restored(record, strings));
  } catch (error) {
    return { loaded: false, reason: `snapshot unreadable (${(error as Error).message})` };
  }
  if (records.size !== header.studentRecords)
    return { loaded: false, reason: 'snapshot unreadable (student records are missing)' };
  for (const spec of header.publishedSpecifications) projections.reference.addSpecification(spec, 'snapshot');
  projections.published = header.publishedSpecifications;
  projections.students = { records };
  projections.cohorts = header.cohorts;
  projections.eligibility = header.eligibility;
  projections.checkpoint = header.checkpoint;
  projections.eventsApplied = header.eventsApplied;
  return { loaded: true, checkpoint: header.checkpoint, eventsApplied: header.eventsApplied };
}
