import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePrincipal } from '../app/access.ts';
import {
  type AnswerKind,
  type Claim,
  IdempotencyKeyHeader,
  type IdempotentCommands,
} from '../app/idempotency.ts';

// The Idempotency-Key header on the routes that write (src/app/idempotency.ts keeps the keys): a route
// says what it answers with `config: { idempotency: 'command' | 'upload' }`, and declares the header with
// CommandHeaders. The key is claimed once the caller, their role and scope and the body have all been
// checked (a request refused before then wrote nothing and claims nothing); a 2xx answer is kept, any
// other answer frees the key.

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: AnswerKind;
  }
  interface FastifyRequest {
    idempotencyClaim: Claim | null;
  }
}

/** The headers a command takes: If-Match (optimistic concurrency) and Idempotency-Key (retries). */
export const CommandHeaders = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe('the ETag of the record the command is based on: refused with 409 if it changed since'),
  'idempotency-key': IdempotencyKeyHeader.optional(),
});

/** The headers of a write that takes no If-Match (the applicants' upload). */
export const IdempotentHeaders = z.looseObject({ 'idempotency-key': IdempotencyKeyHeader.optional() });

const keyOf = (request: FastifyRequest): string | undefined =>
  (request.headers as { 'idempotency-key'?: string })['idempotency-key'];

export function registerIdempotency(app: FastifyInstance, commands: IdempotentCommands): void {
  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request, reply) => {
    const kind = request.routeOptions.config.idempotency;
    const key = keyOf(request);
    if (!kind || key === undefined) return;
    const p = requirePrincipal(request);
    const claimed = await commands.claim(p, key, kind, {
      method: request.method,
      url: request.url,
      body: request.body,
    });
    if (claimed.state === 'new') {
      request.idempotencyClaim = claimed.claim;
      return;
    }
    if (claimed.etag) reply.header('ETag', claimed.etag);
    reply.header('Idempotent-Replayed', 'true');
    return reply.status(claimed.status).send(claimed.body);
  });

  app.addHook('preSerialization', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (claim && reply.statusCode >= 200 && reply.statusCode < 300) {
      request.idempotencyClaim = null;
      const etag = reply.getHeader('etag');
      try {
        commands.complete(claim, reply.statusCode, typeof etag === 'string' ? etag : undefined, payload);
      } catch (error) {
        // The command is done and written: its answer goes out even if it could not be kept. A retry
        // with the key then waits out the key's time in flight (409) rather than writing again at once.
        request.log.error({ err: error }, 'the answer to an idempotent request could not be kept');
      }
    }
    return payload;
  });

  // Any answer but a success (a refusal, a failure) frees the key: nothing was written.
  app.addHook('onSend', async (request, reply) => {
    const claim = request.idempotencyClaim;
    if (!claim || reply.statusCode < 300) return;
    request.idempotencyClaim = null;
    try {
      commands.release(claim);
    } catch (error) {
      request.log.error({ err: error }, 'an idempotency key could not be freed');
    }
  });
}
