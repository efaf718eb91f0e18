import type { EventStore, RecordedEvent, Subscription } from '../store/port.ts';
import { readAllPages } from '../store/port.ts';
import type { LiveProjections } from './live-projections.ts';

// Keeps the live projections up to date: a rebuild from the log (or from a checkpoint), then a catch-up
// subscription that follows new appends. Writers wait for the position they appended at, so a client
// that reads after its write sees it.

/** How far behind the log a catch-up must be to be worth a read-ahead thread (starting one costs ~30 ms, and below a few hundred thousand events the reading thread gained nothing). */
const READ_AHEAD_FROM = 250_000n;

export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private failure: unknown = null;

  constructor(
    private readonly store: EventStore,
    readonly projections: LiveProjections,
    private readonly options: { readAheadFrom?: bigint } = {},
  ) {}

  /**
   * Applies everything in the log after the projections' checkpoint. Returns the number of events. Far
   * behind, it first lets the store read ahead on another thread (if it can), then reads the rest itself.
   */
  async catchUp(onProgress?: (applied: number) => void): Promise<number> {
    let applied = 0;
    const apply = (page: RecordedEvent[]) => {
      for (const e of page) {
        // Two catch-ups may overlap (a writer waiting while another reads): apply each event once.
        if (e.position <= this.projections.checkpoint) continue;
        this.projections.apply(e);
        applied++;
      }
      onProgress?.(applied);
    };
    const ahead = await this.readAhead();
    if (ahead) for await (const page of ahead) apply(page);
    for await (const page of readAllPages(this.store, { after: this.projections.checkpoint })) apply(page);
    return applied;
  }

  private async readAhead(): Promise<AsyncIterable<RecordedEvent[]> | null> {
    if (!this.store.readAllAhead) return null;
    const behind = (await this.store.headPosition()) - this.projections.checkpoint;
    const from = this.options.readAheadFrom ?? READ_AHEAD_FROM;
    return behind >= from ? this.store.readAllAhead(this.projections.checkpoint) : null;
  }

  /** Rebuilds from nothing: the projections are emptied and the whole log is applied again. */
  async rebuild(onProgress?: (applied: number) => void): Promise<number> {
    this.projections.reset();
    return this.catchUp(onProgress);
  }

  /** Follows new appends from the current checkpoint. */
  start(): void {
    if (this.subscription) return;
    this.subscription = this.store.subscribeToAll({
      after: this.projections.checkpoint,
      onEvent: (e) => {
        if (e.position <= this.projections.checkpoint) return;
        this.projections.apply(e);
        this.release();
      },
      onError: (error) => {
        this.failure = error;
        for (const w of this.waiters.splice(0)) w.resolve();
        console.error('projection subscription stopped:', error);
      },
    });
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const at = this.projections.checkpoint;
    this.waiters = this.waiters.filter((w) => {
      if (w.position > at) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once the projections have applied the event at `position`. */
  async waitFor(position: bigint, timeoutMs = 10_000): Promise<void> {
    if (this.projections.checkpoint >= position) return;
    if (this.failure) throw this.failure;
    if (!this.subscription) {
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
    await this.subscription?.stop();
    this.subscription = null;
  }
}
