import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  binaryEvent,
  type EventStoreDBClient,
  START,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { ev, sleep, streamName, waitFor } from './store-contract.ts';

// The PROTOCOL TEST DOUBLE (not EventStoreDB) itself: what it refuses because it does not model it,
// and how its catch-up subscriptions behave at their edges, checked through the official client. Each
// subscription behaviour is then checked through the adapter.

const { openStore, client, follow, defer } = esdbHarness();

async function start(options: Parameters<typeof EsdbProtocolDouble.start>[0] = {}) {
  const node = await EsdbProtocolDouble.start(options);
  defer(() => node.stop());
  return node;
}

const raw = (type = 'Raw') => binaryEvent({ type, data: Buffer.from('{}') });

/** The official client's subscription, with the notices it raises, as one ordered list. */
function watch(c: EventStoreDBClient, fromPosition: Parameters<EventStoreDBClient['subscribeToAll']>[0]) {
  const notes: string[] = [];
  const sub: AllStreamSubscription = c.subscribeToAll(fromPosition);
  sub.on('caughtUp', () => notes.push('caught-up'));
  sub.on('fellBehind', () => notes.push('fell-behind'));
  sub.on('data', (e: AllStreamResolvedEvent) => {
    if (e.event && !e.event.type.startsWith('$')) notes.push(e.event.type);
  });
  const errors: unknown[] = [];
  sub.on('error', (e) => errors.push(e));
  defer(() => sub.unsubscribe());
  return { notes, errors };
}

describe('what the double does not model, it refuses with UNIMPLEMENTED', () => {
  it('resolving links, server-side filters, and stream metadata other than custom keys', async () => {
    const node = await start();
    const c = client(node.connectionString);
    const s = streamName();
    await c.appendToStream(s, raw());
    const unimplemented = (error: unknown) => {
      expect((error as { code?: number }).code).toBe(12);
      expect((error as Error).message).toMatch(/not modelled by the protocol double/);
    };
    unimplemented(
      await c
        .readAll({ resolveLinkTos: true })
        .toArray()
        .catch((e) => e),
    );
    unimplemented(
      await c
        .readStream(s, { resolveLinkTos: true })
        .toArray()
        .catch((e) => e),
    );
    const filtered = c.subscribeToAll({
      filter: { filterOn: 'streamName', prefixes: ['student-'], checkpointInterval: 1 },
    });
    const filterError = await new Promise((resolve) => filtered.on('error', resolve));
    unimplemented(filterError);
    for (const metadata of [
      { maxAge: 60 },
      { maxCount: 5 },
      { truncateBefore: 1 },
      { acl: { readRoles: ['x'] } },
    ])
      unimplemented(await c.setStreamMetadata(s, metadata).catch((e) => e));
    await c.setStreamMetadata(s, { ledgerNote: 'custom keys are plain data' });
  });
});

describe('a subscription that starts past the end of the log', () => {
  it('skips what lands at or before its start, as EventStoreDB does', async () => {
    const node = await start();
    const past = node.log.endPosition + 40n; // the next event lands before it, the one after beyond it
    const { notes } = watch(client(node.connectionString), { fromPosition: { commit: past, prepare: past } });
    await waitFor(() => notes.includes('caught-up'));
    await client(node.connectionString).appendToStream(streamName(), [raw('E0'), raw('E1'), raw('E2')]);
    await waitFor(() => notes.length === 3);
    await sleep(20);
    expect(notes).toEqual(['caught-up', 'E1', 'E2']);

    const store = openStore(node.connectionString);
    const after = node.log.endPosition + 40n;
    const { seen } = follow(store, after);
    await store.append(streamName(), [ev('F0'), ev('F1')], 'no_stream');
    await waitFor(() => seen.length === 1);
    await sleep(20);
    expect(types(seen)).toEqual(['F1']);
  });
});

describe('a subscription that falls behind', () => {
  it('says FellBehind when live events overflow, catches up from the log, then says CaughtUp again', async () => {
    const node = await start({ liveBufferSize: 4 });
    const c = client(node.connectionString);
    const { notes, errors } = watch(c, { fromPosition: START });
    await waitFor(() => notes.includes('caught-up'));
    node.holdSubscriptions();
    const written = Array.from({ length: 10 }, (_, i) => raw(`E${i}`));
    for (const e of written) await c.appendToStream(streamName(), e);
    node.releaseSubscriptions();
    await waitFor(() => notes.filter((n) => n === 'caught-up').length === 2);
    // The event already taken off the live queue when the hold began goes first; the queue then lost
    // its oldest, so the rest come from the log after FellBehind.
    expect(notes.filter((n) => n.startsWith('E'))).toEqual(written.map((e) => e.type));
    expect(notes.filter((n) => !n.startsWith('E'))).toEqual(['caught-up', 'fell-behind', 'caught-up']);
    expect(notes.at(-1)).toBe('caught-up');
    expect(errors).toEqual([]);
    expect(node.calls.subscribe).toBe(1);
  });

  it('through the adapter: every event once, in order, and caught up reported again, on one subscription', async () => {
    const node = await start({ liveBufferSize: 4 });
    const store = openStore(node.connectionString);
    const { seen, caughtUp, errors } = follow(store);
    await waitFor(() => caughtUp.length === 1);
    node.holdSubscriptions();
    const s = streamName();
    for (let i = 0; i < 12; i++) await store.append(s, [ev(`E${i}`)], i === 0 ? 'no_stream' : BigInt(i - 1));
    node.releaseSubscriptions();
    await waitFor(() => caughtUp.length === 2);
    expect(types(seen)).toEqual(Array.from({ length: 12 }, (_, i) => `E${i}`));
    expect(caughtUp[1]).toBe(seen[11]!.position);
    expect(errors).toEqual([]);
    expect(store.reconnects).toEqual([]);
    expect(node.calls.subscribe).toBe(1);
  });
});
