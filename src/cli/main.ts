import { writeFileSync } from 'node:fs';
import { configureImmer } from '../app/immer.ts';
import { toJson } from '../app/json.ts';
import { type OpenedLedger, openLedger } from '../app/open.ts';
import { rebuildReadModels } from '../app/rebuild.ts';
import { requireTokenSubject } from '../app/token-subjects.ts';
import { StaffRole } from '../auth/tokens.ts';
import { type Config, loadConfig } from '../config.ts';
import { LedgerError } from '../errors.ts';
import { checkpointsCommand, verifyCommand } from './checkpoints.ts';
import { type CommandName, WITHOUT_LEDGER } from './commands.ts';
import { credentialCli } from './credentials.ts';
import { importCohortCsv } from './import-cohort.ts';
import { type Invocation, invocation, str, usage } from './invocation.ts';
import { creditLines, decisionLines, replayLines } from './print.ts';
import { progress } from './progress.ts';

// The ledger's command line, for what an administrator does at a terminal. It opens the same store the
// server uses (configured by the same environment variables) and may run while the server runs. Every
// option is checked before the ledger is opened (invocation.ts).

configureImmer();

interface Context extends Invocation {
  opened: OpenedLedger;
  config: Config;
}

type LedgerCommand = Exclude<CommandName, (typeof WITHOUT_LEDGER)[number]>;
const withoutLedger = (c: CommandName): c is (typeof WITHOUT_LEDGER)[number] =>
  (WITHOUT_LEDGER as readonly string[]).includes(c);

