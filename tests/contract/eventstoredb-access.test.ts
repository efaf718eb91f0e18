import { AccessDeniedError, binaryEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { openStore as openConfiguredStore } from '../../src/app/open.ts';
import { loadConfig } from '../../src/config.ts';
import { LedgerError } from '../../src/errors.ts';
import { EventStoreDbStore } from '../../src/store/eventstoredb.ts';
import type { AccessControl } from '../support/esdb-protocol-double/access.ts';
import { EsdbClusterDouble } from '../support/esdb-protocol-double/cluster.ts';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { ev, streamName, waitFor } from './store-contract.ts';

// A secure EventStoreDB: TLS with the cluster's CA, users, and rights. Against the PROTOCOL TEST DOUBLE
// (not EventStoreDB) in its secure mode. The ledger's user needs exactly: read $all, read and write the
// ledger's streams. Without one of them the ledger refuses to start and says which; a right taken away
// while it runs gives a clear ledger error, never an endless retry.

const { openStore, client, follow, defer } = esdbHarness();

/** A fresh copy each time: tests take rights away. */
function rights(): AccessControl {
  return {
    users: {
      admin: { password: 'changeit', groups: ['$admins'] },
      ledger: { password: 'ledger-secret' },
      'no-all': { password: 'x' },
      'read-only': { password: 'x' },
      'all-only': { password: 'x' },
    },
    readAll: ['ledger', 'read-only', 'all-only'],
    userStreams: { read: ['ledger', 'no-all', 'read-only'], write: ['ledger', 'no-all'] },
  };
}

async function secureDouble(security = rights()) {
  const node = await EsdbProtocolDouble.start({ security });
  defer(() => node.stop());
  return { node, security };
}

async function refusal(connectionString: string): Promise<LedgerError> {
  const error = await EventStoreDbStore.open({ connectionString }).catch((e) => e);
  expect(error).toBeInstanceOf(LedgerError);
  return error;
}

describe('the double as a secure node', () => {
  it('serves TLS only, checks logins, and denies a right the user lacks with AccessDenied', async () => {
    const { node } = await secureDouble();
    const insecure = await client(`esdb://127.0.0.1:${node.port}?tls=false`)
      .readAll({ maxCount: 1 })
      .toArray()
      .catch((e) => e);
    expect(insecure).toBeInstanceOf(Error);

    const all = (user: string, password: string) =>
      client(node.connectionStringAs(user, password)).readAll({ maxCount: 1 }).toArray();
    expect(await all('ledger', 'ledger-secret')).toHaveLength(1);
    const denied = await all('no-all', 'x').catch((e) => e);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    const badLogin = await all('ledger', 'wrong').catch((e) => e);
    expect(badLogin).toBeInstanceOf(AccessDeniedError);
    expect(badLogin.code).toBe(16); // UNAUTHENTICATED

    const writer = client(node.connectionStringAs('read-only', 'x'));
    for (let i = 0; i < 2; i++)
      await expect(
        writer.appendToStream(streamName(), binaryEvent({ type: 'A', data: Buffer.from('{}') })),
      ).rejects.toBeInstanceOf(AccessDeniedError);
    expect(node.calls.batchAppend).toBe(1); // AccessDenied answers the append; the call stays open
  });
});

describe('starting the ledger on a secure EventStoreDB', () => {
  it('opens with a user holding exactly the rights it needs, and works over TLS', async () => {
    const { node } = await secureDouble();
    const store = await EventStoreDbStore.open({
      connectionString: node.connectionStringAs('ledger', 'ledger-secret'),
    });
    defer(() => store.close());
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    const { seen } = follow(store);
    await waitFor(() => seen.length === 1);
    expect(types(await store.readStream(s))).toEqual(['A']);
    expect((await store.verify()).ok).toBe(true);
  });

  it('refuses to start, naming the missing right and the user', async () => {
    const { node } = await secureDouble();
    const noAll = await refusal(node.connectionStringAs('no-all', 'x'));
    expect(noAll).toMatchObject({ kind: 'unavailable', code: 'store_access_denied' });
    expect(noAll.message).toMatch(/user "no-all" the right to read \$all/);
    const allOnly = await refusal(node.connectionStringAs('all-only', 'x'));
    expect(allOnly.message).toMatch(/the right to read the ledger's streams/);
    const readOnly = await refusal(node.connectionStringAs('read-only', 'x'));
    expect(readOnly.message).toMatch(/the right to write to the ledger's streams/);
    const wrong = await refusal(node.connectionStringAs('ledger', 'wrong'));
    expect(wrong).toMatchObject({ code: 'store_login_refused' });
    expect(wrong.message).toMatch(/user "ledger"/);
    const anonymous = await refusal(node.connectionString.replace('admin:changeit@', ''));
    expect(anonymous.message).toMatch(/anonymous/);
  });

  it('the configured store (LEDGER_STORE=eventstoredb) refuses the same way', async () => {
    const { node } = await secureDouble();
    const config = loadConfig({
      LEDGER_STORE: 'eventstoredb',
      ESDB_CONNECTION_STRING: node.connectionStringAs('no-all', 'x'),
    });
    const error = await openConfiguredStore(config).catch((e) => e);
    expect(error).toMatchObject({ code: 'store_access_denied' });
  });

  it('a secure three-node cluster: gossip, then the leader, over TLS with the ledger user', async () => {
    const cluster = await EsdbClusterDouble.start({ nodes: 3, security: rights() });
    defer(() => cluster.stop());
    await cluster.moveLeader(2);
    const store = await EventStoreDbStore.open({
      connectionString: cluster.connectionStringAs('ledger', 'ledger-secret'),
    });
    defer(() => store.close());
    await store.append(streamName(), [ev()], 'no_stream');
    expect(cluster.node(2)!.calls.batchAppend).toBe(1);
  });
});

describe('a right taken away while the ledger runs', () => {
  it('the subscription stops with a ledger error naming the right, not an endless retry', async () => {
    const { node, security } = await secureDouble();
    const store = openStore(node.connectionStringAs('ledger', 'ledger-secret'));
    await store.append(streamName(), [ev('A')], 'no_stream');
    security.readAll = [];
    const { errors } = follow(store);
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'store_access_denied', details: { right: 'subscribe to $all' } });
    expect(store.reconnects).toEqual([]);
  });

  it('an append fails with a ledger error naming the stream it may not write', async () => {
    const { node, security } = await secureDouble();
    const store = openStore(node.connectionStringAs('ledger', 'ledger-secret'));
    const s = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    security.streams = { [s]: { write: ['admin'] } };
    const error = await store.append(s, [ev('B')], 0n).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'store_access_denied' });
    expect(error.message).toContain(`the right to write to stream ${s}`);
    expect(types(await store.readStream(s))).toEqual(['A']);
  });
});
