import { deletionIn, type StreamDeletion } from './deletions.ts';
import { isSystemEvent } from './mapping.ts';

// Where the port and EventStoreDB disagree on event ids, and how the adapter bridges it.
//
// The port (and the embedded stores): an event id is unique in the whole log. Re-appending a batch
// whose ids are already in the same stream, in order, acknowledges the first write; any other reuse of
// a known id (another stream, or a batch mixing known and new ids) is refused with DuplicateEventIdError.
//
// EventStoreDB: an event id is only an idempotency key within one stream. With an exact expected
// revision it compares the ids at the positions the batch would take; with `any` it looks the ids up
// in a bounded cache of recent writes, so a replay of an old batch may be written again. The same id
// in another stream is written without complaint, and a batch that starts with a new id is written
// even if a later id is known.
//
// So the adapter keeps its own index of every id in the log (read from $all, caught up before each
// append) and applies the port's rules before it writes. Limits, stated plainly: the index lives in
// this process (about 100 bytes an event), and two PROCESSES appending the same new id to different
// streams at the same moment could both pass; within one process, appends that share an id are
// serialised. Ledger ids are uuid v7 chosen by one writer per command, so that race needs a bug.
//
// The same pass records where the records of $all begin. The port lets a reader start after ANY
// position (e.g. `checkpoint - 1n`), but EventStoreDB only reads from a record boundary and refuses
// anything else ("Trying to read from an invalid position"); `boundaryAtOrBefore` finds the boundary
// to start from when the position a caller gave is not one.
//
// And it notes which streams were deleted or truncated (deletions.ts), from the system events in $all.

export interface KnownEvent {
  streamId: string;
  revision: bigint;
}

/** The raw event fields the index needs, as the client returns them from a $all read. */
export interface IndexableEvent {
  id: string;
  streamId: string;
  type: string;
  revision: bigint;
  position: { commit: bigint };
  metadata?: unknown;
  data?: unknown;
}

export class LogIndex {
  private readonly ids = new Map<string, KnownEvent>();
  private readonly names = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly deletions = new Map<string, StreamDeletion>();
  /** Position of the last LEDGER event read: ledger events are never removed, so it stays a valid start. */
  private checkpoint = 0n;
  /** Every record position read from $all, in order (8 bytes each). */
  private boundaries = new BigUint64Array(1024);
  private boundaryCount = 0;
  private queued: Promise<void> | null = null;
  private running: Promise<void> = Promise.resolve();
  /** The newest recorded-at among the ledger's events, so a new event is never recorded earlier. */
  newestRecordedAt: string | null = null;

  constructor(private readonly scan: (after: bigint) => AsyncIterable<IndexableEvent>) {}

  get(eventId: string): KnownEvent | undefined {
    return this.ids.get(eventId);
  }

  /** How a stream was deleted, as far as the index has read. */
  deletion(streamId: string): StreamDeletion | undefined {
    return this.deletions.get(streamId);
  }

  /**
   * Reads $all up to its end. A call joins a catch-up that has not started yet (it will see everything
   * committed before this call) but never one already running (which might not).
   */
  catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.readToEnd();
      });
    this.queued = next;
    this.running = next;
    return next;
  }

  private async readToEnd(): Promise<void> {
    for await (const e of this.scan(this.checkpoint)) {
      this.addBoundary(e.position.commit);
      if (isSystemEvent(e)) {
        // Not passed by the checkpoint, so read again next time: the same answer, in the same order.
        const found = deletionIn(e);
        if (found?.deletion) this.deletions.set(found.streamId, found.deletion);
        else if (found && this.deletions.get(found.streamId)?.how !== 'tombstoned')
          this.deletions.delete(found.streamId);
        continue;
      }
      this.checkpoint = e.position.commit;
      // An id's first use is the one that counts: a later copy can only come from another writer.
      if (!this.ids.has(e.id))
        this.ids.set(e.id, { streamId: this.intern(e.streamId), revision: e.revision });
      const recordedAt = (e.metadata as { recordedAt?: unknown } | undefined)?.recordedAt;
      if (
        typeof recordedAt === 'string' &&
        (this.newestRecordedAt === null || recordedAt > this.newestRecordedAt)
      )
        this.newestRecordedAt = recordedAt;
    }
  }

  /** The last record position at or before `position` (0n: none, start from the beginning). */
  async boundaryAtOrBefore(position: bigint): Promise<bigint> {
    await this.catchUp();
    let lo = 0;
    let hi = this.boundaryCount - 1;
    let found = 0n;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.boundaries[mid]!;
      if (at <= position) {
        found = at;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private addBoundary(position: bigint): void {
    if (this.boundaryCount > 0 && this.boundaries[this.boundaryCount - 1]! >= position) return;
    if (this.boundaryCount === this.boundaries.length) {
      const grown = new BigUint64Array(this.boundaries.length * 2);
      grown.set(this.boundaries);
      this.boundaries = grown;
    }
    this.boundaries[this.boundaryCount++] = position;
  }

  /** Waits until no other append in this process holds any of these ids, then holds them. */
  async reserve(eventIds: string[]): Promise<() => void> {
    for (;;) {
      const busy = eventIds.flatMap((id) => this.inFlight.get(id) ?? []);
      if (busy.length === 0) break;
      await Promise.allSettled(busy);
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const id of eventIds) this.inFlight.set(id, held);
    return () => {
      for (const id of eventIds) if (this.inFlight.get(id) === held) this.inFlight.delete(id);
      release();
    };
  }

  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }
}
