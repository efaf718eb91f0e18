import { binaryEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { DuplicateEventIdError, LedgerError } from '../../src/errors.ts';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import {
  allTargets,
  type EsdbTarget,
  reportRealServerSkipped,
  singleNode,
  threeNodeCluster,
} from '../support/esdb-protocol-double/targets.ts';
import { ev, sleep, streamName, waitFor } from './store-contract.ts';

// What the store contract cannot show: how the EventStoreDB adapter copes with EventStoreDB itself:
// system events in $all, positions that are byte offsets, event-id rules weaker than the port's, and a
// server that goes away under a subscription or an append. Run against the PROTOCOL TEST DOUBLE (not
// EventStoreDB) as one node and as a three-node cluster behind a multi-host connection string, and
// against the real server or cluster at ESDB_CONNECTION_STRING when it is set: there, the tests that
// break the server on purpose, or that write what the ledger never writes, are left out.

const { openStore, client, follow, defer } = esdbHarness();

for (const target of allTargets) {
  describe(`EventStoreDB as it is, on ${target.name}`, () => {
    it('system events in $all are skipped by reads, the head position, verify and subscriptions', async () => {
      const { connectionString } = await start(target);
      const store = openStore(connectionString);
      const raw = client(connectionString);
      const from = await store.headPosition();
      const s = streamName();
      await store.append(s, [ev('A')], 'no_stream');
      await raw.setStreamMetadata(s, { ledgerNote: 'a $metadata event in $$stream' });
      await store.append(s, [ev('B')], 0n);
      await raw.setStreamMetadata(s, { ledgerNote: 'another' });

      const all = await store.readAll({ after: from });
      expect(types(all)).toEqual(['A', 'B']);
      expect(await store.headPosition()).toBe(all[1]!.position);
      const report = await store.verify();
      expect(report.ok).toBe(true);
      if (!target.real) expect(report).toMatchObject({ eventsChecked: 2, streamsChecked: 1 });

      const { seen, caughtUp } = follow(store, from);
      await waitFor(() => caughtUp.length > 0);
      expect(types(seen)).toEqual(['A', 'B']);
      expect(caughtUp).toEqual([all[1]!.position]);
    });

    it('positions are EventStoreDB log positions: sparse, growing, never 0', async () => {
      const store = openStore((await start(target)).connectionString);
      const s = streamName();
      await store.append(s, [ev(), ev(), ev()], 'no_stream');
      const positions = (await store.readStream(s)).map((e) => e.position);
      expect(positions[0]! > 1n).toBe(true);
      expect(positions[1]! - positions[0]! > 1n).toBe(true);
      expect(positions[2]! > positions[1]!).toBe(true);
    });

    it('EventStoreDB refuses to read $all from inside a record; the adapter reads and subscribes after any position', async () => {
      const { connectionString } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      await store.append(s, [ev('E0'), ev('E1'), ev('E2')], 'no_stream');
      const [e0, e1] = await store.readStream(s);

      const inside = e0!.position + 3n;
      const refused = await client(connectionString)
        .readAll({ fromPosition: { commit: inside, prepare: inside }, maxCount: 1 })
        .toArray()
        .catch((e) => e);
      expect(refused).toBeInstanceOf(Error);
      expect(refused.message).toMatch(/invalid position/i);

      // The snapshot check reads "the event at the checkpoint" as the one after checkpoint - 1.
      expect(types(await store.readAll({ after: e1!.position - 1n, maxCount: 1 }))).toEqual(['E1']);
      expect(types(await store.readAll({ after: inside }))).toEqual(['E1', 'E2']);
      const fromInside = follow(store, inside);
      const beforeE1 = follow(store, e1!.position - 1n);
      await waitFor(() => fromInside.seen.length === 2 && beforeE1.seen.length === 2);
      await sleep(20);
      expect(types(fromInside.seen)).toEqual(['E1', 'E2']);
      expect(types(beforeE1.seen)).toEqual(['E1', 'E2']);
      expect([...fromInside.errors, ...beforeE1.errors]).toEqual([]);
    });

    it('reports caught up only after the backlog was handled, however slow the handler', async () => {
      const store = openStore((await start(target)).connectionString);
      const from = await store.headPosition();
      const s = streamName();
      await store.append(
        s,
        Array.from({ length: 20 }, (_, i) => ev(`E${i}`)),
        'no_stream',
      );
      const order: string[] = [];
      const sub = store.subscribeToAll({
        after: from,
        onEvent: async (e) => {
          await sleep(1);
          order.push(e.type);
        },
        onCaughtUp: () => order.push('caught-up'),
      });
      try {
        await waitFor(() => order.includes('caught-up'));
        expect(order).toHaveLength(21);
        expect(order[20]).toBe('caught-up');
      } finally {
        await sub.stop();
      }
    });

    it('a failing handler stops the subscription and is reported, not retried', async () => {
      const store = openStore((await start(target)).connectionString);
      const from = await store.headPosition();
      await store.append(streamName(), [ev('E0'), ev('E1')], 'no_stream');
      const calls: string[] = [];
      const errors: unknown[] = [];
      const sub = store.subscribeToAll({
        after: from,
        onEvent: (e) => {
          calls.push(e.type);
          throw new Error('projection bug');
        },
        onError: (e) => errors.push(e),
      });
      await waitFor(() => errors.length === 1);
      await sub.stop();
      expect((errors[0] as Error).message).toBe('projection bug');
      expect(calls).toEqual(['E0']);
      expect(sub.checkpoint).toBe(from);
    });
  });
}

for (const target of [singleNode, threeNodeCluster]) {
  describe(`event ids where EventStoreDB and the port differ, on ${target.name}`, () => {
    it('EventStoreDB writes a known id into another stream; the adapter refuses it', async () => {
      const { connectionString } = await start(target);
      const store = openStore(connectionString);
      const a = ev();
      await store.append(streamName(), [a], 'no_stream');

      const raw = binaryEvent({ id: a.eventId, type: a.type, data: Buffer.from('{}') });
      const elsewhere = streamName();
      await client(connectionString).appendToStream(elsewhere, raw, { expectedRevision: 'any' });
      expect((await store.readStream(elsewhere).catch((e) => e)) instanceof LedgerError).toBe(true);

      const third = streamName();
      await expect(store.append(third, [a], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(third)).toEqual([]);
    });

    it('EventStoreDB writes a batch whose first id is new and a later one known; the adapter refuses it', async () => {
      const { connectionString } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      const known = ev();
      await store.append(s, [known], 'no_stream');

      const fresh = ev();
      await expect(store.append(s, [fresh, known], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(s)).toHaveLength(1);

      const raw = [fresh, known].map((e) =>
        binaryEvent({ id: e.eventId, type: e.type, data: Buffer.from('{}') }),
      );
      const result = await client(connectionString).appendToStream(s, raw, { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(2n);
    });
  });

  describe(`a subscription when the server goes away, on ${target.name}`, () => {
    it('resumes from its checkpoint when the server aborts it with UNAVAILABLE', async () => {
      const { connectionString, faults } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      await store.append(s, [ev('E0'), ev('E1')], 'no_stream');
      const { seen, caughtUp, errors, subscription } = follow(store);
      await waitFor(() => caughtUp.length === 1);

      faults!.abortSubscriptions();
      await store.append(s, [ev('E2')], 1n);
      await waitFor(() => seen.length === 3);
      faults!.abortSubscriptions();
      faults!.abortSubscriptions();
      await store.append(s, [ev('E3'), ev('E4')], 2n);
      await waitFor(() => seen.length === 5);
      await sleep(30);

      expect(types(seen)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(5);
      expect(subscription.checkpoint).toBe(seen[4]!.position);
      expect(store.reconnects.length).toBeGreaterThanOrEqual(2);
      expect(errors).toEqual([]);
      expect(faults!.calls.subscribe).toBeGreaterThanOrEqual(3);
    });

    it('resumes when the server dies and comes back (a cluster: another node is elected)', async () => {
      const { connectionString, faults } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      await store.append(s, [ev('E0'), ev('E1')], 'no_stream');
      const { seen, errors, subscription } = follow(store);
      await waitFor(() => seen.length === 2);

      await faults!.kill();
      await sleep(50); // the subscription fails and retries against a closed port or a new leader
      await faults!.revive();
      await store.append(s, [ev('E2')], 1n);
      await waitFor(() => seen.length === 3);
      await sleep(30);

      expect(types(seen)).toEqual(['E0', 'E1', 'E2']);
      expect(subscription.checkpoint).toBe(seen[2]!.position);
      expect(store.reconnects.length).toBeGreaterThanOrEqual(1);
      expect(errors).toEqual([]);
      expect(faults!.liveSubscriptions).toBe(1);
    });

    it('a restarted ledger resumes from the checkpoint it kept, across a server restart', async () => {
      const { connectionString, faults } = await start(target);
      const before = openStore(connectionString);
      const s = streamName();
      await before.append(s, [ev('E0'), ev('E1'), ev('E2')], 'no_stream');
      const one = follow(before);
      await waitFor(() => one.seen.length === 3);
      await one.subscription.stop();
      const kept = one.subscription.checkpoint;
      await before.close();
      await faults!.kill();
      await faults!.revive();

      const after = openStore(connectionString);
      await after.append(s, [ev('E3')], 2n);
      const two = follow(after, kept);
      await waitFor(() => two.seen.length === 1);
      await sleep(30);
      expect(types(two.seen)).toEqual(['E3']);
    });
  });

  describe(`an append when the server goes away, on ${target.name}`, () => {
    it('is retried after a lost answer and written once (the event ids make it safe)', async () => {
      const { connectionString, faults } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      await store.append(s, [ev('E0')], 'no_stream');
      faults!.loseNextAppendResponse();
      const result = await store.append(s, [ev('E1'), ev('E2')], 0n);
      const read = await store.readStream(s);
      expect(types(read)).toEqual(['E0', 'E1', 'E2']);
      expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2]!.position });
    });

    it('waits for a server that comes back, and reports `unavailable` for one that does not', async () => {
      const { connectionString, faults } = await start(target);
      const store = openStore(connectionString);
      const s = streamName();
      await store.append(s, [ev('E0')], 'no_stream');
      await faults!.kill();
      const revived = sleep(60).then(() => faults!.revive());
      const result = await store.append(s, [ev('E1')], 0n);
      await revived;
      expect(result.nextExpectedRevision).toBe(1n);

      await faults!.killAll();
      const error = await store.readStream(s).catch((e) => e);
      expect(error).toBeInstanceOf(LedgerError);
      expect(error.kind).toBe('unavailable');
    });

    it('the client takes BatchAppend when the server lists it, Append when it does not', async () => {
      for (const batchAppend of [true, false]) {
        const { connectionString, faults } = await start(target, { batchAppend });
        const store = openStore(connectionString);
        await store.append(streamName(), [ev()], 'no_stream');
        expect(faults!.calls.batchAppend > 0).toBe(batchAppend);
        expect(faults!.calls.append > 0).toBe(!batchAppend);
      }
    });
  });
}

reportRealServerSkipped('the resilience tests');
if (process.env.ESDB_CONNECTION_STRING)
  describe('the resilience tests that break the server: on a real EventStoreDB server', () => {
    it('run on the protocol double only', (context) => {
      context.skip(
        'NOT run against the server at ESDB_CONNECTION_STRING: they stop nodes, drop answers and write ' +
          'events the ledger never writes, which a shared server must not be put through',
      );
    });
  });

async function start(target: EsdbTarget, options: Parameters<EsdbTarget['start']>[0] = {}) {
  const running = await target.start(options);
  defer(running.cleanup);
  return running;
}
