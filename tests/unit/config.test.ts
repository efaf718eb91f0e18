import { describe, expect, it } from 'vitest';
import { snapshotsWanted } from '../../src/app/open.ts';
import { loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('names the variable and the reason when a value is wrong', () => {
    expect(() => loadConfig({ LEDGER_SNAPSHOTS: 'sometimes' })).toThrow(/LEDGER_SNAPSHOTS: .*auto/);
    expect(() => loadConfig({ LEDGER_STORE: 'eventstoredb' })).toThrow(/ESDB_CONNECTION_STRING: is required/);
  });

  it('keeps projection snapshots on EventStoreDB and not on SQLite unless told', () => {
    const esdb = { LEDGER_STORE: 'eventstoredb', ESDB_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' };
    expect(snapshotsWanted(loadConfig({}))).toBe(false);
    expect(snapshotsWanted(loadConfig(esdb))).toBe(true);
    expect(snapshotsWanted(loadConfig({ LEDGER_SNAPSHOTS: 'on' }))).toBe(true);
    expect(snapshotsWanted(loadConfig({ ...esdb, LEDGER_SNAPSHOTS: 'off' }))).toBe(false);
    expect(snapshotsWanted(loadConfig({ LEDGER_STORE: 'memory', LEDGER_SNAPSHOTS: 'on' }))).toBe(false);
  });
});
