import { z } from 'zod';
import type { VerifyReport } from '../../store/port.ts';
import type { WriteHealthReport } from '../../store/storage-errors.ts';
import type { Describes } from '../json.ts';
import type { QuerySources } from './sources.ts';

// The service itself: is it following the log and able to write, and is the log intact.

export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not-ready']),
  store: z.string(),
  headPosition: z.bigint().nullable().describe('null when the store could not be read'),
  projectionCheckpoint: z.bigint(),
  projectionsFollowing: z.boolean(),
  writable: z.boolean().describe('writes to the log and the keys succeed (a full or failing disk: not)'),
  writeFailure: z.object({ code: z.string(), message: z.string(), since: z.string() }).optional(),
  storeError: z.string().optional(),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

function writeHealthOf(store: unknown): WriteHealthReport {
  const s = store as { writeHealth?: () => WriteHealthReport };
  return typeof s.writeHealth === 'function' ? s.writeHealth() : { writable: true, failure: null };
}

/**
 * Ready while the projections follow the store and writes to the log and the keys succeed (an
 * application or an erasure writes both). A full or failing disk makes it not ready until a write goes
 * through again, which the store tries by itself on each check (src/store/storage-errors.ts).
 */
export async function readiness(sources: QuerySources): Promise<Readiness> {
  const log = writeHealthOf(sources.store);
  const keys = writeHealthOf(sources.keys);
  const writes = log.writable ? keys : log;
  let head: bigint | null = null;
  let storeError: string | null = null;
  try {
    head = await sources.store.headPosition();
  } catch (error) {
    storeError = (error as Error).message;
  }
  const ready = sources.runner.healthy && writes.writable && storeError === null;
  return {
    status: ready ? 'ready' : 'not-ready',
    store: sources.store.name,
    headPosition: head,
    projectionCheckpoint: sources.projections.checkpoint,
    projectionsFollowing: sources.runner.healthy,
    writable: writes.writable,
    ...(writes.failure ? { writeFailure: writes.failure } : {}),
    ...(storeError ? { storeError } : {}),
  };
}

export const VerifyReportSchema = z.object({
  ok: z.boolean(),
  eventsChecked: z.number(),
  streamsChecked: z.number(),
  broken: z
    .object({
      streamId: z.string(),
      revision: z.bigint(),
      position: z.bigint(),
      eventId: z.string(),
      reason: z.string(),
    })
    .nullable()
    .describe('the first broken link in global order, if any'),
  headDigest: z
    .string()
    .describe(
      "a digest of every stream's head hash: record it (e.g. in exam-board minutes) to anchor the log",
    ),
});
const _verify: Describes<z.output<typeof VerifyReportSchema>, VerifyReport> = true;
