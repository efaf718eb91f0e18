import { binaryEvent, EventStoreDBClient } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, LedgerError } from '../../src/errors.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import type { RecordedEvent, Subscription } from '../../src/store/port.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { ev, sleep, streamName, waitFor } from './store-contract.ts';

// What the store contract cannot show: how the EventStoreDB adapter copes with EventStoreDB itself.
// Everything here runs against the PROTOCOL TEST DOUBLE (not EventStoreDB), over real gRPC with the
// real client: system events in $all, where EventStoreDB's event-id rules are weaker than the port's,
// and a server that goes away under a subscription or an append.

const FAST_RETRY = { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 5 };

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

async function startDouble(options: Parameters<typeof EsdbProtocolDouble.start>[0] = {}) {
  const double = await EsdbProtocolDouble.start(options);
  cleanups.push(() => double.stop());
  return double;
}

function openStore(connectionString: string, reconnects: unknown[] = []) {
  const store = new EventStoreDbStore({
    connectionString,
    retry: FAST_RETRY,
    onReconnect: (info) => reconnects.push(info),
  });
  cleanups.push(() => store.close());
  return store;
}

/** Follows $all into an array, the way the projection runner does. */
function follow(store: EventStoreDbStore, after = 0n) {
  const seen: RecordedEvent[] = [];
  const caughtUp: bigint[] = [];
  const errors: unknown[] = [];
  const subscription: Subscription = store.subscribeToAll({
    after,
    onEvent: (e) => {
      seen.push(e);
    },
    onCaughtUp: (p) => caughtUp.push(p),
    onError: (e) => errors.push(e),
  });
  cleanups.push(() => subscription.stop());
  return { seen, caughtUp, errors, subscription };
}

const types = (events: RecordedEvent[]) => events.map((e) => e.type);

describe('system events in $all', () => {
  it('are skipped by reads, the head position, verify and subscriptions', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    double.log.writeSystemEvent(`$$${s}`, '$metadata', { $maxAge: 31_536_000 });
    await store.append(s, [ev('B')], 0n);
    double.log.writeSystemEvent(`$$${s}`, '$metadata', { $maxAge: 63_072_000 });

    const all = await store.readAll();
    expect(types(all)).toEqual(['A', 'B']);
    expect(await store.headPosition()).toBe(all[1]!.position);
    const report = await store.verify();
    expect(report).toMatchObject({ ok: true, eventsChecked: 2, streamsChecked: 1 });

    const { seen, caughtUp } = follow(store);
    await waitFor(() => caughtUp.length > 0);
    expect(types(seen)).toEqual(['A', 'B']);
    expect(caughtUp).toEqual([all[1]!.position]);
  });

  it('positions are EventStoreDB log positions: sparse, growing, never 0', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    await store.append(streamName(), [ev(), ev(), ev()], 'no_stream');
    const positions = (await store.readAll()).map((e) => e.position);
    expect(positions[0]! > 1n).toBe(true);
    expect(positions[1]! - positions[0]! > 1n).toBe(true);
    expect(positions[2]! > positions[1]!).toBe(true);
  });
});

