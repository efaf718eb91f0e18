import type { AllStreamRecordedEvent } from '@eventstore/db-client';
import { LedgerError } from '../../errors.ts';
import { type BrokenLink, type StoredEvent, type VerifyReport, verifyLog } from '../hash-chain.ts';
import { PAGE_SIZE } from '../port.ts';
import { deletionIn, describeDeletion } from './deletions.ts';
import { isSystemEvent, toStored } from './mapping.ts';

// verify() on EventStoreDB: the hash chain of every ledger event in $all (hash-chain.ts), and two things
// only $all shows, each reported as the broken link where it appears in the log:
// - an event without the ledger's metadata (something else wrote into the ledger's database);
// - a ledger stream deleted, tombstoned or truncated (deletions.ts). Its events may still be in $all
//   (until a scavenge) and chain correctly, but the stream no longer reads back whole.

export async function verifyAll(
  scan: () => AsyncIterable<AllStreamRecordedEvent>,
  onProgress?: (eventsChecked: number) => void,
): Promise<VerifyReport> {
  const found: { broken?: BrokenLink } = {};
  async function* pages(): AsyncGenerator<StoredEvent[]> {
    found.broken = undefined;
    const heads = new Map<string, bigint>();
    let page: StoredEvent[] = [];
    for await (const e of scan()) {
      const at = { position: e.position.commit, eventId: e.id };
      if (isSystemEvent(e)) {
        const deleted = deletionIn(e);
        if (!deleted?.deletion) continue;
        const { streamId, deletion } = deleted;
        found.broken = {
          ...at,
          streamId,
          revision: heads.get(streamId) ?? -1n,
          reason: `the stream was ${deletion.how}${describeDeletion(deletion)}: events of the record were deleted`,
        };
        break;
      }
      try {
        page.push(toStored(e));
        heads.set(e.streamId, e.revision);
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        found.broken = { ...at, streamId: e.streamId, revision: e.revision, reason: error.message };
        break;
      }
      if (page.length >= PAGE_SIZE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
  const report = await verifyLog(pages(), { densePositions: false, onProgress });
  if (!report.ok || !found.broken) return report;
  return { ...report, ok: false, broken: found.broken };
}
