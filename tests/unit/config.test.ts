import { describe, expect, it } from 'vitest';
import { snapshotsWanted } from '../../src/app/open.ts';
import { loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('names the variable and the reason when a value is wrong', () => {
    expect(() => loadConfig({ LEDGER_SNAPSHOTS: 'sometimes' })).toThrow(/LEDGER_SNAPSHOTS: .*auto/);
    expect(() => loadConfig({ LEDGER_STORE: 'eventstoredb' })).toThrow(/ESDB_CONNECTION_STRING: is required/);
  });

  it('takes a port only as decimal digits from 0 to 65535', () => {
    for (const bad of ['', '0x10', '1e3', ' 80', '80 ', '-1', '65536', '3000.0', '080', 'http'])
      expect(() => loadConfig({ PORT: bad }), `PORT=${JSON.stringify(bad)}`).toThrow(/PORT: /);
    expect(loadConfig({ PORT: '0' }).PORT).toBe(0);
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
    expect(loadConfig({}).PORT).toBe(3000);
  });

  it('refuses an empty value rather than falling back to the default', () => {
    for (const name of [
      'LEDGER_DB',
      'LEDGER_KEYS_DB',
      'HOST',
      'LEDGER_DEMO',
      'LEDGER_STORE',
      'LEDGER_SPECS_DIR',
    ])
      expect(() => loadConfig({ [name]: '' }), name).toThrow(new RegExp(`${name}: is set but empty`));
  });

  it('checks every variable strictly', () => {
    const cases: [string, string, RegExp][] = [
      ['HOST', 'local host', /HOST: must be a host name/],
      ['LEDGER_DB', './data/led\nger.db', /LEDGER_DB: must not contain control characters/],
      ['LEDGER_KEYS_DB', ' ./keys.db', /LEDGER_KEYS_DB: must not start or end with spaces/],
      ['LEDGER_DEMO', 'maybe', /LEDGER_DEMO: /],
      ['LEDGER_SQLITE_SYNC', 'FULL', /LEDGER_SQLITE_SYNC: /],
      ['LEDGER_LOG_LEVEL', 'verbose', /LEDGER_LOG_LEVEL: /],
      ['LEDGER_CHECKPOINT_MINUTES', '0', /LEDGER_CHECKPOINT_MINUTES: /],
      ['LEDGER_CHECKPOINT_MINUTES', '1.5', /LEDGER_CHECKPOINT_MINUTES: /],
      ['ESDB_CONNECTION_STRING', 'localhost:2113', /ESDB_CONNECTION_STRING: must be an EventStoreDB/],
    ];
    for (const [name, value, message] of cases)
      expect(() => loadConfig({ [name]: value }), `${name}=${JSON.stringify(value)}`).toThrow(message);
  });

  it('refuses a LEDGER_ variable it does not know, such as a misspelling', () => {
    expect(() => loadConfig({ LEDGER_DBB: './x.db' })).toThrow(
      /LEDGER_DBB: is not a variable the ledger reads/,
    );
    expect(() => loadConfig({ LEDGER_CLI_ACTOR: 'me', PATH: '/bin' })).not.toThrow();
  });

  it('refuses two variables naming one file, such as the keys in the event log', () => {
    expect(() => loadConfig({ LEDGER_DB: './data/x.db', LEDGER_KEYS_DB: 'data/x.db' })).toThrow(
      /LEDGER_KEYS_DB: names the same file as LEDGER_DB \(.*x\.db\)/,
    );
    expect(() => loadConfig({ LEDGER_AUTH_DB: './data/keys.db' })).toThrow(
      /LEDGER_AUTH_DB: .*LEDGER_KEYS_DB/,
    );
  });

  it('keeps checkpoints beside the keys, not beside the log, unless told', () => {
    expect(loadConfig({ LEDGER_KEYS_DB: '/vault/keys.db' }).LEDGER_CHECKPOINTS_DIR).toBe(
      '/vault/checkpoints',
    );
    expect(loadConfig({ LEDGER_CHECKPOINTS_DIR: '/other/cps' }).LEDGER_CHECKPOINTS_DIR).toBe('/other/cps');
    expect(() => loadConfig({ LEDGER_CHECKPOINTS_DIR: './data/ledger.db' })).toThrow(
      /LEDGER_CHECKPOINTS_DIR: names the same file as LEDGER_DB/,
    );
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
