import { configureImmer } from './app/immer.ts';
import type { Ledger } from './app/ledger.ts';
import { openIdempotencyKeys, openLedger } from './app/open.ts';
import { loadConfig } from './config.ts';
import { openIssuer } from './credentials/open.ts';
import { demoToken, loadDemoAtomically } from './demo/first-start.ts';
import { finishErasures } from './privacy/erasure.ts';
import { buildServer } from './server.ts';
import { CheckpointWriter, checkAnchors } from './store/anchor.ts';

// Starts the ledger: configuration, store (refused if it no longer matches its signed checkpoints),
// read models (resumed from their checkpoint), the demo on the first start of an empty ledger (all or nothing),
// the checkpoint writer, then the HTTP server. Prints where it listens, and a demo token only for a
// ledger that holds the demo.

configureImmer();

async function main() {
  const config = loadConfig();
  const started = performance.now();
  const { ledger, tokens, checkpoints, close } = await openLedger(config);
  // The log must still hold everything its signed checkpoints recorded, before anything is served.
  const anchor = checkpoints ? await checkAnchors(ledger.store, checkpoints) : null;
  if (anchor && !anchor.ok) {
    await close();
    throw new Error(
      `ledger: refusing to start on this log: ${anchor.problem}\n(checkpoints in LEDGER_CHECKPOINTS_DIR=${config.LEDGER_CHECKPOINTS_DIR}; run \`npm run ledger -- verify\` for the full report)`,
    );
  }
  const { applied, resumedFrom, notUsed } = await ledger.start();
  if (notUsed) console.log(`ledger: ${notUsed}: built anew`);
  const from = resumedFrom !== null ? `resumed at position ${resumedFrom}, then ` : '';
  console.log(
    `ledger: ${ledger.store.name} store; projections ${from}applied ${applied} events in ${Math.round(performance.now() - started)} ms`,
  );

  if (config.LEDGER_DEMO && (await ledger.store.headPosition()) === 0n) {
    try {
      const loaded = await loadDemoAtomically(ledger);
      console.log(
        `ledger: loaded the demo (${loaded.cohorts} cohorts, ${loaded.students} students); set LEDGER_DEMO=0 to start empty`,
      );
    } catch (error) {
      await close();
      throw new Error(
        `ledger: the demo could not be loaded, and nothing of it was written: ${(error as Error).message}`,
      );
    }
  }
  const finished = finishErasures(ledger.keys, erasedStudents(ledger));
  if (finished.length > 0)
    console.log(
      `ledger: destroyed the keys of ${finished.length} erased students that outlived their erasure`,
    );
  const token = demoToken(ledger, tokens, config.LEDGER_DEMO);

  const writer =
    checkpoints && anchor
      ? new CheckpointWriter(ledger.store, checkpoints, anchor.running, anchor.latest, {
          everyMs: config.LEDGER_CHECKPOINT_MINUTES * 60_000,
          onError: (error) => console.error('ledger: a checkpoint could not be written:', error),
        })
      : null;
  await writer?.start();

  let listening = `http://127.0.0.1:${config.PORT}`;
  const issuer = openIssuer(config, () => listening);
  const idempotency = openIdempotencyKeys(config);
  const app = await buildServer({
    ledger,
    tokens,
    checkpoints,
    idempotency,
    logLevel: config.LEDGER_LOG_LEVEL,
    issuer,
  });
  // Installed before listening: a stop asked for as soon as the server answers still closes the files.
  const shutdown = async (signal: string) => {
    console.log(`ledger: ${signal}, closing`);
    await app.close();
    await writer?.stop();
    await close();
    issuer.store.close();
    idempotency.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  listening = url;
  console.log(`ledger: listening on ${url}`);
  console.log(`ledger: API docs at ${url}/docs`);
  if (token)
    console.log(
      `ledger: this ledger holds the demo data, so here is a demo registry token, replaced at each start (send it as "Authorization: Bearer <token>"): ${token}`,
    );
  else if (tokens.list().length === 0)
    console.log(
      'ledger: no tokens yet; create the first admin token with: npm run ledger -- token create --role admin --id <your-id>',
    );
}

/** Students whose erasure is recorded, by id (the read models' erased column). */
function erasedStudents(ledger: Ledger): string[] {
  return ledger.queries.erasedStudentIds();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
