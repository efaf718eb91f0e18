import { z } from 'zod';
import { type AnchoredReport, checkAnchors, checkpointSummary, verifyAnchored } from '../store/anchor.ts';
import { type Checkpoint, type CheckpointBook, CheckpointRecord } from '../store/checkpoints.ts';
import type { Describes } from './json.ts';
import type { Ledger } from './ledger.ts';
import { VerifyReportSchema } from './queries/service.ts';

// The log's signed checkpoints (src/store/checkpoints.ts, src/store/anchor.ts) as the API and the command
// line use them: the log verified against them, the list of them, and one written by hand.

export type { CheckpointBook };

export const CheckpointSummarySchema = CheckpointRecord.pick({
  count: true,
  position: true,
  digest: true,
  writtenAt: true,
  reason: true,
  keyId: true,
}).extend({ source: z.string().describe('its file name, or "keys database" when only that copy was left') });
const _summary: Describes<
  z.output<typeof CheckpointSummarySchema>,
  ReturnType<typeof checkpointSummary>
> = true;

export const AnchoredReportSchema = VerifyReportSchema.extend({
  checkpoints: z
    .object({
      ok: z.boolean(),
      problem: z.string().nullable(),
      checked: z.number(),
      latest: CheckpointSummarySchema.nullable(),
      matched: CheckpointSummarySchema.nullable(),
      events: z.number(),
      logDigest: z.string(),
    })
    .nullable()
    .describe('the log against its signed checkpoints; null where none are kept (the memory store)'),
});
const _anchored: Describes<z.output<typeof AnchoredReportSchema>, AnchoredReport> = true;

/** The hash chain walked, then the log checked against its checkpoints; ok only if both are. */
export function verifyLedger(
  ledger: Ledger,
  book: CheckpointBook | null,
  options: { onProgress?: (eventsChecked: number) => void; elsewhere?: string[] } = {},
): Promise<AnchoredReport> {
  return verifyAnchored(ledger.store, book, options);
}

export const CheckpointListSchema = z.object({
  kept: z.boolean(),
  keyId: z.string().optional(),
  publicKey: z.string().optional().describe('SPKI DER in base64: enough to check the signatures anywhere'),
  checkpoints: z.array(CheckpointRecord.extend({ source: z.string() })),
  problems: z.array(z.string()),
  reason: z.string().optional(),
});
const _checkpoint: Describes<z.output<typeof CheckpointListSchema>['checkpoints'][number], Checkpoint> = true;

/** Every good checkpoint (oldest first), the files that are not, and the public key. */
export function listCheckpoints(book: CheckpointBook | null): z.infer<typeof CheckpointListSchema> {
  if (!book) return { kept: false, checkpoints: [], problems: [], reason: 'the memory store keeps nothing' };
  const { checkpoints, problems } = book.list();
  return { kept: true, ...book.publicKey(), checkpoints, problems };
}

/** Signs a checkpoint of the log as it stands, if the log still matches every earlier one. */
export async function writeCheckpoint(
  ledger: Ledger,
  book: CheckpointBook,
  reason: string,
): Promise<{ ok: true; checkpoint: Checkpoint } | { ok: false; problem: string }> {
  const anchor = await checkAnchors(ledger.store, book);
  if (!anchor.ok)
    return { ok: false, problem: anchor.problem ?? 'the log no longer matches its checkpoints' };
  const at = { count: anchor.running.count, position: anchor.running.position, digest: anchor.digest };
  return { ok: true, checkpoint: book.write(at, reason) };
}

export { checkpointSummary };
