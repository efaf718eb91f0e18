import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ProgrammeSpecification } from '../domain/programmes/schema.ts';
import type { EventStore } from '../store/port.ts';
import type { LiveProjections } from './live-projections.ts';

// Snapshots of the live projections with their checkpoint, so a restart resumes from where it stopped
// rather than from the start of the log (that matters most on EventStoreDB, where a rebuild reads every
// event over the network). A snapshot is only trusted if it was made from this very log: the hash of the
// event at its checkpoint must match; and only by the same projection code (PROJECTION_FORMAT).

/** Bump whenever the shape of a projection's state or the fold changes: old snapshots are then ignored. */
export const PROJECTION_FORMAT = 1;

interface SnapshotFile {
  format: number;
  checkpoint: bigint;
  checkpointHash: string;
  eventsApplied: number;
  savedAt: string;
  state: Pick<LiveProjections, 'students' | 'cohorts' | 'eligibility'>;
  publishedSpecifications: ProgrammeSpecification[];
}

export async function saveSnapshot(
  path: string,
  projections: LiveProjections,
  store: EventStore,
): Promise<boolean> {
  if (projections.checkpoint === 0n) return false;
  const [atCheckpoint] = await store.readAll({ after: projections.checkpoint - 1n, maxCount: 1 });
  if (!atCheckpoint || atCheckpoint.position !== projections.checkpoint) return false;
  const file: SnapshotFile = {
    format: PROJECTION_FORMAT,
    checkpoint: projections.checkpoint,
    checkpointHash: atCheckpoint.hash,
    eventsApplied: projections.eventsApplied,
    savedAt: new Date().toISOString(),
    state: {
      students: projections.students,
      cohorts: projections.cohorts,
      eligibility: projections.eligibility,
    },
    publishedSpecifications: projections.published,
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, serialize(file));
  renameSync(temporary, path); // atomic on one filesystem: a crash leaves the old snapshot or the new one
  return true;
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
  let file: SnapshotFile;
  try {
    file = deserialize(readFileSync(path)) as SnapshotFile;
  } catch (error) {
    return { loaded: false, reason: `snapshot unreadable (${(error as Error).message})` };
  }
  if (file.format !== PROJECTION_FORMAT)
    return { loaded: false, reason: `snapshot format ${file.format}, expected ${PROJECTION_FORMAT}` };
  const [atCheckpoint] = await store.readAll({ after: file.checkpoint - 1n, maxCount: 1 });
  if (!atCheckpoint || atCheckpoint.position !== file.checkpoint || atCheckpoint.hash !== file.checkpointHash)
    return { loaded: false, reason: 'snapshot was not made from this log' };
  for (const spec of file.publishedSpecifications) projections.reference.addSpecification(spec, 'snapshot');
  projections.published = file.publishedSpecifications;
  projections.students = file.state.students;
  projections.cohorts = file.state.cohorts;
  projections.eligibility = file.state.eligibility;
  projections.checkpoint = file.checkpoint;
  projections.eventsApplied = file.eventsApplied;
  return { loaded: true, checkpoint: file.checkpoint, eventsApplied: file.eventsApplied };
}
