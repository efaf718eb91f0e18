import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { EsdbClusterDouble } from '../support/esdb-protocol-double/cluster.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { realServer, reportRealServerSkipped, TEST_RETRY } from '../support/esdb-protocol-double/targets.ts';
import { describeStoreContract } from './store-contract.ts';

// The one store contract, run against the EventStoreDB adapter:
// - against the PROTOCOL TEST DOUBLE (tests/support/esdb-protocol-double), which is NOT EventStoreDB:
//   in-process gRPC servers built from the client's own service definitions, so the real client speaks
//   real gRPC. A single node twice: listing BatchAppend (what a current server advertises, so the client
//   appends through it) and with only Append (older servers). Then a three-node cluster reached through
//   a multi-host connection string, as in docker-compose.yml, whose leader moves to another node as
//   every 5th request arrives: every test meets NotLeader answers and leader changes at fixed points,
//   inside appends, reads and subscriptions;
// - against a real server or cluster whenever ESDB_CONNECTION_STRING is set. Use an empty, dedicated
//   database (e.g. a node started with --mem-db): the time-bound test needs recorded-at times not later
//   than the suite's 2025 clock, and verify walks the whole log.

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

describeStoreContract(
  'eventstoredb over a three-node protocol test double whose leader moves every 5 requests',
  async ({ clock }) => {
    const cluster = await EsdbClusterDouble.start({ nodes: 3 });
    cluster.moveLeaderEvery(5);
    const store = new EventStoreDbStore({
      connectionString: cluster.connectionString,
      clock,
      retry: TEST_RETRY,
    });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await cluster.stop();
      },
    };
  },
);

if (realServer) {
  const { connectionString } = await realServer.start();
  describeStoreContract(`eventstoredb on ${realServer.name}`, async ({ clock }) => {
    const store = await EventStoreDbStore.open({ connectionString, clock });
    return { store, cleanup: () => store.close() };
  });
}
reportRealServerSkipped('the store contract');
