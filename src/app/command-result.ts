import type { LedgerEvent } from '../../events/index.ts';

/** What a command wrote: its stream, the events as the log recorded them, the new revision and position. */
export interface CommandResult {
  streamId: string;
  events: LedgerEvent[];
  revision: bigint;
  position: bigint;
}
