import { z } from 'zod';
import type { VerifyReport } from '../../store/port.ts';
import type { Describes } from '../json.ts';
import type { QuerySources } from './sources.ts';

// The service itself: is it following the log, and is the log intact.

export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not-ready']),
  store: z.string(),
  headPosition: z.bigint(),
  projectionCheckpoint: z.bigint(),
});

export async function readiness(sources: QuerySources): Promise<z.infer<typeof ReadinessSchema>> {
  const ready = sources.runner.healthy;
  return {
    status: ready ? 'ready' : 'not-ready',
    store: sources.store.name,
    headPosition: await sources.store.headPosition(),
    projectionCheckpoint: sources.projections.checkpoint,
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
