import { EventStoreDBClient } from '@eventstore/db-client';
import { afterEach } from 'vitest';
import { type EventStoreDbOptions, EventStoreDbStore } from '../../../src/store/eventstoredb.ts';
import type { RecordedEvent, Subscription } from '../../../src/store/port.ts';
import { TEST_RETRY } from './targets.ts';

// What the EventStoreDB test files share: stores, raw clients and subscriptions that are closed after
// each test, in the reverse order they were opened.

export function esdbHarness() {
  let cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    const pending = cleanups.reverse();
    cleanups = [];
    for (const cleanup of pending) await cleanup();
  });
  const defer = (cleanup: () => Promise<unknown>) => cleanups.push(cleanup);

  return {
    defer,
    /** The adapter, with retries quick enough for tests; every drop and resubscription is noted. */
    openStore(connectionString: string, options: Partial<EventStoreDbOptions> = {}) {
      const reconnects: unknown[] = [];
      const store = new EventStoreDbStore({
        connectionString,
        retry: TEST_RETRY,
        onReconnect: (info) => reconnects.push(info),
        ...options,
      });
      defer(() => store.close());
      return Object.assign(store, { reconnects });
    },
    /** The official client alone, to do what the ledger never does (or to see what the server says). */
    client(connectionString: string) {
      const client = EventStoreDBClient.connectionString(connectionString);
      defer(() => client.dispose());
      return client;
    },
    /** Follows $all into an array, the way the projection runner does. */
    follow(store: EventStoreDbStore, after = 0n, onEvent?: (e: RecordedEvent) => void | Promise<void>) {
      const seen: RecordedEvent[] = [];
      const caughtUp: bigint[] = [];
      const errors: unknown[] = [];
      const subscription: Subscription = store.subscribeToAll({
        after,
        onEvent: async (e) => {
          if (onEvent) await onEvent(e);
          seen.push(e);
        },
        onCaughtUp: (p) => caughtUp.push(p),
        onError: (e) => errors.push(e),
      });
      defer(() => subscription.stop());
      return { seen, caughtUp, errors, subscription };
    },
  };
}

export const types = (events: RecordedEvent[]) => events.map((e) => e.type);
