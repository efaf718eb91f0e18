import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  createJsonSchemaTransform,
  createSerializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from '@fastify/type-provider-zod';
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import { z } from 'zod';
import { Access } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import type { CheckpointBook } from '../app/checkpoints.ts';
import { type IdempotencyKeys, IdempotentCommands, MemoryIdempotencyKeys } from '../app/idempotency.ts';
import { bigintAsDecimalString, jsonReplacer, toJson } from '../app/json.ts';
import type { Ledger } from '../app/ledger.ts';
import { redactUrl } from '../auth/redact.ts';
import type { TokenStore } from '../auth/tokens.ts';
import type { Issuer } from '../credentials/issuer.ts';
import { auditRoutes } from './audit.ts';
import { registerAuth } from './auth.ts';
import { checkpointRoutes } from './checkpoints.ts';
import { cohortRoutes } from './cohorts.ts';
import { studentCommandRoutes } from './commands.ts';
import { documentErrors, withRoles } from './contract.ts';
import { credentialRoutes } from './credentials.ts';
import { registerErrorHandling } from './errors.ts';
import { examBoardRoutes } from './exam-boards.ts';
import { registerIdempotency } from './idempotency.ts';
import { previewRoutes } from './previews.ts';
import { readyRoute } from './ready.ts';
import { referenceRoutes } from './reference.ts';
import { registerRoutes } from './registers.ts';
import { registryRoutes } from './registry.ts';
import { docsPolicy, registerSecurityHeaders } from './security-headers.ts';
import { studentRoutes } from './students.ts';

// The HTTP API (the web pages are mounted beside it by src/server.ts): each plugin owns one area. zod
// schemas validate requests, describe every answer and generate the OpenAPI document served at /docs.
// Logs carry ids, never personal data: bodies are not logged and the Authorization header is redacted.

export interface ServerOptions {
  ledger: Ledger;
  tokens: TokenStore;
  logLevel?: string;
  version?: string;
  /** The log's signed checkpoints (GET /checkpoints, and GET /verify checks the log against them). */
  checkpoints?: CheckpointBook | null;
  /** Where the logs go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
  /** The credential issuer (keys in LEDGER_ISSUER_DB); an in-memory one when absent (tests). */
  issuer?: Issuer;
  /**
   * The Idempotency-Keys clients sent with commands (LEDGER_IDEMPOTENCY_DB); kept in memory for a day
   * when absent (tests).
   */
  idempotency?: IdempotencyKeys;
  /** Told of every route as it is added (the tests list the server's actual routes with it). */
  onRoute?: (route: RouteOptions) => void;
}

const DAY_MS = 24 * 60 * 60_000;

export async function buildApi(options: ServerOptions): Promise<FastifyInstance> {
  const { ledger, tokens } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'warn',
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // A token sent in the URL is refused (src/http/auth.ts), and never written to the log with it.
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: 2 * 1024 * 1024,
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  // A route's answer is checked against the schema it declares, then sent with bigints as decimal strings.
  app.setSerializerCompiler(createSerializerCompiler({ replacer: jsonReplacer }));
  app.setReplySerializer((payload) => toJson(payload));
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  registerAuth(app, tokens);
  registerIdempotency(
    app,
    new IdempotentCommands(
      options.idempotency ?? new MemoryIdempotencyKeys({ lifetimeMs: DAY_MS, inFlightMs: 10 * 60_000 }),
      ledger,
    ),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'NASENCO ledger',
        description:
          'An event-sourced academic record for the National Award for SEN Coordination. Authenticate with `Authorization: Bearer <token>`.',
        version: options.version ?? '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: withRoles(createJsonSchemaTransform({ zodToJsonConfig: { override: bigintAsDecimalString } })),
    transformObject: documentErrors,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: docsPolicy });

  const access = new Access(ledger);
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness: the process answers',
        security: [],
        response: answers(z.object({ status: z.literal('ok') })),
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  await app.register(readyRoute(ledger));
  await app.register(studentCommandRoutes(ledger, access));
  await app.register(studentRoutes(ledger, access));
  await app.register(auditRoutes(ledger, access, options.checkpoints ?? null));
  await app.register(checkpointRoutes(options.checkpoints ?? null));
  await app.register(cohortRoutes(ledger, access, tokens));
  await app.register(examBoardRoutes(ledger, access));
  await app.register(registerRoutes(ledger, access));
  await app.register(registryRoutes(ledger, tokens));
  await app.register(previewRoutes(ledger, access));
  await app.register(referenceRoutes(ledger));
  await app.register(credentialRoutes(ledger, access, options.issuer));
  return app;
}
