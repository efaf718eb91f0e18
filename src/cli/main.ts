import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configureImmer } from '../app/immer.ts';
import { openLedger } from '../app/open.ts';
import { StaffRole } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import type { Decision } from '../domain/rules.ts';
import { LedgerError } from '../errors.ts';
import { examBoardCsv } from '../http/export.ts';
import { toJson } from '../http/json.ts';
import { checkpointsCommand, verifyCommand } from './checkpoints.ts';
import { CREDENTIAL_HELP, credentialCli, isCredentialCommand } from './credentials.ts';
import { importCohortCsv } from './import-cohort.ts';
import { progress } from './progress.ts';

// The ledger's command line, for what an administrator does at a terminal. It opens the same store the
// server uses (configured by the same environment variables) and may run while the server runs.

configureImmer();

const HELP = `usage: npm run ledger -- <command> [options]

  init                                   create the data files (store, keys, tokens) if missing
  token create --role <role> --id <id> [--label <text>]
                                         create a bearer token (shown once; only its hash is kept)
  token list | token revoke --id <id>
  import-cohort --cohort <id> --file <applicants.csv>
                                         register applicants and enrol them (all rows checked first)
  show <studentId>                       the record at a glance
  explain <studentId> [--on YYYY-MM-DD]  the award decision, rule by rule
  replay <studentId> [--until YYYY-MM-DD]
                                         the history step by step, with the decision after each event
  rebuild                                rebuild every projection from the log (with progress)
  verify                                 walk the hash chain and check the log against its signed
                                         checkpoints; exit 1 on a broken link or a refused checkpoint
  checkpoints [list | write [--label <reason>]]
                                         the log's signed checkpoints, or write one now
  export-exam-board <cohortId> [--out file.csv] [--on YYYY-MM-DD]
                                         marks (provisional/ratified) and decisions as CSV
  migrate --to <esdb connection string>  copy the SQLite log into EventStoreDB and verify the copy
${CREDENTIAL_HELP}

  roles: registry, tutor, examiner, admin, student (a student token's --id is their student id)
  add --json to show, explain, replay, verify and checkpoints for machine-readable output`;

