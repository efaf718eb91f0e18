import { z } from 'zod';

// Configuration comes from the environment, validated once at start-up: a bad value stops the ledger
// with a message naming the variable, rather than failing later.

const Flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LEDGER_STORE: z.enum(['sqlite', 'memory', 'eventstoredb']).default('sqlite'),
  LEDGER_DB: z.string().min(1).default('./data/ledger.db'),
  LEDGER_KEYS_DB: z.string().min(1).default('./data/keys.db'),
  LEDGER_AUTH_DB: z.string().min(1).default('./data/auth.db'),
  // The credential issuer's Ed25519 keys and issued credentials, outside the log (src/credentials/).
  LEDGER_ISSUER_DB: z.string().min(1).default('./data/issuer.db'),
  LEDGER_ISSUER_NAME: z.string().trim().min(1).max(200).default('NASENCO ledger (demo provider)'),
  // Credentials carry links under this URL (issuer, keys, status lists): set it to the public address.
  LEDGER_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  LEDGER_SQLITE_SYNC: z.enum(['full', 'normal']).default('full'),
  ESDB_CONNECTION_STRING: z.string().optional(),
  LEDGER_SNAPSHOT_FILE: z.string().min(1).default('./data/projections.snapshot'),
  // auto: on for EventStoreDB (a rebuild reads the whole log over the network), off for SQLite (the log is
  // read back faster than a snapshot loads, and the rebuilt state is the smaller one).
  LEDGER_SNAPSHOTS: z.enum(['auto', 'on', 'off']).default('auto'),
  LEDGER_DEMO: Flag.default(true),
  LEDGER_SPECS_DIR: z.string().optional(),
  LEDGER_FRAMEWORKS_DIR: z.string().optional(),
  LEDGER_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  if (config.LEDGER_STORE === 'eventstoredb' && !config.ESDB_CONNECTION_STRING)
    throw new Error(
      'invalid configuration:\n  ESDB_CONNECTION_STRING: is required when LEDGER_STORE=eventstoredb',
    );
  return config;
}
