// The command line's commands and the options each takes: the help is printed from this table and the
// dispatcher (main.ts) must handle every name in it, so what the help lists is what the CLI does. An
// option a command does not take is refused, never ignored.

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** What the value looks like, for the help. */
  value?: string;
  what: string;
}

export const OPTIONS = {
  role: { type: 'string', value: '<role>', what: 'registry, tutor, examiner, admin or student' },
  id: { type: 'string', value: '<id>', what: 'the actor id (a student token: the student id)' },
  label: { type: 'string', value: '<text>', what: 'a note kept with the token' },
  cohort: { type: 'string', value: '<cohortId>', what: 'the cohort to enrol the applicants on' },
  file: { type: 'string', value: '<applicants.csv>', what: 'the CSV of applicants' },
  on: {
    type: 'string',
    value: 'YYYY-MM-DD',
    what: "judge on this date: today's log (with every later correction) as if it were that day; default today",
  },
  until: {
    type: 'string',
    value: 'YYYY-MM-DD',
    what: 'only the events that happened on or before this date (occurred-at)',
  },
  'known-at': {
    type: 'string',
    value: 'YYYY-MM-DD|date-time',
    what: 'only what the ledger had recorded by then (a date: the end of that day, London time)',
  },
  out: { type: 'string', value: '<file.csv>', what: 'write the CSV to this file instead of stdout' },
  to: { type: 'string', value: '<connection string>', what: 'the EventStoreDB to copy into' },
  credential: {
    type: 'string',
    value: '<file>',
    what: 'the credential: a .jwt file or the JSON the API gives',
  },
  keys: { type: 'string', value: '<jwks.json|URL>', what: "the issuer's published keys (a JWK set)" },
  status: {
    type: 'string',
    value: '<status.jwt|URL>',
    what: "the issuer's status list, to check revocation",
  },
  reason: { type: 'string', value: '<text>', what: 'why the checkpoint is written (kept in it, signed)' },
  checkpoint: {
    type: 'string',
    value: '<file>',
    what: 'also check the log against this checkpoint, a copy kept elsewhere (e.g. with board minutes)',
  },
  json: { type: 'boolean', what: 'machine-readable output' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

export interface CommandSpec {
  /** How to call it. */
  usage: string;
  /** How many arguments (besides options) it takes. */
  args: number;
  what: string;
  options: readonly OptionName[];
}

export const COMMANDS = {
  init: {
    usage: 'init',
    args: 0,
    what: 'create the data files (store, keys, tokens) if missing, and say where they are',
    options: [],
  },
  token: {
    usage: 'token create --role <role> --id <id> [--label <text>] | token list | token revoke --id <id>',
    args: 1,
    what: 'create a bearer token (shown once; only its hash is kept), list tokens, revoke an id',
    options: ['role', 'id', 'label'],
  },
  'import-cohort': {
    usage: 'import-cohort --cohort <cohortId> --file <applicants.csv>',
    args: 0,
    what: 'register applicants and enrol them on a cohort (every row is checked before any is written)',
    options: ['cohort', 'file'],
  },
  show: {
    usage: 'show <studentId>',
    args: 1,
    what: 'the record at a glance',
    options: ['json'],
  },
  explain: {
    usage: 'explain <studentId>',
    args: 1,
    what: 'the award decision, rule by rule, with the events behind each rule',
    options: ['on', 'known-at', 'json'],
  },
  replay: {
    usage: 'replay <studentId>',
    args: 1,
    what: 'the history step by step, with the decision and credits after each event',
    options: ['until', 'known-at', 'json'],
  },
  rebuild: {
    usage: 'rebuild',
    args: 0,
    what: 'rebuild every projection from the log and write it as the snapshot the server starts from',
    options: [],
  },
  verify: {
    usage: 'verify',
    args: 0,
    what: 'walk the hash chain and check the log against its signed checkpoints; exit 1 at a broken link or a refused checkpoint; print the combined head digest',
    options: ['checkpoint', 'json'],
  },
  checkpoints: {
    usage: 'checkpoints list | checkpoints write [--reason <text>]',
    args: 1,
    what: "the log's signed checkpoints (count, position, digest) with the public key, or write one now",
    options: ['reason', 'json'],
  },
  'export-exam-board': {
    usage: 'export-exam-board <cohortId>',
    args: 1,
    what: 'every attempt at every module (provisional or ratified) and the decisions, as CSV',
    options: ['on', 'known-at', 'out'],
  },
  migrate: {
    usage: 'migrate --to <connection string>',
    args: 0,
    what: 'copy the SQLite log into EventStoreDB and verify the copy',
    options: ['to'],
  },
  'verify-credential': {
    usage: 'verify-credential --credential <file> --keys <jwks.json|URL>',
    args: 0,
    what: 'verify an award credential offline, without the ledger: exit 0 valid, 1 otherwise',
    options: ['credential', 'keys', 'status', 'json'],
  },
  'issuer-key': {
    usage: 'issuer-key list | issuer-key rotate | issuer-key jwks',
    args: 1,
    what: "the issuer's signing keys (LEDGER_ISSUER_DB): list, make a new one current, print the public JWK set",
    options: [],
  },
} as const satisfies Record<string, CommandSpec>;

/** Commands that need no ledger opened (src/cli/credentials.ts runs them). */
export const WITHOUT_LEDGER = ['verify-credential', 'issuer-key'] as const;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function optionUsage(name: OptionName): string {
  const o: OptionSpec = OPTIONS[name];
  return o.value ? `--${name} ${o.value}` : `--${name}`;
}

/** The help for every command, or for one. */
export function helpText(only?: CommandName): string {
  const names = only ? [only] : (Object.keys(COMMANDS) as CommandName[]);
  const blocks = names.map((name) => {
    const c: CommandSpec = COMMANDS[name];
    const lines = [`  ${c.usage}`, `      ${c.what}`];
    for (const o of c.options) lines.push(`      ${optionUsage(o).padEnd(34)} ${OPTIONS[o].what}`);
    return lines.join('\n');
  });
  return [
    'usage: npm run ledger -- <command> [options]   (or: npx ledger <command> [options])',
    '',
    ...blocks,
    '',
    '  Dates are YYYY-MM-DD and must be real dates. --on judges the log as it stands today (every',
    '  correction made since included) as if it were that day; --known-at shows only what the ledger',
    '  had recorded by then, e.g. the marks as an exam board saw them. <command> --help for one command.',
  ].join('\n');
}