describe('positions that are not where a record starts', () => {
  it('EventStoreDB refuses to read from them; the adapter reads and subscribes after them all the same', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const client = EventStoreDBClient.connectionString(double.connectionString);
    cleanups.push(() => client.dispose());
    const s = streamName();
    await store.append(s, [ev('E0'), ev('E1'), ev('E2')], 'no_stream');
    const [e0, e1] = await store.readAll();

    const inside = e0!.position + 3n;
    const raw = await client
      .readAll({ fromPosition: { commit: inside, prepare: inside }, maxCount: 1 })
      .toArray()
      .catch((e) => e);
    expect(raw).toBeInstanceOf(Error);
    expect(raw.message).toMatch(/invalid position/);

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
});

describe('event ids: where EventStoreDB and the port differ', () => {
  it('EventStoreDB writes a known id into another stream; the adapter refuses it', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const client = EventStoreDBClient.connectionString(double.connectionString);
    cleanups.push(() => client.dispose());
    const a = ev();
    await store.append(streamName(), [a], 'no_stream');

    const raw = binaryEvent({ id: a.eventId, type: a.type, data: Buffer.from('{}') });
    const elsewhere = streamName();
    await client.appendToStream(elsewhere, raw, { expectedRevision: 'any' });
    expect((await store.readStream(elsewhere).catch((e) => e)) instanceof LedgerError).toBe(true);

    const third = streamName();
    await expect(store.append(third, [a], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream(third)).toEqual([]);
  });

  it('EventStoreDB writes a batch whose first id is new and a later one known; the adapter refuses it', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const client = EventStoreDBClient.connectionString(double.connectionString);
    cleanups.push(() => client.dispose());
    const s = streamName();
    const known = ev();
    await store.append(s, [known], 'no_stream');

    const fresh = ev();
    await expect(store.append(s, [fresh, known], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream(s)).toHaveLength(1);

    const raw = [fresh, known].map((e) =>
      binaryEvent({ id: e.eventId, type: e.type, data: Buffer.from('{}') }),
    );
    const result = await client.appendToStream(s, raw, { expectedRevision: 'any' });
    expect(result.nextExpectedRevision).toBe(2n);
  });
});

describe('a subscription when the server goes away', () => {
  it('resumes from its checkpoint when the server aborts it with UNAVAILABLE', async () => {
    const double = await startDouble();
    const reconnects: unknown[] = [];
    const store = openStore(double.connectionString, reconnects);
    const s = streamName();
    await store.append(s, [ev('E0'), ev('E1')], 'no_stream');
    const { seen, caughtUp, errors, subscription } = follow(store);
    await waitFor(() => caughtUp.length === 1);

    double.abortSubscriptions();
    await store.append(s, [ev('E2')], 1n);
    await waitFor(() => seen.length === 3);
    double.abortSubscriptions();
    double.abortSubscriptions();
    await store.append(s, [ev('E3'), ev('E4')], 2n);
    await waitFor(() => seen.length === 5);
    await sleep(30);

    expect(types(seen)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(5);
    expect(subscription.checkpoint).toBe(seen[4]!.position);
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    expect(double.calls.subscribe).toBeGreaterThanOrEqual(3);
  });

  it('resumes when the server dies and a new one starts on the same port with the same data', async () => {
    const first = await EsdbProtocolDouble.start();
    const reconnects: unknown[] = [];
    const store = openStore(first.connectionString, reconnects);
    const s = streamName();
    await store.append(s, [ev('E0'), ev('E1')], 'no_stream');
    const { seen, errors, subscription } = follow(store);
    await waitFor(() => seen.length === 2);

    await first.stop();
    await sleep(50); // the subscription fails and retries against a closed port
    const second = await startDouble({ port: first.port, log: first.log });
    await store.append(s, [ev('E2')], 1n);
    await waitFor(() => seen.length === 3);
    await sleep(30);

    expect(types(seen)).toEqual(['E0', 'E1', 'E2']);
    expect(subscription.checkpoint).toBe(seen[2]!.position);
    expect(reconnects.length).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    expect(second.liveSubscriptions).toBe(1);
  });

  it('a restarted ledger resumes from the checkpoint it kept, across a server restart', async () => {
    const first = await EsdbProtocolDouble.start();
    const before = openStore(first.connectionString);
    const s = streamName();
    await before.append(s, [ev('E0'), ev('E1'), ev('E2')], 'no_stream');
    const one = follow(before);
    await waitFor(() => one.seen.length === 3);
    await one.subscription.stop();
    const kept = one.subscription.checkpoint;
    await before.close();
    await first.stop();

    const second = await startDouble({ port: first.port, log: first.log });
    const after = openStore(second.connectionString);
    await after.append(s, [ev('E3')], 2n);
    const two = follow(after, kept);
    await waitFor(() => two.seen.length === 1);
    await sleep(30);
    expect(types(two.seen)).toEqual(['E3']);
  });

  it('reports caught up only after the backlog was handled, however slow the handler', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const s = streamName();
    await store.append(
      s,
      Array.from({ length: 20 }, (_, i) => ev(`E${i}`)),
      'no_stream',
    );
    const order: string[] = [];
    const sub = store.subscribeToAll({
      after: 0n,
      onEvent: async (e) => {
        await sleep(1);
        order.push(e.type);
      },
      onCaughtUp: () => order.push('caught-up'),
    });
    cleanups.push(() => sub.stop());
    await waitFor(() => order.includes('caught-up'));
    expect(order).toHaveLength(21);
    expect(order[20]).toBe('caught-up');
  });

  it('a failing handler stops the subscription and is reported, not retried', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    await store.append(streamName(), [ev('E0'), ev('E1')], 'no_stream');
    const calls: string[] = [];
    const errors: unknown[] = [];
    const sub = store.subscribeToAll({
      after: 0n,
      onEvent: (e) => {
        calls.push(e.type);
        throw new Error('projection bug');
      },
      onError: (e) => errors.push(e),
    });
    cleanups.push(() => sub.stop());
    await waitFor(() => errors.length === 1);
    expect((errors[0] as Error).message).toBe('projection bug');
    expect(calls).toEqual(['E0']);
    expect(sub.checkpoint).toBe(0n);
    await waitFor(() => double.liveSubscriptions === 0);
  });
});

describe('an append when the server goes away', () => {
  it('is retried after a lost answer and written once (the event ids make it safe)', async () => {
    const double = await startDouble();
    const store = openStore(double.connectionString);
    const s = streamName();
    await store.append(s, [ev('E0')], 'no_stream');
    double.loseNextAppendResponse();
    const result = await store.append(s, [ev('E1'), ev('E2')], 0n);
    const read = await store.readStream(s);
    expect(types(read)).toEqual(['E0', 'E1', 'E2']);
    expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2]!.position });
  });

  it('waits for a server that restarts, and reports `unavailable` for one that does not come back', async () => {
    const first = await EsdbProtocolDouble.start();
    const store = openStore(first.connectionString);
    const s = streamName();
    await store.append(s, [ev('E0')], 'no_stream');
    await first.stop();
    const restart = sleep(60).then(() => startDouble({ port: first.port, log: first.log }));
    const result = await store.append(s, [ev('E1')], 0n);
    await restart;
    expect(result.nextExpectedRevision).toBe(1n);

    const gone = await EsdbProtocolDouble.start();
    const lonely = openStore(gone.connectionString);
    await gone.stop();
    const error = await lonely.readStream(s).catch((e) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error.kind).toBe('unavailable');
  });

  it('the client takes BatchAppend when the server lists it, Append when it does not', async () => {
    for (const batchAppend of [true, false]) {
      const double = await startDouble({ batchAppend });
      const store = openStore(double.connectionString);
      await store.append(streamName(), [ev()], 'no_stream');
      expect(double.calls.batchAppend > 0).toBe(batchAppend);
      expect(double.calls.append > 0).toBe(!batchAppend);
    }
  });
});
