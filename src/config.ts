import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

// Configuration comes from the environment, validated once at start-up: a bad value stops the ledger
// with a message naming the variable, rather than failing later. Every value is read strictly: a port is
// decimal digits (not "", "0x10" or "1e3", which Number() would take), a path holds no control
// characters, a variable set to "" is an error rather than its default, and a LEDGER_ variable the ledger
// does not know (a misspelling, say) is refused instead of silently ignored.

const Flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const Port = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,4})$/, 'must be a port number from 0 to 65535 in decimal digits')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a port number from 0 to 65535'));

const Host = z
  .string()
  .regex(/^[A-Za-z0-9.:%_-]{1,253}$/, 'must be a host name or an IP address (letters, digits, . : - _)');

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
const Path = z
  .string()
  .refine((p) => !CONTROL.test(p), 'must not contain control characters')
  .refine((p) => p.trim() === p, 'must not start or end with spaces')
  .refine((p) => p.length <= 4096, 'is too long for a path');

const Minutes = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number of minutes from 1 to 1440')
  .transform(Number)
  .pipe(z.number().max(1440, 'must be a whole number of minutes from 1 to 1440'));

const Hours = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number of hours from 1 to 720')
  .transform(Number)
  .pipe(z.number().max(720, 'must be a whole number of hours from 1 to 720'));

export const ConfigSchema = z.object({
  PORT: Port.default(3000),
  HOST: Host.default('127.0.0.1'),
  LEDGER_STORE: z.enum(['sqlite', 'memory', 'eventstoredb']).default('sqlite'),
  LEDGER_DB: Path.default('./data/ledger.db'),
  LEDGER_KEYS_DB: Path.default('./data/keys.db'),
  LEDGER_AUTH_DB: Path.default('./data/auth.db'),
  // The Idempotency-Keys of commands and what each answered (ids and positions, no personal data), kept
  // this long: longer than any client goes on retrying one request.
  LEDGER_IDEMPOTENCY_DB: Path.default('./data/idempotency.db'),
  LEDGER_IDEMPOTENCY_HOURS: Hours.default(24),
  // The credential issuer's Ed25519 keys and issued credentials, outside the log (src/credentials/).
  LEDGER_ISSUER_DB: Path.default('./data/issuer.db'),
  LEDGER_ISSUER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters')
    .default('NASENCO ledger (demo provider)'),
  // Credentials carry links under this URL (issuer, keys, status lists): set it to the public address.
  LEDGER_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  LEDGER_SQLITE_SYNC: z.enum(['full', 'normal']).default('full'),
  ESDB_CONNECTION_STRING: z
    .string()
    .regex(/^esdb(\+discover)?:\/\/\S+$/, 'must be an EventStoreDB connection string (esdb://host:2113?...)')
    .optional(),
  // The read models (src/store/read-model-db.ts): kept beside the log, one file per ledger instance.
  LEDGER_READ_DB: Path.default('./data/read-models.db'),
  /**
   * Signed checkpoints of the log (src/store/checkpoints.ts): keep them where the log's writers cannot.
   * Unset, they go beside the keys (`checkpoints/` in LEDGER_KEYS_DB's directory), not beside the log.
   */
  LEDGER_CHECKPOINTS_DIR: Path.optional(),
  LEDGER_CHECKPOINT_MINUTES: Minutes.default(10),
  LEDGER_DEMO: Flag.default(true),
  LEDGER_SPECS_DIR: Path.optional(),
  LEDGER_FRAMEWORKS_DIR: Path.optional(),
  LEDGER_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});
export type Config = z.infer<typeof ConfigSchema> & { LEDGER_CHECKPOINTS_DIR: string };

/** Read outside this module, and so known though not part of Config. */
const OTHER_KNOWN = ['LEDGER_CLI_ACTOR'];

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const known = new Set([...Object.keys(ConfigSchema.shape), ...OTHER_KNOWN]);
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.startsWith('LEDGER_') && !known.has(name))
      problems.push(`${name}: is not a variable the ledger reads (see the README's Configuration)`);
    if (!(name in ConfigSchema.shape)) continue;
    if (value === '')
      problems.push(`${name}: is set but empty; unset it to use the default, or give a value`);
    else given[name] = value;
  }
  const result = ConfigSchema.safeParse(given);
  if (!result.success)
    for (const i of result.error.issues) problems.push(`${i.path.join('.')}: ${i.message}`);
  if (problems.length > 0 || !result.success) throw configError(problems);
  const config = {
    ...result.data,
    LEDGER_CHECKPOINTS_DIR:
      result.data.LEDGER_CHECKPOINTS_DIR ?? join(dirname(result.data.LEDGER_KEYS_DB), 'checkpoints'),
  };
  if (config.LEDGER_STORE === 'eventstoredb' && !config.ESDB_CONNECTION_STRING)
    throw configError(['ESDB_CONNECTION_STRING: is required when LEDGER_STORE=eventstoredb']);
  const clash = sameFile(config);
  if (clash) throw configError([clash]);
  return config;
}

/** Two variables naming one file would mix the log, the keys, the tokens or the read models. */
function sameFile(config: Config): string | null {
  const files: [string, string][] = [
    ['LEDGER_KEYS_DB', config.LEDGER_KEYS_DB],
    ['LEDGER_AUTH_DB', config.LEDGER_AUTH_DB],
    ['LEDGER_IDEMPOTENCY_DB', config.LEDGER_IDEMPOTENCY_DB],
    ['LEDGER_ISSUER_DB', config.LEDGER_ISSUER_DB],
    ['LEDGER_READ_DB', config.LEDGER_READ_DB],
    ['LEDGER_CHECKPOINTS_DIR', config.LEDGER_CHECKPOINTS_DIR],
  ];
  if (config.LEDGER_STORE === 'sqlite') files.unshift(['LEDGER_DB', config.LEDGER_DB]);
  const seen = new Map<string, string>();
  for (const [name, path] of files) {
    if (path === ':memory:') continue;
    const full = resolve(path);
    const other = seen.get(full);
    if (other) return `${name}: names the same file as ${other} (${full}); each must be its own file`;
    seen.set(full, name);
  }
  return null;
}

function configError(problems: string[]): Error {
  return new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
