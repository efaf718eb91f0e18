import { describe, it } from 'vitest';
import type { RetryPolicy } from '../../../src/store/eventstoredb/retry.ts';
import { EsdbClusterDouble } from './cluster.ts';
import type { CallCounts } from './node-context.ts';
import { EsdbProtocolDouble, type ProtocolDoubleOptions } from './server.ts';

// What the EventStoreDB test suites run against: the PROTOCOL TEST DOUBLE (NOT EventStoreDB) as one
// node and as a three-node cluster reached through a multi-host connection string, and a real server
// or cluster when ESDB_CONNECTION_STRING names one. A test that needs to break the server (faults) or
// that leaves the database in a state the rest of a run could not share (events the ledger did not
// write, deleted streams) runs on the doubles only, and says so where a real server is the target.

/** Fast enough for tests, patient enough for a leader change or a restart. */
export const TEST_RETRY: RetryPolicy = { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 8 };

/** What a test can do to a double: each acts on the node the client talks to (a cluster's leader). */
export interface Faults {
  abortSubscriptions(): void;
  loseNextAppendResponse(): void;
  timeOutNextAppend(options: { committed: boolean }): void;
  /** The node dies; in a cluster, another node is elected leader. */
  kill(): Promise<void>;
  /** The dead node comes back on its port with its data. */
  revive(): Promise<void>;
  /** Every node dies. */
  killAll(): Promise<void>;
  readonly calls: CallCounts;
  readonly liveSubscriptions: number;
}

export interface RunningTarget {
  connectionString: string;
  /** null on a real server: it cannot be broken on purpose. */
  faults: Faults | null;
  cleanup(): Promise<void>;
}

export interface EsdbTarget {
  name: string;
  real: boolean;
  start(options?: Omit<ProtocolDoubleOptions, 'port' | 'log' | 'cluster'>): Promise<RunningTarget>;
}

export const singleNode: EsdbTarget = {
  name: 'the protocol test double, one node',
  real: false,
  async start(options = {}) {
    let node = await EsdbProtocolDouble.start(options);
    let dead = false;
    const faults: Faults = {
      abortSubscriptions: () => node.abortSubscriptions(),
      loseNextAppendResponse: () => node.loseNextAppendResponse(),
      timeOutNextAppend: (o) => node.timeOutNextAppend(o),
      kill: async () => {
        dead = true;
        await node.stop();
      },
      revive: async () => {
        node = await EsdbProtocolDouble.start({ ...options, port: node.port, log: node.log });
        dead = false;
      },
      killAll: () => faults.kill(),
      get calls() {
        return node.calls;
      },
      get liveSubscriptions() {
        return node.liveSubscriptions;
      },
    };
    return {
      connectionString: node.connectionString,
      faults,
      cleanup: async () => {
        if (!dead) await node.stop();
      },
    };
  },
};

export const threeNodeCluster: EsdbTarget = {
  name: 'the protocol test double, a three-node cluster',
  real: false,
  async start(options = {}) {
    const cluster = await EsdbClusterDouble.start({ ...options, nodes: 3 });
    let killed: number | null = null;
    const faults: Faults = {
      abortSubscriptions: () => cluster.leader.abortSubscriptions(),
      loseNextAppendResponse: () => cluster.leader.loseNextAppendResponse(),
      timeOutNextAppend: (o) => cluster.leader.timeOutNextAppend(o),
      kill: async () => {
        killed = cluster.leaderNumber;
        await cluster.failover();
      },
      revive: async () => {
        if (killed !== null) await cluster.startNode(killed);
        killed = null;
      },
      killAll: () => cluster.stop(),
      get calls() {
        return cluster.calls;
      },
      get liveSubscriptions() {
        return [0, 1, 2].reduce((n, i) => n + (cluster.node(i)?.liveSubscriptions ?? 0), 0);
      },
    };
    return { connectionString: cluster.connectionString, faults, cleanup: () => cluster.stop() };
  },
};

const connectionString = process.env.ESDB_CONNECTION_STRING;

export const realServer: EsdbTarget | null = connectionString
  ? {
      name: 'the EventStoreDB server at ESDB_CONNECTION_STRING',
      real: true,
      async start() {
        return { connectionString, faults: null, cleanup: async () => undefined };
      },
    }
  : null;

/** The doubles, and the real server when one is named. */
export const allTargets: EsdbTarget[] = [singleNode, threeNodeCluster, ...(realServer ? [realServer] : [])];

/** Says, in the test report, that a suite did NOT run against a real server, and why. */
export function reportRealServerSkipped(suite: string): void {
  if (realServer) return;
  describe(`${suite}: on a real EventStoreDB server`, () => {
    it('runs when ESDB_CONNECTION_STRING names a server or cluster', (context) => {
      context.skip(
        `ESDB_CONNECTION_STRING is not set: ${suite} was NOT run against a real EventStoreDB server`,
      );
    });
  });
}
