import type { DeletionKind } from './failures.ts';

// How a deleted stream shows in $all, where the adapter looks for it. EventStoreDB deletes in two ways:
// - a soft delete writes the stream's metadata (a `$metadata` event in `$$stream`) with `$tb`
//   ("truncate before") = 2^63 - 1: the stream then reads as not found, but its events stay in $all
//   until a scavenge. An append afterwards recreates the stream with its revisions CONTINUING after the
//   old ones, and EventStoreDB rewrites `$tb` to the first new revision, so the old events stay hidden;
// - a tombstone (hard delete) writes a `$streamDeleted` event into the stream itself: every later read
//   or write of the stream is refused with StreamDeleted.
// Either way the ledger's record has lost events, so a stream with a `$tb` above 0, or a tombstone, is
// treated as deleted. (Metadata rewritten without `$tb` makes the old events visible again.)

export interface StreamDeletion {
  how: DeletionKind;
  /** The first revision still visible (soft delete: none; truncated: `$tb`; tombstone: none). */
  visibleFrom: bigint | null;
  /** The system event that says so. */
  position: bigint;
  eventId: string;
}

/** A soft delete's `$tb`; anything at or above 2^62 reads as "everything" (JSON loses the exact value). */
const EVERYTHING = 2 ** 62;

export interface SystemRecord {
  id: string;
  streamId: string;
  type: string;
  data?: unknown;
  position: { commit: bigint };
}

/**
 * What a system event says about a ledger stream's deletion: a deletion, null when it lifts one (new
 * metadata without `$tb`), or undefined when it says nothing about deletion.
 */
export function deletionIn(
  e: SystemRecord,
): { streamId: string; deletion: StreamDeletion | null } | undefined {
  const at = { position: e.position.commit, eventId: e.id };
  if (e.type === '$streamDeleted' && !e.streamId.startsWith('$'))
    return { streamId: e.streamId, deletion: { how: 'tombstoned', visibleFrom: null, ...at } };
  if (e.type !== '$metadata' || !e.streamId.startsWith('$$') || e.streamId.startsWith('$$$'))
    return undefined;
  const streamId = e.streamId.slice(2);
  const tb = (e.data as { $tb?: unknown } | null | undefined)?.$tb;
  if (typeof tb !== 'number' || tb <= 0) return { streamId, deletion: null };
  if (tb >= EVERYTHING) return { streamId, deletion: { how: 'soft-deleted', visibleFrom: null, ...at } };
  return { streamId, deletion: { how: 'truncated', visibleFrom: BigInt(tb), ...at } };
}

export function describeDeletion(d: StreamDeletion): string {
  if (d.how === 'truncated')
    return ` (its revisions before ${d.visibleFrom} are hidden: "$tb" in its metadata)`;
  if (d.how === 'soft-deleted') return ' (soft delete: "$tb" = max in its metadata)';
  return ' (a $streamDeleted tombstone)';
}
