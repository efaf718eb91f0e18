import type { EventStore, RecordedEvent, Subscription } from '../store/port.ts';
import { readAllPages } from '../store/port.ts';
import type { ReadModels } from './read-models.ts';

// Keeps the read models up to date: a catch-up from their checkpoint (from zero for a new generation),
// then a catch-up subscription that follows new appends. Changed states are written back with the
// checkpoint shortly after they change (src/app/read-models.ts). Writers wait for the position they
// appended at, so a client that reads after its write sees it. When a rebuild run beside this process
// replaces the generation in use, the runner moves to the new one and follows the log from its checkpoint.

/** How far behind the log a catch-up must be to be worth a read-ahead thread (starting one costs ~30 ms, and below a few hundred thousand events the reading thread gained nothing). */
const READ_AHEAD_FROM = 250_000n;

export interface RunnerOptions {
  readAheadFrom?: bigint;
  /** How soon after a change while following the log the changed states are written. */
  flushAfterMs?: number;
  /** How often a following runner says it is alive and looks for a rebuild that replaced its read models. */
  pollEveryMs?: number;
}

export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private failure: unknown = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private moving: Promise<void> | null = null;
  /** Time spent folding events into the states by catch-ups (writing them back is the read models' own). */
  readonly spent = { foldingMs: 0 };

  constructor(
    private readonly store: EventStore,
    readonly readModels: ReadModels,
    private readonly options: RunnerOptions = {},
  ) {}

  /**
   * Applies everything in the log after the read models' checkpoint and writes it back. Returns the number
   * of events applied. Far behind, it first lets the store read ahead on another thread (if it can).
   */
  async catchUp(onProgress?: (applied: number) => void): Promise<number> {
    let applied = 0;
    const models = this.readModels;
    const apply = (page: RecordedEvent[]) => {
      const started = performance.now();
      const flushing = models.spent.encodingMs + models.spent.writingMs;
      for (const e of page) {
        if (models.superseded) break;
        // Two catch-ups may overlap (a writer waiting while another reads), and another process may have
        // moved the checkpoint past what was read: apply each event once.
        if (e.position <= models.checkpoint) continue;
        models.apply(e);
        applied++;
      }
      // a flush that a page's events set off is writing, not folding
      const flushed = models.spent.encodingMs + models.spent.writingMs - flushing;
      this.spent.foldingMs += performance.now() - started - flushed;
      onProgress?.(applied);
    };
    const ahead = await this.readAhead();
    if (ahead) for await (const page of ahead) apply(page);
    for await (const page of readAllPages(this.store, { after: models.checkpoint })) {
      if (models.superseded) break;
      apply(page);
    }
    this.flush();
    if (models.superseded && !this.moving) await this.moveOn();
    return applied;
  }

  private async readAhead(): Promise<AsyncIterable<RecordedEvent[]> | null> {
    if (!this.store.readAllAhead) return null;
    const behind = (await this.store.headPosition()) - this.readModels.checkpoint;
    const from = this.options.readAheadFrom ?? READ_AHEAD_FROM;
    return behind >= from ? this.store.readAllAhead(this.readModels.checkpoint) : null;
  }

  /** Follows new appends from the current checkpoint. */
  start(): void {
    if (this.subscription) return;
    this.follow();
    const every = this.options.pollEveryMs ?? 2000;
    this.pollTimer = setInterval(() => this.poll(), every);
    this.pollTimer.unref();
  }

  private follow(): void {
    this.subscription = this.store.subscribeToAll({
      after: this.readModels.checkpoint,
      onEvent: (e) => {
        if (this.moving || e.position <= this.readModels.checkpoint) return;
        this.readModels.apply(e);
        if (this.readModels.superseded) void this.moveOn();
        this.release();
        this.scheduleFlush();
      },
      onError: (error) => {
        this.failure = error;
        for (const w of this.waiters.splice(0)) w.resolve();
        console.error('projection subscription stopped:', error);
      },
    });
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.flushAfterMs ?? 200);
    this.flushTimer.unref();
  }

  /** Writes what changed; a jump or a takeover by a rebuild is dealt with here. */
  flush(): void {
    if (this.moving) return;
    const outcome = this.readModels.flush();
    if (outcome === 'jumped') this.release();
    if (outcome === 'retired') void this.moveOn();
  }

  /** Says this process still uses its read models, and looks for a rebuild that replaced them. */
  private poll(): void {
    if (this.moving) return;
    const models = this.readModels;
    const now = models.db.generation(models.current.id);
    if (!now || now.state === 'retired') void this.moveOn();
    else models.db.touch(models.current);
  }

  /** A rebuild replaced the read models in use: follow the log from the new ones' checkpoint. */
  private moveOn(): Promise<void> {
    this.moving ??= (async () => {
      const models = this.readModels;
      const next = models.db.liveFor(models.digest);
      if (!next) {
        // retired with nothing to replace it (dropped by hand): start afresh
        models.open({ fresh: 'live' });
      } else models.adopt(next);
      const following = this.subscription !== null;
      await this.subscription?.stop();
      this.subscription = null;
      try {
        await this.catchUp();
      } finally {
        this.moving = null;
      }
      // the catch-up's own flush is skipped while moving: write what it applied now, or it would wait
      // for the next append
      this.flush();
      if (following) this.follow();
      this.release();
    })();
    return this.moving;
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const at = this.readModels.checkpoint;
    this.waiters = this.waiters.filter((w) => {
      if (w.position > at) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once the read models have applied the event at `position`. */
  async waitFor(position: bigint, timeoutMs = 10_000): Promise<void> {
    if (this.readModels.checkpoint >= position && !this.moving) return;
    if (this.failure) throw this.failure;
    if (!this.subscription && !this.moving) {
      // Not following the log (the command line): read up to the position directly.
      await this.catchUp();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`projections did not reach position ${position} in time`)),
        timeoutMs,
      );
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  get healthy(): boolean {
    return this.failure === null;
  }

  async stop(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.pollTimer = null;
    this.flushTimer = null;
    await this.moving;
    await this.subscription?.stop();
    this.subscription = null;
    this.flush();
  }
}
