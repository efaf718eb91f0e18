import { LedgerError } from '../../errors.ts';
import type { BuiltEvent, StreamHead } from '../append-rules.ts';
import { eventHash, GENESIS_HASH } from '../hash-chain.ts';
import type { RecordedEvent } from '../port.ts';

// Importing events recorded by another store (a migration): they keep their ids, recorded-at and
// hashes, so each must continue its stream's chain here exactly.

/** EventStoreDB refuses an append over 1 MiB by default (MaxAppendSize); imports stay well under it. */
const IMPORT_BATCH_BYTES = 512 * 1024;

/** Consecutive events of one stream, cut so that no append nears EventStoreDB's size limit. */
export function* runsOfOneStream(events: RecordedEvent[]): Generator<RecordedEvent[]> {
  let run: RecordedEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e.data)) + 1024;
    if (run.length > 0 && (run[0]!.streamId !== e.streamId || bytes + size > IMPORT_BATCH_BYTES)) {
      yield run;
      run = [];
      bytes = 0;
    }
    run.push(e);
    bytes += size;
  }
  if (run.length > 0) yield run;
}

/** Checks that recorded events continue a stream's chain here and keeps their recorded-at and hashes. */
export function chainOnto(streamId: string, events: RecordedEvent[], head: StreamHead | null): BuiltEvent[] {
  let revision = head ? head.revision : -1n;
  let prevHash = head ? head.hash : GENESIS_HASH;
  return events.map((e) => {
    revision += 1n;
    const dataJson = JSON.stringify(e.data);
    const refuse = (reason: string) =>
      new LedgerError(
        'integrity',
        'import_breaks_chain',
        `event ${e.eventId} (${streamId}@${e.revision}) ${reason}`,
        { eventId: e.eventId, streamId },
      );
    if (e.revision !== revision) throw refuse(`would land at revision ${revision}`);
    if (e.prevHash !== undefined && e.prevHash !== prevHash)
      throw refuse('does not follow the hash of the event before it in the stream');
    if (eventHash({ ...e, prevHash, dataJson }) !== e.hash) throw refuse('does not match its hash');
    const built: BuiltEvent = {
      event: {
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
      },
      revision,
      recordedAt: e.recordedAt,
      dataJson,
      prevHash,
      hash: e.hash,
    };
    prevHash = e.hash;
    return built;
  });
}
