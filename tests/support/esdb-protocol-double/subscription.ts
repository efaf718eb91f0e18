import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type grpc from '@grpc/grpc-js';
import type { DoubleLog, StoredRecord } from './log.ts';
import { eventResp, ReadRespMsg, type ServiceError } from './messages.ts';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// A catch-up subscription served the way EventStoreDB 23.10 and later serve one
// (Services/Transport/Enumerators/Enumerator.AllSubscription.cs): it listens for live events first,
// confirms, then
// - if the start is at or past the end of the log, goes live at once: live events at or before that
//   start are skipped (the caller is "not interested in them");
// - otherwise catches up, reading the log after the start (exclusive), and says CaughtUp;
// - live: live events wait in a queue of 32 that drops its OLDEST when full. Each carries a sequence
//   number; a gap in the numbers means events were dropped, so it says FellBehind and catches up from
//   the last event sent, then CaughtUp again. Events already sent are skipped by their position.
// Writes respect gRPC flow control (a slow reader holds the double back, and the queue fills), and a
// test can hold every send, as a stalled network would.

export interface SubscriptionSpec {
  /** $all, or one stream. */
  stream: string | null;
  /** Exclusive start: a $all position or a stream revision; -1n from the start; 'end' from the end. */
  from: bigint | 'end';
  structuredIds: boolean;
  /** Sent with `requires-leader`: a node that loses leadership ends it with NotLeader. */
  requiresLeader: boolean;
}

export interface SubscriptionSettings {
  liveBufferSize: number;
  /** Resolves when sends may go on (a test's hold on the "network"), or null when they may now. */
  held: () => Promise<void> | null;
}

export class DoubleSubscription {
  private running = true;
  private readonly queue: { seq: number; record: StoredRecord }[] = [];
  private nextSeq = 0;
  private wake: (() => void) | null = null;
  private readonly closed: Promise<unknown>;
  private readonly onRecord = (record: StoredRecord) => {
    if (!this.follows(record)) return;
    this.queue.push({ seq: ++this.nextSeq, record });
    if (this.queue.length > this.settings.liveBufferSize) this.queue.shift();
    this.wake?.();
  };

  constructor(
    private readonly call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    private readonly log: DoubleLog,
    private readonly spec: SubscriptionSpec,
    private readonly settings: SubscriptionSettings,
    private readonly onEnd: () => void,
  ) {
    this.closed = new Promise((resolve) => {
      call.on('cancelled', resolve);
      call.on('close', resolve);
    }).then(() => this.detach());
    log.appended.on('record', this.onRecord);
  }

  get requiresLeader(): boolean {
    return this.spec.requiresLeader;
  }

  start(): void {
    this.run().catch(() => this.detach());
  }

  /** Ends the subscription with an error status, as a node does when it loses the connection or leadership. */
  fail(error: ServiceError): void {
    if (!this.running) return;
    this.detach();
    this.call.emit('error', error);
  }

  private detach(): void {
    if (!this.running) return;
    this.running = false;
    this.log.appended.off('record', this.onRecord);
    this.wake?.();
    this.onEnd();
  }

  private follows(r: StoredRecord): boolean {
    return this.spec.stream === null || r.streamId === this.spec.stream;
  }

  private key(r: StoredRecord): bigint {
    return this.spec.stream === null ? r.position : r.revision;
  }

  private async run(): Promise<void> {
    const last = this.lastKey();
    let checkpoint = this.spec.from === 'end' ? last : this.spec.from;
    let lastSeq = 0;
    await this.send(
      new ReadRespMsg().setConfirmation(
        new ReadRespMsg.SubscriptionConfirmation().setSubscriptionId(randomUUID()),
      ),
    );
    let live = checkpoint >= last;
    while (this.running) {
      if (!live) checkpoint = await this.catchUp(checkpoint);
      live = false;
      if (!this.running) return;
      await this.send(new ReadRespMsg().setCaughtUp(new ReadRespMsg.CaughtUp()));
      for (;;) {
        const item = await this.nextLive();
        if (!item) return;
        const inSequence = item.seq === lastSeq + 1;
        lastSeq = item.seq;
        if (this.key(item.record) <= checkpoint) continue;
        if (!inSequence) {
          await this.send(new ReadRespMsg().setFellBehind(new ReadRespMsg.FellBehind()));
          break;
        }
        await this.sendRecord(item.record);
        checkpoint = this.key(item.record);
      }
    }
  }

  /** Sends what the log holds after the checkpoint, up to its end (which may move meanwhile). */
  private async catchUp(checkpoint: bigint): Promise<bigint> {
    const records = this.log.records;
    for (let i = this.firstAfter(checkpoint); i < records.length && this.running; i++) {
      const record = records[i]!;
      if (!this.follows(record) || this.key(record) <= checkpoint) continue;
      await this.sendRecord(record);
      checkpoint = this.key(record);
    }
    return checkpoint;
  }

  private lastKey(): bigint {
    const records = this.log.records;
    for (let i = records.length - 1; i >= 0; i--) if (this.follows(records[i]!)) return this.key(records[i]!);
    return -1n;
  }

  /** The index of the first record of $all after a position (streams are scanned from the start). */
  private firstAfter(position: bigint): number {
    if (this.spec.stream !== null) return 0;
    const records = this.log.records;
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (records[mid]!.position <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private async nextLive() {
    while (this.running && this.queue.length === 0)
      await new Promise<void>((resolve) => {
        this.wake = () => {
          this.wake = null;
          resolve();
        };
      });
    return this.running ? this.queue.shift()! : null;
  }

  private sendRecord(record: StoredRecord): Promise<void> {
    return this.send(eventResp(record, this.spec.stream === null, this.spec.structuredIds));
  }

  private async send(message: ReadResp): Promise<void> {
    for (let hold = this.settings.held(); hold && this.running; hold = this.settings.held())
      await Promise.race([hold, this.closed]);
    if (!this.running) return;
    if (!this.call.write(message)) await Promise.race([once(this.call, 'drain'), this.closed]);
  }
}
