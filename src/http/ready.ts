import type { FastifyInstance } from 'fastify';
import type { Ledger } from '../app/ledger.ts';
import type { WriteHealthReport } from '../store/storage-errors.ts';

// Readiness, for a load balancer: ready while the projections follow the store and writes to the log and
// the keys succeed. A full or failing disk makes it not-ready (503 with Retry-After) until a write goes through again, which it
// tries by itself on each check, at most once a second (src/store/storage-errors.ts).

function writeHealthOf(store: unknown): WriteHealthReport {
  const s = store as { writeHealth?: () => WriteHealthReport };
  return typeof s.writeHealth === 'function' ? s.writeHealth() : { writable: true, failure: null };
}

export function readyRoute(ledger: Ledger) {
  return async function plugin(app: FastifyInstance) {
    app.get(
      '/ready',
      {
        schema: {
          tags: ['service'],
          summary: 'Readiness: projections are following the store and writes succeed',
        },
      },
      async (_request, reply) => {
        // The log and the keys: an application or an erasure writes both.
        const log = writeHealthOf(ledger.store);
        const keys = writeHealthOf(ledger.keys);
        const writes = log.writable ? keys : log;
        let head: bigint | null = null;
        let storeError: string | null = null;
        try {
          head = await ledger.store.headPosition();
        } catch (error) {
          storeError = (error as Error).message;
        }
        const ready = ledger.runner.healthy && writes.writable && storeError === null;
        if (!ready) reply.header('Retry-After', '5');
        return reply.status(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'not-ready',
          store: ledger.store.name,
          headPosition: head,
          projectionCheckpoint: ledger.projections.checkpoint,
          projectionsFollowing: ledger.runner.healthy,
          writable: writes.writable,
          ...(writes.failure ? { writeFailure: writes.failure } : {}),
          ...(storeError ? { storeError } : {}),
        });
      },
    );
  };
}