async function main(argv: string[]): Promise<number> {
  if (isCredentialCommand(argv[0])) return credentialCli(argv);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      id: { type: 'string' },
      label: { type: 'string' },
      cohort: { type: 'string' },
      file: { type: 'string' },
      on: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub] = positionals;
  if (!command || values.help) {
    console.log(HELP);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const opened = await openLedger(config);
  const { ledger, tokens } = opened;
  const actor = { id: process.env.LEDGER_CLI_ACTOR ?? 'cli-admin', role: 'registry' as const };
  try {
    const needsProjections = !['init', 'token', 'verify', 'checkpoints', 'migrate'].includes(command);
    if (needsProjections && command !== 'rebuild') await ledger.warmUp();
    switch (command) {
      case 'init': {
        console.log(
          `store: ${ledger.store.name} (${config.LEDGER_STORE === 'sqlite' ? config.LEDGER_DB : config.LEDGER_STORE})`,
        );
        console.log(`keys: ${config.LEDGER_KEYS_DB}\ntokens: ${config.LEDGER_AUTH_DB}`);
        console.log(`last position in the log: ${await ledger.store.headPosition()} (0 when empty)`);
        return 0;
      }
      case 'token': {
        if (sub === 'create') {
          const role = StaffRole.safeParse(values.role);
          if (!role.success) return usage('--role must be one of registry, tutor, examiner, admin, student');
          if (!values.id)
            return usage('--id is required: the actor id recorded on every event this token writes');
          const token = tokens.create({
            id: values.id,
            role: role.data,
            label: values.label ?? `created by the CLI for ${values.id}`,
          });
          console.log(token);
          console.error(`token for ${values.id} (${role.data}) created; it is shown only now`);
          return 0;
        }
        if (sub === 'list') {
          for (const t of tokens.list()) console.log(`${t.id}\t${t.role}\t${t.createdAt}\t${t.label}`);
          return 0;
        }
        if (sub === 'revoke') {
          if (!values.id) return usage('--id is required');
          console.log(`${tokens.revoke(values.id)} token(s) revoked for ${values.id}`);
          return 0;
        }
        return usage('token create | token list | token revoke');
      }
      case 'import-cohort': {
        if (!values.cohort || !values.file) return usage('import-cohort needs --cohort and --file');
        const csv = readFileSync(values.file, 'utf8');
        const bar = progress('importing', null);
        const ids = await importCohortCsv(ledger, values.cohort, csv, actor, ledger.today(), (n) =>
          bar.update(n),
        );
        bar.done(ids.length);
        for (const id of ids) console.log(id);
        return 0;
      }
      case 'show': {
        const id = requireArg(sub, 'show <studentId>');
        const record = ledger.record(id);
        const personal = ledger.personalDetails(record);
        if (values.json) {
          console.log(toJson({ record, personal }));
          return 0;
        }
        const credits = ledger.credits(id);
        console.log(
          `student ${id}${personal ? ` — ${personal.fullName}` : record.erasure ? ' — personal data erased' : ''}`,
        );
        console.log(
          `programme: ${record.enrolment ? `${record.enrolment.programmeId} v${record.enrolment.specVersion}, cohort ${record.enrolment.cohortId}` : 'not enrolled'}`,
        );
        console.log(`events: ${Number(record.revision) + 1} (last at position ${record.lastPosition})`);
        if (credits) {
          console.log(
            `credits: ${credits.earned}/${credits.required} ratified (${credits.earnedIncludingProvisional} with provisional)`,
          );
          for (const m of credits.modules)
            console.log(
              `  ${m.moduleCode.padEnd(8)} ${m.status.padEnd(24)} ${m.attempts.map((a) => `${a.effectiveMark ?? '-'}${a.ratified ? '' : '*'}`).join(' ')}`,
            );
        }
        console.log(`decision: ${ledger.decision(id)?.summary ?? 'none'}`);
        return 0;
      }
      case 'explain': {
        const id = requireArg(sub, 'explain <studentId>');
        const decision = ledger.decision(id, values.on);
        if (!decision) return fail(`student ${id} has no programme to be judged against`);
        if (values.json) console.log(toJson(decision));
        else printDecision(decision);
        return 0;
      }
      case 'replay': {
        const id = requireArg(sub, 'replay <studentId>');
        const steps = await ledger.replay(id, values.until ? { occurredBy: values.until } : {});
        if (values.json) {
          console.log(toJson(steps));
          return 0;
        }
        for (const s of steps)
          console.log(
            `${String(s.step).padStart(4)}  ${s.entry.ref.occurredAt.slice(0, 10)}  ${s.entry.summary.padEnd(70).slice(0, 70)}  ${String(s.outcome).padEnd(18)} ${s.creditsEarned}/60`,
          );
        return 0;
      }
      case 'rebuild': {
        const total = Number(await ledger.store.headPosition());
        const bar = progress('rebuilding', total);
        const applied = await ledger.runner.rebuild((n) => bar.update(n));
        const { seconds } = bar.done(applied);
        console.log(
          `rebuilt ${applied} events in ${seconds.toFixed(2)} s (${Math.round(applied / Math.max(seconds, 1e-9))} events/s): ${ledger.projections.students.records.size} students, ${ledger.projections.cohorts.cohorts.size} cohorts`,
        );
        return 0;
      }
      // Awaited here, so the store stays open until they finish (the finally below closes it).
      case 'verify':
        return await verifyCommand(opened, values.json);
      case 'checkpoints':
        return await checkpointsCommand(opened, sub, { json: values.json, reason: values.label });
      case 'export-exam-board': {
        const cohortId = requireArg(sub, 'export-exam-board <cohortId>');
        const csv = examBoardCsv(ledger, cohortId, values.on ?? ledger.today());
        if (values.out) {
          writeFileSync(values.out, csv);
          console.error(`wrote ${csv.split('\n').length - 2} rows to ${values.out}`);
        } else process.stdout.write(csv);
        return 0;
      }
      case 'migrate': {
        if (!values.to) return usage('migrate needs --to <EventStoreDB connection string>');
        const { migrateToEventStore } = await import('../store/migrate.ts');
        const { EventStoreDbStore } = await import('../store/eventstoredb.ts');
        const target = new EventStoreDbStore({ connectionString: values.to });
        const total = Number(await ledger.store.headPosition());
        const bar = progress('migrating', total);
        const result = await migrateToEventStore(ledger.store, target, (n) => bar.update(n));
        bar.done(total);
        console.log(toJson(result));
        await target.close();
        return 0;
      }
      default:
        return usage(`unknown command ${command}`);
    }
  } finally {
    await opened.close();
  }
}

function printDecision(d: Decision) {
  console.log(`${d.summary}`);
  console.log(
    `specification ${d.specification.programmeId} v${d.specification.version}; framework ${d.framework.frameworkId} v${d.framework.version}; evaluated on ${d.evaluatedOn}; as of position ${d.asOf.position}`,
  );
  console.log(`credits ${d.credits.earned}/${d.credits.required}; digest ${d.digest}`);
  for (const r of d.rules) {
    console.log(`\n[${r.outcome.toUpperCase()}] ${r.title}  (${r.source})`);
    console.log(`  ${r.reason}`);
    const figures = Object.entries(r.figures).map(([k, v]) => `${k}=${v}`);
    if (figures.length) console.log(`  figures: ${figures.join(', ')}`);
    for (const o of r.outstanding) console.log(`  outstanding: ${o}`);
    for (const e of r.events.slice(0, 8))
      console.log(`  event ${e.eventId} ${e.type} by ${e.actor.id} (${e.actor.role}) at ${e.recordedAt}`);
    if (r.events.length > 8) console.log(`  ... and ${r.events.length - 8} more events`);
  }
}

function requireArg(value: string | undefined, form: string): string {
  if (!value) throw new LedgerError('invalid', 'missing_argument', `usage: ${form}`);
  return value;
}

function usage(message: string): number {
  console.error(`${message}\n\n${HELP}`);
  return 2;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof LedgerError) console.error(`${error.code}: ${error.message}`);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
