import { EventStoreDbStore } from '../store/eventstoredb.ts';
import { type MigrationResult, migrateToEventStore } from '../store/migrate.ts';
import type { Ledger } from './ledger.ts';

// The command line's `migrate`: the ledger's log copied into the EventStoreDB at a connection string,
// and the copy verified (src/store/migrate.ts). The EventStoreDB client is loaded only by those who migrate.

export async function migrateLedgerTo(
  ledger: Ledger,
  connectionString: string,
  onProgress?: (eventsDone: number) => void,
): Promise<MigrationResult> {
  const target = new EventStoreDbStore({ connectionString });
  try {
    return await migrateToEventStore(ledger.store, target, onProgress);
  } finally {
    await target.close();
  }
}