const handlers: Record<LedgerCommand, (c: Context) => Promise<number>> = {
  async init({ opened: { ledger }, config }) {
    const where = config.LEDGER_STORE === 'sqlite' ? config.LEDGER_DB : config.LEDGER_STORE;
    console.log(`store: ${ledger.store.name} (${where})`);
    console.log(`keys: ${config.LEDGER_KEYS_DB}\ntokens: ${config.LEDGER_AUTH_DB}`);
    console.log(`last position in the log: ${await ledger.store.headPosition()} (0 when empty)`);
    return 0;
  },

  async token({ opened: { tokens, ledger }, args, values }) {
    const [sub] = args;
    const id = str(values.id);
    if (sub === 'create') {
      const role = StaffRole.safeParse(values.role);
      if (!role.success)
        return usage('--role must be one of registry, tutor, examiner, admin, student', 'token');
      if (!id)
        return usage('--id is required: the actor id recorded on every event this token writes', 'token');
      await requireTokenSubject(ledger.store, { id, role: role.data });
      const token = tokens.create({
        id,
        role: role.data,
        label: str(values.label) ?? `created by the CLI for ${id}`,
      });
      console.log(token);
      console.error(`token for ${id} (${role.data}) created; it is shown only now`);
      return 0;
    }
    if (sub === 'list') {
      for (const t of tokens.list()) console.log(`${t.id}\t${t.role}\t${t.createdAt}\t${t.label}`);
      return 0;
    }
    if (sub === 'revoke') {
      if (!id) return usage('--id is required', 'token');
      console.log(`${tokens.revoke(id)} token(s) revoked for ${id}`);
      return 0;
    }
    return usage('token create | token list | token revoke', 'token');
  },

  async 'import-cohort'({ opened: { ledger }, values, csv }) {
    const actor = { id: process.env.LEDGER_CLI_ACTOR ?? 'cli-admin', role: 'registry' as const };
    const bar = progress('importing', null);
    const ids = await importCohortCsv(ledger, str(values.cohort)!, csv!, actor, ledger.queries.today(), (n) =>
      bar.update(n),
    );
    bar.done(ids.length);
    for (const id of ids) console.log(id);
    return 0;
  },

  async show({ opened: { ledger }, args: [id], values }) {
    const record = ledger.queries.record(id!);
    const personal = ledger.queries.personalDetails(record);
    if (values.json) {
      console.log(toJson({ record, personal }));
      return 0;
    }
    const name = personal ? ` — ${personal.fullName}` : record.erasure ? ' — personal data erased' : '';
    console.log(`student ${id}${name}`);
    const e = record.enrolment;
    console.log(
      `programme: ${e ? `${e.programmeId} v${e.specVersion}, cohort ${e.cohortId}` : 'not enrolled'}`,
    );
    console.log(`events: ${Number(record.revision) + 1} (last at position ${record.lastPosition})`);
    const credits = ledger.queries.credits(id!);
    if (credits) for (const line of creditLines(credits)) console.log(line);
    console.log(`decision: ${ledger.queries.decision(id!)?.summary ?? 'none'}`);
    return 0;
  },

  async explain({ opened: { ledger }, args: [id], values, on, knownAt }) {
    let decision = knownAt === undefined ? ledger.queries.decision(id!, on) : null;
    let eventsIncluded: number | undefined;
    if (knownAt !== undefined) {
      const then = await ledger.queries.asOf(id!, { knownAt, ...(on ? { on } : {}) });
      decision = then.decision;
      eventsIncluded = then.eventsIncluded;
    }
    if (!decision)
      return fail(
        `student ${id} has no programme to be judged against${knownAt ? ` as known at ${knownAt}` : ''}`,
      );
    if (values.json) console.log(toJson(decision));
    else for (const line of decisionLines(decision, { knownAt, eventsIncluded })) console.log(line);
    return 0;
  },

  async replay({ opened: { ledger }, args: [id], values, until, knownAt }) {
    const steps = await ledger.queries.replay(id!, {
      ...(until ? { occurredBy: until } : {}),
      ...(knownAt ? { knownAt } : {}),
    });
    if (values.json) console.log(toJson(steps));
    else for (const line of replayLines(steps)) console.log(line);
    return 0;
  },

  async rebuild({ opened: { ledger }, config }) {
    // EventStoreDB's positions are not 1, 2, 3: there the bar counts events without a total
    const head = Number(await ledger.store.headPosition());
    const bar = progress('rebuilding', ledger.store.name === 'eventstoredb' ? null : head);
    const rebuilt = await rebuildReadModels(ledger, (n) => bar.update(n));
    const { seconds } = bar.done(rebuilt.applied);
    const where =
      config.LEDGER_STORE === 'memory' ? 'in memory (the memory store keeps nothing)' : config.LEDGER_READ_DB;
    console.log(
      `rebuilt ${rebuilt.applied} events in ${seconds.toFixed(2)} s (${Math.round(rebuilt.applied / Math.max(seconds, 1e-9))} events/s): ${rebuilt.students} students, ${rebuilt.cohorts} cohorts`,
    );
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const { readingMs, foldingMs, encodingMs, writingMs, otherMs } = rebuilt.spent;
    console.log(
      `time spent reading the log ${s(readingMs)}, folding events ${s(foldingMs)}, encoding states ${s(encodingMs)}, writing them ${s(writingMs)}, the rest ${s(otherMs)}`,
    );
    console.log(
      `the read models in ${where} now follow the log from position ${rebuilt.generation.checkpoint}${rebuilt.replaced ? ` (they replace those at position ${rebuilt.replaced.checkpoint}, which answered meanwhile; a running server moves to them within seconds)` : ''}`,
    );
    return 0;
  },

  async verify({ opened, values }) {
    return verifyCommand(opened, { json: values.json === true, checkpoint: str(values.checkpoint) });
  },

  async checkpoints({ opened, args: [sub], values }) {
    return checkpointsCommand(opened, sub, { json: values.json === true, reason: str(values.reason) });
  },

  async 'export-exam-board'({ opened: { ledger }, args: [cohortId], values, on, knownAt }) {
    const csv = await ledger.queries.examBoardCsv(cohortId!, {
      ...(on ? { on } : {}),
      ...(knownAt ? { knownAt } : {}),
    });
    const out = str(values.out);
    if (out) {
      writeFileSync(out, csv);
      console.error(`wrote ${csv.split('\n').length - 2} rows to ${out}`);
    } else process.stdout.write(csv);
    return 0;
  },

  async migrate({ opened: { ledger }, values }) {
    const to = str(values.to);
    if (!to) return usage('migrate needs --to <EventStoreDB connection string>', 'migrate');
    const { migrateLedgerTo } = await import('../app/migrate.ts');
    const total = Number(await ledger.store.headPosition());
    const bar = progress('migrating', total);
    const result = await migrateLedgerTo(ledger, to, (n) => bar.update(n));
    bar.done(total);
    console.log(toJson(result));
    return 0;
  },
};

/** Commands that read the projections have them brought up to date first (from their checkpoint). */
const READS_PROJECTIONS: readonly LedgerCommand[] = [
  'import-cohort',
  'show',
  'explain',
  'replay',
  'export-exam-board',
];

async function main(argv: string[]): Promise<number> {
  const inv = invocation(argv);
  if (typeof inv === 'number') return inv;
  if (withoutLedger(inv.command)) return credentialCli(argv);
  const config = loadConfig();
  const opened = await openLedger(config);
  try {
    if (READS_PROJECTIONS.includes(inv.command)) await opened.ledger.start({ follow: false });
    return await handlers[inv.command]({ ...inv, opened, config });
  } finally {
    await opened.close();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof LedgerError) {
      // a schema's issues each name their field; a refusal's reason is its message, and names its field
      const invalid = error.kind === 'invalid' && error.issues.length > 0;
      console.error(`${error.code}: ${invalid ? 'nothing was written' : error.message}`);
      if (invalid) for (const issue of error.issues) console.error(`  ${issue.field}: ${issue.reason}`);
      else if (error.issues[0]) console.error(`  (${error.issues[0].field}) nothing was written`);
    } else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
