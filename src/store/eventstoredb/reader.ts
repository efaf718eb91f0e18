import {
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  type ReadPosition,
  type ResolvedEvent,
  type START,
  StreamNotFoundError,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../port.ts';
import { fromPosition, isSystemEvent, toRecorded } from './mapping.ts';
import { isInvalidPosition, type RetryPolicy, withRetry } from './retry.ts';

// Reading EventStoreDB: one stream, and $all page by page.
//
// Every call is sent with `requires-leader`: in a cluster, a follower may not yet have the latest
// commits (reading a stale stream head would chain an append onto it, and a stale id index would miss
// a duplicate), so a node that is not the leader answers NotLeader with the leader's address and the
// client reconnects there. Without it, a follower would serve the read itself.

export const LEADER_ONLY = { requiresLeader: true } as const;

/** Events read from $all per request (a page is held in memory whole). */
export const READ_PAGE = 256;

export interface StreamHead {
  revision: bigint;
  hash: string;
  recordedAt: string;
}

export class LogReader {
  /** The last record boundary at or before a position (the adapter's log index knows them). */
  boundaryAtOrBefore: (position: bigint) => Promise<bigint> = async () => 0n;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly retry: RetryPolicy,
  ) {}

  /** A stream's events; null when EventStoreDB says the stream is not found (missing or soft-deleted). */
  async readStream(
    streamId: string,
    direction: typeof FORWARDS | typeof BACKWARDS,
    fromRevision: bigint | typeof START | typeof END,
    maxCount: number,
  ): Promise<RecordedEvent[] | null> {
    let read: ResolvedEvent[];
    try {
      // Read whole, then convert: see scanAll.
      read = await this.client
        .readStream(streamId, { direction, fromRevision, maxCount, ...LEADER_ONLY })
        .toArray();
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    return read.flatMap((r) => (r.event ? [toRecorded(r.event)] : []));
  }

  async readHead(streamId: string): Promise<StreamHead | null> {
    const [last] = (await this.readStream(streamId, BACKWARDS, END, 1)) ?? [];
    return last ? { revision: last.revision, hash: last.hash, recordedAt: last.recordedAt } : null;
  }

  /**
   * Every event in $all after a position (exclusive), system events included, page by page. Each page
   * starts AT the last position read (EventStoreDB reads $all inclusively), so that event is skipped.
   * A page is read whole before any of it is handed out: a read abandoned half-way leaves a gRPC call
   * that the client can never dispose of.
   *
   * EventStoreDB reads only from a record boundary. A caller's position usually is one (it came from an
   * event); if not, the read starts one byte later (right for `checkpoint - 1n`), and failing that from
   * the last boundary before it, found in the log index ('exact' is for the index itself).
   */
  async *scanAll(
    after: bigint,
    pageSize = READ_PAGE,
    start: 'probe' | 'exact' = 'probe',
  ): AsyncGenerator<AllStreamRecordedEvent> {
    let cursor = after;
    let page: AllStreamResolvedEvent[] | null = null;
    for (const from of start === 'exact' || after === 0n ? [after] : [after, after + 1n]) {
      try {
        page = await this.readPage(from, pageSize);
        break;
      } catch (error) {
        if (!isInvalidPosition(error) || start === 'exact') throw error;
      }
    }
    page ??= await this.readPage(await this.boundaryAtOrBefore(after), pageSize);
    for (;;) {
      for (const { event } of page) {
        if (!event || event.position.commit <= cursor) continue;
        cursor = event.position.commit;
        yield event;
      }
      const last = page[page.length - 1]?.event;
      if (page.length < pageSize || !last) return;
      page = await this.readPage(last.position.commit, pageSize);
    }
  }

  private readPage(from: bigint, pageSize: number): Promise<AllStreamResolvedEvent[]> {
    return withRetry(this.retry, () =>
      this.client
        .readAll({
          fromPosition: fromPosition(from),
          maxCount: pageSize,
          direction: FORWARDS,
          ...LEADER_ONLY,
        })
        .toArray(),
    );
  }

  /** The position of the ledger's last event: backwards from the end, past any system events after it. */
  async headPosition(): Promise<bigint> {
    const pageSize = 32;
    let from: ReadPosition = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await this.client
        .readAll({ fromPosition: from, direction: BACKWARDS, maxCount: pageSize, ...LEADER_ONLY })
        .toArray();
      for (const { event } of page) {
        if (event && !isSystemEvent(event)) return event.position.commit;
      }
      const last = page[page.length - 1]?.event;
      if (page.length < pageSize || !last) return 0n;
      // Reading backwards from a position returns the events before it.
      from = last.position;
    }
  }
}
