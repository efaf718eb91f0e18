import { describe, it } from 'vitest';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { describeStoreContract } from './store-contract.ts';

// The one store contract, run against the EventStoreDB adapter:
// - in CI, against the PROTOCOL TEST DOUBLE (tests/support/esdb-protocol-double), which is NOT
//   EventStoreDB: an in-process gRPC server built from the client's own service definitions, so the
//   real client speaks real gRPC. Twice: once listing BatchAppend (what a current server advertises,
//   so the client appends through it) and once with only Append (older servers);
// - against a real server whenever ESDB_CONNECTION_STRING is set. Use an empty, dedicated database
//   (e.g. a node started with --mem-db): the time-bound test needs recorded-at times not later than
//   the suite's 2025 clock, and verify walks the whole log.

for (const batchAppend of [true, false]) {
  describeStoreContract(
    `eventstoredb over the protocol test double (${batchAppend ? 'BatchAppend' : 'Append'})`,
    async ({ clock }) => {
      const double = await EsdbProtocolDouble.start({ batchAppend });
      const store = new EventStoreDbStore({ connectionString: double.connectionString, clock });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await double.stop();
        },
      };
    },
  );
}

const connectionString = process.env.ESDB_CONNECTION_STRING;
if (connectionString) {
  describeStoreContract('eventstoredb on the server at ESDB_CONNECTION_STRING', async ({ clock }) => {
    const store = new EventStoreDbStore({ connectionString, clock });
    return { store, cleanup: () => store.close() };
  });
} else {
  describe('event store contract: eventstoredb on a real EventStoreDB server', () => {
    it('runs when ESDB_CONNECTION_STRING names a server', (context) => {
      context.skip(
        'ESDB_CONNECTION_STRING is not set: the contract was NOT run against a real EventStoreDB server',
      );
    });
  });
}
