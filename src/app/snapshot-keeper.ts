import type { EventStore } from '../store/port.ts';
import type { LiveProjections } from './live-projections.ts';
import { loadSnapshot, type SnapshotLoad, saveSnapshot } from './snapshot.ts';

// Keeps the projections' snapshot (src/app/snapshot.ts) fresh while the ledger runs: loaded at start,
// saved after a catch-up that applied anything, refreshed on a timer when the checkpoint has moved, and
// saved once more at the end.

export class SnapshotKeeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly projections: LiveProjections,
    private readonly store: EventStore,
    /** How often to refresh the snapshot while running (ms). */
    private readonly everyMs = 60_000,
  ) {}

  load(): Promise<SnapshotLoad> {
    return loadSnapshot(this.path, this.projections, this.store);
  }

  save(): Promise<boolean> {
    return saveSnapshot(this.path, this.projections, this.store);
  }

  /** Saves on a timer whenever the projections have moved on since the last save. */
  keepFresh(): void {
    if (this.timer) return;
    let saved = this.projections.checkpoint;
    this.timer = setInterval(() => {
      if (this.projections.checkpoint === saved) return;
      saved = this.projections.checkpoint;
      void this.save().catch((error) => console.warn('snapshot not saved:', error));
    }, this.everyMs);
    this.timer.unref();
  }

  /** Stops the timer and saves a last time (a failure to save is not a failure to stop). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.save().catch(() => false);
  }
}
