import { MemoryTokenStore, SqliteTokenStore, type TokenStore } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { ReferenceData } from '../domain/reference-data.ts';
import { type KeyStore, MemoryKeyStore, SqliteKeyStore } from '../privacy/keys.ts';
import { openStore } from '../store/open.ts';
import { Ledger } from './ledger.ts';

// Opens everything the configuration names: the store, the keys, the tokens and the reference data.
// The server (src/main.ts) and the command line (src/cli/main.ts) open the ledger the same way.

export interface OpenedLedger {
  ledger: Ledger;
  tokens: TokenStore;
  keys: KeyStore;
  close(): Promise<void>;
}

export async function openLedger(config: Config): Promise<OpenedLedger> {
  const store = await openStore(config);
  const inMemory = config.LEDGER_STORE === 'memory';
  const keys = inMemory ? new MemoryKeyStore() : new SqliteKeyStore(config.LEDGER_KEYS_DB);
  const tokens = inMemory ? new MemoryTokenStore() : new SqliteTokenStore(config.LEDGER_AUTH_DB);
  const reference = ReferenceData.load({
    specs: config.LEDGER_SPECS_DIR,
    frameworks: config.LEDGER_FRAMEWORKS_DIR,
  });
  const ledger = new Ledger({
    store,
    keys,
    reference,
    snapshotPath: inMemory ? undefined : config.LEDGER_SNAPSHOT_FILE,
  });
  return {
    ledger,
    tokens,
    keys,
    async close() {
      await ledger.close();
      tokens.close();
    },
  };
}
