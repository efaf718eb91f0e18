import {
  type Checkpoint,
  type CheckpointBook,
  describeCheckpoint,
  readCheckpointFile,
} from './checkpoints.ts';
import type { VerifyReport } from './hash-chain.ts';
import { digestLog, type LogDigest } from './log-digest.ts';
import type { EventStore, RecordedEvent, Subscription } from './port.ts';

// The log anchored to its signed checkpoints (src/store/checkpoints.ts): the check made at start-up and
// by `verify`, and the writer that keeps adding checkpoints while the server runs.

export interface AnchorCheck {
  ok: boolean;
  /** Events in the log now, and the digest of all of them. */
  events: number;
  digest: string;
  /** Good checkpoints found, and the newest the log still matches. */
  checkpoints: number;
  matched: Checkpoint | null;
  latest: Checkpoint | null;
  /** Why the log is refused, naming the checkpoint. */
  problem: string | null;
  /** The running digest at the end of the log, for a writer to carry on from. */
  running: LogDigest;
}

/**
 * Walks the log once and compares it with every checkpoint: each must find the log at least as long as
 * it was, and the same up to its count. The newest checkpoint the log still matches narrows down where a
 * change was made.
 */
export async function checkAnchors(
  store: EventStore,
  book: CheckpointBook,
  /** Checkpoint files kept elsewhere, to check the log against as well. */
  elsewhere: string[] = [],
): Promise<AnchorCheck> {
  const { checkpoints, problems } = book.list();
  for (const path of elsewhere) {
    const found = readCheckpointFile(path, book.publicKey().keyId);
    if (found.problem) problems.unshift(found.problem);
    if (found.checkpoint) checkpoints.push(found.checkpoint);
  }
  checkpoints.sort((a, b) => a.count - b.count);
  let matched: Checkpoint | null = null;
  let problem: string | null = problems[0] ? `checkpoints: ${problems[0]}` : null;
  const counts = [...new Set(checkpoints.map((c) => c.count))];
  const running = await digestLog(store, counts, (count, digest) => {
    for (const c of checkpoints.filter((x) => x.count === count)) {
      if (c.digest === digest) {
        if (!problem) matched = c;
      } else
        problem ??= `the log does not match ${describeCheckpoint(c)}: its first ${count} events hash to another digest, so an event at or before position ${c.position} was altered, removed, re-hashed or reordered${matched ? ` (the log still matches ${describeCheckpoint(matched)})` : ''}`;
    }
  });
  const latest = checkpoints[checkpoints.length - 1] ?? null;
  // The SQLite store also remembers the highest position it ever issued: a log emptied or cut short
  // without resetting it is refused even before a checkpoint was written.
  const issued = (store as { issuedPositions?: () => { issued: bigint; head: bigint } }).issuedPositions?.();
  if (!problem && issued && issued.issued > issued.head)
    problem = `the log ends at position ${issued.head} but positions up to ${issued.issued} were issued: its newest events were removed`;
  if (!problem && latest && latest.count > running.count)
    problem = `the log is shorter than ${describeCheckpoint(latest)}: it holds ${running.count} events, so events were removed, the file was truncated or replaced, or its -wal file was lost`;
  return {
    ok: problem === null,
    events: running.count,
    digest: running.digest(),
    checkpoints: checkpoints.length,
    matched,
    latest,
    problem,
    running,
  };
}

export interface CheckpointWriterOptions {
  /** How often to write a checkpoint while the log grows. */
  everyMs: number;
  clock?: () => Date;
  onError?: (error: unknown) => void;
}

/**
 * Follows the log from where a check left it and writes a checkpoint at every exam board held, every
 * `everyMs` while the log grows, at start when the log grew since the last one, and when stopped.
 */
export class CheckpointWriter {
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private written: number;

  constructor(
    private readonly store: EventStore,
    private readonly book: CheckpointBook,
    private readonly running: LogDigest,
    latest: Checkpoint | null,
    private readonly options: CheckpointWriterOptions,
  ) {
    this.written = latest?.count ?? 0;
  }

  /** Follows the log; resolves once level with it, having written a checkpoint if the log grew. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.subscription = this.store.subscribeToAll({
        after: this.running.position,
        onEvent: (e) => this.follow(e),
        onCaughtUp: () => resolve(),
        onError: (error) => {
          this.options.onError?.(error);
          resolve();
        },
      });
    });
    this.writeIfGrown('start');
    this.timer = setInterval(() => this.writeIfGrown('regular'), this.options.everyMs);
    this.timer.unref();
  }

  /** Writes a checkpoint now, whether or not the log grew (the CLI's `checkpoints write`). */
  write(reason: string): Checkpoint {
    const checkpoint = this.book.write(
      { count: this.running.count, position: this.running.position, digest: this.running.digest() },
      reason,
      this.options.clock?.(),
    );
    this.written = this.running.count;
    return checkpoint;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    this.subscription = null;
    this.writeIfGrown('shutdown');
  }

  private follow(e: RecordedEvent): void {
    this.running.add(e);
    if (e.type === 'ExamBoardHeld') {
      const board = (e.data as { examBoardId?: string }).examBoardId ?? '?';
      this.guard(() => this.write(`exam board ${board} (${e.streamId})`));
    }
  }

  private writeIfGrown(reason: string): void {
    if (this.running.count > this.written) this.guard(() => this.write(reason));
  }

  /** A checkpoint that cannot be written (a full disk) is reported, and the next one tries again. */
  private guard(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

/** A checkpoint as reports show it (without its key and signature). */
export function checkpointSummary(c: Checkpoint) {
  return {
    source: c.source,
    count: c.count,
    position: c.position,
    digest: c.digest,
    writtenAt: c.writtenAt,
    reason: c.reason,
    keyId: c.keyId,
  };
}

export type AnchoredReport = VerifyReport & {
  /** The log against its signed checkpoints; null where the ledger keeps none (the memory store). */
  checkpoints: {
    ok: boolean;
    problem: string | null;
    checked: number;
    latest: ReturnType<typeof checkpointSummary> | null;
    matched: ReturnType<typeof checkpointSummary> | null;
    events: number;
    logDigest: string;
  } | null;
};

/** `verify`: the hash chain walked, then the log checked against its checkpoints; ok only if both are. */
export async function verifyAnchored(
  store: EventStore,
  book: CheckpointBook | null,
  options: { onProgress?: (eventsChecked: number) => void; elsewhere?: string[] } = {},
): Promise<AnchoredReport> {
  const report = await store.verify({ onProgress: options.onProgress });
  if (!book) return { ...report, checkpoints: null };
  const anchor = await checkAnchors(store, book, options.elsewhere);
  return {
    ...report,
    ok: report.ok && anchor.ok,
    checkpoints: {
      ok: anchor.ok,
      problem: anchor.problem,
      checked: anchor.checkpoints,
      latest: anchor.latest && checkpointSummary(anchor.latest),
      matched: anchor.matched && checkpointSummary(anchor.matched),
      events: anchor.events,
      logDigest: anchor.digest,
    },
  };
}
