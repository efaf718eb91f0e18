import type { Config } from '../config.ts';
import { EventStoreDbStore } from './eventstoredb.ts';
import { MemoryEventStore } from './memory.ts';
import type { EventStore } from './port.ts';
import { SqliteEventStore } from './sqlite.ts';

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
