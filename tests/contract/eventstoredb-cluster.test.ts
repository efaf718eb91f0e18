import { binaryEvent, NotLeaderError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { migrateToEventStore } from '../../src/store/migrate.ts';
import type { RecordedEvent } from '../../src/store/port.ts';
import { EsdbClusterDouble } from '../support/esdb-protocol-double/cluster.ts';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import { connectionUri } from '../support/esdb-protocol-double/server.ts';
import { ev, sleep, streamName, waitFor } from './store-contract.ts';

// EventStoreDB as the ledger runs it in production: a three-node cluster (docker-compose.yml), here the
// PROTOCOL TEST DOUBLE's cluster (not EventStoreDB): nodes sharing one log, found by gossip through a
// multi-host connection string, one of them the leader. The leader moves, or dies, in the middle of the
// ledger's work; nothing may be lost or written twice.

const { openStore, client, follow, defer } = esdbHarness();

async function startCluster(leader = 0) {
  const cluster = await EsdbClusterDouble.start({ nodes: 3 });
  defer(() => cluster.stop());
  if (leader !== 0) await cluster.moveLeader(leader);
  return cluster;
}

/** Each ledger event once, in log order: what a store or a subscription holds, as comparable rows. */
const rows = (events: RecordedEvent[]) => events.map((e) => `${e.streamId}@${e.revision} ${e.eventId}`);

describe('a three-node cluster behind a multi-host connection string', () => {
  it('the client asks gossip for the members and talks to the leader only', async () => {
    const cluster = await startCluster(2);
    const store = openStore(cluster.connectionString);
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    expect(types(await store.readStream(s))).toEqual(['A']);

    expect(cluster.node(2)!.calls.batchAppend).toBe(1);
    expect(cluster.node(2)!.calls.read).toBeGreaterThan(0);
    for (const follower of [0, 1]) {
      expect(cluster.node(follower)!.calls.batchAppend + cluster.node(follower)!.calls.read).toBe(0);
    }
    expect(cluster.calls.gossip).toBeGreaterThan(0);
  });

  it('a follower refuses what needs the leader with NotLeader and the address of the leader', async () => {
    const cluster = await startCluster(1);
    const follower = connectionUri([cluster.node(0)!.port], false);
    const leaderPort = cluster.node(1)!.port;
    const s = streamName();

    const refusedRead = await client(follower)
      .readAll({ maxCount: 1, requiresLeader: true })
      .toArray()
      .catch((e) => e);
    expect(refusedRead).toBeInstanceOf(NotLeaderError);
    expect(refusedRead.leader).toEqual({ address: '127.0.0.1', port: leaderPort });
    const event = binaryEvent({ id: ev().eventId, type: 'A', data: Buffer.from('{}') });
    const refusedWrite = await client(follower)
      .appendToStream(s, event, { requiresLeader: true })
      .catch((e) => e);
    expect(refusedWrite).toBeInstanceOf(NotLeaderError);
    expect(cluster.log.read(s)).toEqual({ kind: 'not_found' });

    // Without requires-leader, as EventStoreDB does: the follower forwards the write and serves the read.
    await client(follower).appendToStream(s, event);
    const read = await client(follower).readStream(s).toArray();
    expect(read.map((r) => r.event?.id)).toEqual([event.id]);
    expect(cluster.node(1)!.calls.batchAppend).toBe(0);
  });

  it('after the leader moves, the adapter follows it: the old leader serves nothing more', async () => {
    const cluster = await startCluster(0);
    const store = openStore(cluster.connectionString);
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    await cluster.moveLeader(1);
    const before = { ...cluster.node(0)!.calls };

    await store.append(s, [ev('B')], 0n);
    expect(types(await store.readStream(s))).toEqual(['A', 'B']);
    expect(cluster.node(0)!.calls).toEqual(before);
    expect(cluster.node(1)!.calls.batchAppend).toBe(1);
  });

  it('an election that outlasts discovery: the adapter keeps trying until a leader is elected', async () => {
    const cluster = await startCluster(0);
    const store = openStore(cluster.connectionString);
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    const election = cluster.moveLeader(2, { electionMs: 400 });
    const result = await store.append(s, [ev('B')], 0n);
    await election;
    expect(result.nextExpectedRevision).toBe(1n);
    expect(types(await store.readStream(s))).toEqual(['A', 'B']);
  });
});

describe("a leader change in the middle of the ledger's work", () => {
  async function sourceLog(streams: number, rounds: number) {
    const source = new MemoryEventStore();
    const names = Array.from({ length: streams }, () => streamName());
    for (let round = 0; round < rounds; round++)
      for (const s of names)
        await source.append(
          s,
          [ev(`R${round}`), ev(`R${round}b`)],
          round === 0 ? 'no_stream' : BigInt(round * 2 - 1),
        );
    return source;
  }

  it('an import while the leader moves every 4 requests: every event once, in order, verified', async () => {
    const cluster = await startCluster();
    const source = await sourceLog(12, 5);
    const target = openStore(cluster.connectionString);
    cluster.moveLeaderEvery(4);
    const result = await migrateToEventStore(source, target);
    expect(result).toMatchObject({ events: 120, copied: 120, skipped: 0 });
    expect(rows(await target.readAll())).toEqual(rows(await source.readAll()));
    expect(cluster.log.records.filter((r) => !r.type.startsWith('$'))).toHaveLength(120);
  });

  it('an import while the leader dies and another is elected: every event once, in order, verified', async () => {
    const cluster = await startCluster();
    const source = await sourceLog(12, 5);
    const target = openStore(cluster.connectionString);
    cluster.atRequest(40, () => cluster.failover({ electionMs: 150 }));
    const result = await migrateToEventStore(source, target);
    expect(result).toMatchObject({ events: 120, copied: 120 });
    expect(cluster.leaderNumber).not.toBe(0);
    expect(rows(await target.readAll())).toEqual(rows(await source.readAll()));
    expect(cluster.log.records.filter((r) => !r.type.startsWith('$'))).toHaveLength(120);
  });

  it('a subscription across leader changes and a failover: every event once, in order', async () => {
    const cluster = await startCluster();
    const store = openStore(cluster.connectionString);
    const watcher = openStore(cluster.connectionString);
    const { seen, errors } = follow(watcher);
    cluster.moveLeaderEvery(6);
    cluster.atRequest(50, () => cluster.failover({ electionMs: 100 }));
    const names = Array.from({ length: 5 }, () => streamName());
    for (let round = 0; round < 8; round++)
      for (const s of names)
        await store.append(s, [ev(`R${round}`)], round === 0 ? 'no_stream' : BigInt(round - 1));
    const written = await store.readAll();
    expect(written).toHaveLength(40);
    await waitFor(() => seen.length >= 40);
    await sleep(50);
    expect(rows(seen)).toEqual(rows(written));
    expect(errors).toEqual([]);
    expect(watcher.reconnects.length).toBeGreaterThan(0);
  });
});

describe('the adapter on a cluster as production opens it', () => {
  it('opens (checking its rights) through gossip, whichever node leads', async () => {
    const cluster = await startCluster(1);
    const store = await EventStoreDbStore.open({ connectionString: cluster.connectionString });
    defer(() => store.close());
    await store.append(streamName(), [ev()], 'no_stream');
    expect(cluster.node(1)!.calls.batchAppend).toBe(1);
  });
});
