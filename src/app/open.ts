import { MemoryTokenStore, SqliteTokenStore, type TokenStore } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { type KeyStore, MemoryKeyStore, SqliteKeyStore } from '../privacy/keys.ts';
import { CheckpointBook } from '../store/checkpoints.ts';
import { EventStoreDbStore } from '../store/eventstoredb.ts';
import { MemoryEventStore } from '../store/memory.ts';
import type { EventStore } from '../store/port.ts';
import { SqliteEventStore } from '../store/sqlite.ts';
import { type IdempotencyKeys, MemoryIdempotencyKeys, SqliteIdempotencyKeys } from './idempotency.ts';
import { Ledger } from './ledger.ts';
import { loadReferenceData } from './reference-files.ts';

// Opens everything the configuration names: the store, the read models, the keys, the tokens and the
// reference data.
// The server (src/main.ts) and the command line (src/cli/main.ts) open the ledger the same way.

export interface OpenedLedger {
  ledger: Ledger;
  tokens: TokenStore;
  keys: KeyStore;
  /** Signed checkpoints of the log (none for the memory store, which keeps nothing). */
  checkpoints: CheckpointBook | null;
  close(): Promise<void>;
}

/** Opens the store the configuration names. */
export async function openStore(config: Config): Promise<EventStore> {
  switch (config.LEDGER_STORE) {
    case 'memory':
      return new MemoryEventStore();
    case 'sqlite':
      return new SqliteEventStore({ path: config.LEDGER_DB, synchronous: config.LEDGER_SQLITE_SYNC });
    case 'eventstoredb':
      // loadConfig refuses LEDGER_STORE=eventstoredb without ESDB_CONNECTION_STRING. Opening checks the
      // user's rights: the ledger does not start without them.
      return EventStoreDbStore.open({ connectionString: config.ESDB_CONNECTION_STRING! });
  }
}

export async function openLedger(config: Config): Promise<OpenedLedger> {
  const store = await openStore(config);
  const inMemory = config.LEDGER_STORE === 'memory';
  const keys = inMemory ? new MemoryKeyStore() : new SqliteKeyStore(config.LEDGER_KEYS_DB);
  const tokens = inMemory ? new MemoryTokenStore() : new SqliteTokenStore(config.LEDGER_AUTH_DB);
  const reference = loadReferenceData({
    specs: config.LEDGER_SPECS_DIR,
    frameworks: config.LEDGER_FRAMEWORKS_DIR,
  });
  const ledger = new Ledger({
    store,
    keys,
    reference,
    // the read models live beside the log, one file per ledger instance (whatever store holds the log)
    readModels: inMemory ? ':memory:' : config.LEDGER_READ_DB,
  });
  return {
    ledger,
    tokens,
    keys,
    checkpoints: inMemory ? null : new CheckpointBook(config.LEDGER_CHECKPOINTS_DIR, keys, store.name),
    async close() {
      await ledger.stop();
      tokens.close();
    },
  };
}

/**
 * The Idempotency-Keys of commands (the server's alone; the command line sends none). A key in flight
 * longer than ten minutes was left by a process that stopped mid-request, and may be claimed again.
 */
export function openIdempotencyKeys(config: Config): IdempotencyKeys {
  const times = { lifetimeMs: config.LEDGER_IDEMPOTENCY_HOURS * 3_600_000, inFlightMs: 10 * 60_000 };
  return config.LEDGER_STORE === 'memory'
    ? new MemoryIdempotencyKeys(times)
    : new SqliteIdempotencyKeys(config.LEDGER_IDEMPOTENCY_DB, times);
}
