import { configureImmer } from './app/immer.ts';
import { openLedger } from './app/open.ts';
import { loadConfig } from './config.ts';
import { openIssuer } from './credentials/open.ts';
import { loadDemo } from './demo/load.ts';
import { buildServer } from './http/server.ts';
import { CheckpointWriter, checkAnchors } from './store/anchor.ts';

// Starts the ledger: configuration, store, projections (rebuilt from the log), the demo cohort on the
// first start of an empty ledger, then the HTTP server. Prints where it listens.

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
  const { applied, snapshot } = await ledger.start();
  const from = snapshot?.loaded ? `resumed from the snapshot at position ${snapshot.checkpoint}, then ` : '';
  console.log(
    `ledger: ${ledger.store.name} store; projections ${from}applied ${applied} events in ${Math.round(performance.now() - started)} ms`,
  );

  let demoToken: string | null = null;
  if (config.LEDGER_DEMO) {
    if (ledger.projections.checkpoint === 0n) {
      const loaded = await loadDemo(ledger);
      console.log(
        `ledger: loaded the demo (${loaded.cohorts} cohorts, ${loaded.students} students); set LEDGER_DEMO=0 to start empty`,
      );
    }
    tokens.revoke('demo-registry');
    demoToken = tokens.create({
      id: 'demo-registry',
      role: 'registry',
      label: 'demo token, replaced at each start',
    });
  }

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
  const app = await buildServer({
    ledger,
    tokens,
    checkpoints,
    logLevel: config.LEDGER_LOG_LEVEL,
    issuer,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  listening = url;
  console.log(`ledger: listening on ${url}`);
  console.log(`ledger: API docs at ${url}/docs`);
  if (demoToken)
    console.log(`ledger: demo registry token (send as "Authorization: Bearer ..."): ${demoToken}`);
  else console.log('ledger: create a token with: npm run ledger -- token create --role admin --id <your-id>');

  const shutdown = async (signal: string) => {
    console.log(`ledger: ${signal}, closing`);
    await app.close();
    await writer?.stop();
    await close();
    issuer.store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
