import { binaryEvent, DeadlineExceededError, TimeoutError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { singleNode, threeNodeCluster } from '../support/esdb-protocol-double/targets.ts';
import { ev, sleep, streamName, waitFor } from './store-contract.ts';

// Appends that time out, against the PROTOCOL TEST DOUBLE (not EventStoreDB). EventStoreDB waits for a
// commit at most min(the append's deadline, its write timeout: 2 s by default) and then answers
// Timeout, without saying whether the write happened: a cluster's leader may still commit it once a
// quorum has it. In a BatchAppend the Timeout answers that one append and the call stays open. The
// adapter retries, and the event ids make the retry safe: each event is in the log exactly once.

const { openStore, client, defer } = esdbHarness();

async function double(options: Parameters<typeof EsdbProtocolDouble.start>[0]) {
  const node = await EsdbProtocolDouble.start(options);
  defer(() => node.stop());
  return node;
}

const raw = () => binaryEvent({ id: ev().eventId, type: 'Raw', data: Buffer.from('{}') });

describe('the double times an append out as EventStoreDB does', () => {
  it('BatchAppend answers Timeout when the write timeout passes, on a call that stays open', async () => {
    const node = await double({ writeTimeoutMs: 100 });
    node.writeLatencyMs = 400;
    const c = client(node.connectionString);
    const s = streamName();
    const started = Date.now();
    const late = raw();
    const answer = await c.appendToStream(s, late).catch((e) => e);
    expect(answer).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(400);

    node.writeLatencyMs = 0;
    const next = await c.appendToStream(s, raw(), { expectedRevision: 'any' });
    expect(next.success).toBe(true);
    expect(node.calls.batchAppend).toBe(1);
    // The slow write was not lost: it committed after its Timeout.
    await waitFor(
      () => node.log.read(s).kind === 'found' && node.log.records.some((r) => r.eventId === late.id),
    );
  });

  it("BatchAppend honours the append's own deadline when it comes before the write timeout", async () => {
    const node = await double({});
    node.writeLatencyMs = 1_500;
    const started = Date.now();
    const answer = await client(node.connectionString)
      .appendToStream(streamName(), raw(), { deadline: 100 })
      .catch((e) => e);
    expect(answer).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('Append (servers without BatchAppend) fails the call with Timeout', async () => {
    const node = await double({ batchAppend: false, writeTimeoutMs: 100 });
    node.timeOutNextAppend({ committed: false });
    const answer = await client(node.connectionString)
      .appendToStream(streamName(), raw())
      .catch((e) => e);
    expect(answer).toBeInstanceOf(TimeoutError);
  });
});

for (const target of [singleNode, threeNodeCluster]) {
  for (const batchAppend of [true, false]) {
    describe(`the adapter after a Timeout, on ${target.name} (${batchAppend ? 'BatchAppend' : 'Append'})`, () => {
      for (const committed of [true, false]) {
        it(`retries an append that timed out ${committed ? 'after' : 'before'} it committed: written once`, async () => {
          const running = await target.start({ batchAppend, writeTimeoutMs: 100 });
          defer(running.cleanup);
          const store = openStore(running.connectionString);
          const s = streamName();
          await store.append(s, [ev('E0')], 'no_stream');
          running.faults!.timeOutNextAppend({ committed });
          const batch = [ev('E1'), ev('E2')];
          const result = await store.append(s, batch, 0n);

          const read = await store.readStream(s);
          expect(types(read)).toEqual(['E0', 'E1', 'E2']);
          expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2]!.position });
          const all = await store.readAll();
          for (const e of batch) expect(all.filter((x) => x.eventId === e.eventId)).toHaveLength(1);
          expect((await store.verify()).ok).toBe(true);
        });
      }
    });
  }
}

describe('appends slower than the write timeout', () => {
  it('each attempt times out and commits late; the retry that finds them stops, nothing is doubled', async () => {
    const node = await double({ writeTimeoutMs: 100 });
    const store = openStore(node.connectionString);
    const s = streamName();
    await store.append(s, [ev('E0')], 'no_stream');
    node.writeLatencyMs = 250;
    const result = await store.append(s, [ev('E1')], 0n);
    node.writeLatencyMs = 0;
    await sleep(300); // every late attempt has landed (or been refused as a repeat) by now

    const read = await store.readStream(s);
    expect(types(read)).toEqual(['E0', 'E1']);
    expect(result.nextExpectedRevision).toBe(1n);
    expect(node.calls.batchAppend).toBe(1);
    expect(node.log.records.filter((r) => r.type === 'E1')).toHaveLength(1);
  });
});
