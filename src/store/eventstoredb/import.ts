import { DuplicateEventIdError, LedgerError } from '../../errors.ts';
import type { BuiltEvent, StreamHead } from '../append-rules.ts';
import { GENESIS_HASH, recomputedHash } from '../hash-chain.ts';
import type { RecordedEvent } from '../port.ts';
import type { EsdbFailures } from './failures.ts';
import type { LogIndex } from './log-index.ts';
import { assertLedgerStream } from './mapping.ts';

// Importing events recorded by another store (a migration): they keep their ids, recorded-at and
// hashes, so each must continue its stream's chain here exactly: the next revision, the previous hash,
// and a hash that matches its content. Events already here (same id, stream and revision) are skipped,
// so an interrupted import can be run again. Runs of one stream go in one append each; an append lost
// to a leader change or a timeout is retried like any other, its event ids keeping it from doubling.

export interface ImportTarget {
  failures: EsdbFailures;
  index: LogIndex;
  readHead(streamId: string): Promise<StreamHead | null>;
  write(streamId: string, built: BuiltEvent[], head: StreamHead | null): Promise<unknown>;
  refuseDeleted(streamId: string): void;
}

export async function importRecorded(
  events: RecordedEvent[],
  target: ImportTarget,
): Promise<{ written: number; skipped: number }> {
  const { failures, index } = target;
  let written = 0;
  let skipped = 0;
  for (const run of runsOfOneStream(events)) {
    const streamId = run[0]!.streamId;
    assertLedgerStream(streamId);
    const right = `write to stream ${streamId}`;
    await failures.guard('read $all', () => index.catchUp());
    target.refuseDeleted(streamId);
    const fresh = run.filter((e) => {
      const known = index.get(e.eventId);
      if (!known) return true;
      if (known.streamId !== e.streamId || known.revision !== e.revision)
        throw new DuplicateEventIdError(e.eventId);
      skipped++;
      return false;
    });
    if (fresh.length === 0) continue;
    const head = await failures.guard(right, () => target.readHead(streamId));
    const built = chainOnto(streamId, fresh, head);
    await failures.guard(right, () => target.write(streamId, built, head));
    written += built.length;
  }
  return { written, skipped };
}

/** EventStoreDB refuses an append over 1 MiB by default (MaxAppendSize); imports stay well under it. */
const IMPORT_BATCH_BYTES = 512 * 1024;

/** Consecutive events of one stream, cut so that no append nears EventStoreDB's size limit. */
function* runsOfOneStream(events: RecordedEvent[]): Generator<RecordedEvent[]> {
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
function chainOnto(streamId: string, events: RecordedEvent[], head: StreamHead | null): BuiltEvent[] {
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
    if (recomputedHash({ ...e, dataJson }, prevHash) !== e.hash) throw refuse('does not match its hash');
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
