import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  createJsonSchemaTransform,
  createSerializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from '@fastify/type-provider-zod';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { z } from 'zod';
import { Access } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { bigintAsDecimalString, jsonReplacer, toJson } from '../app/json.ts';
import type { Ledger } from '../app/ledger.ts';
import { ReadinessSchema } from '../app/queries/service.ts';
import type { TokenStore } from '../auth/tokens.ts';
import type { Issuer } from '../credentials/issuer.ts';
import { auditRoutes } from './audit.ts';
import { registerAuth } from './auth.ts';
import { cohortRoutes } from './cohorts.ts';
import { studentCommandRoutes } from './commands.ts';
import { credentialRoutes } from './credentials.ts';
import { registerErrorHandling } from './errors.ts';
import { previewRoutes } from './previews.ts';
import { referenceRoutes } from './reference.ts';
import { registerRoutes } from './registers.ts';
import { registryRoutes } from './registry.ts';
import { studentRoutes } from './students.ts';

// The HTTP API (the web pages are mounted beside it by src/server.ts): each plugin owns one area. zod
// schemas validate requests, describe every answer and generate the OpenAPI document served at /docs.
// Logs carry ids, never personal data: bodies are not logged and the Authorization header is redacted.

export interface ServerOptions {
  ledger: Ledger;
  tokens: TokenStore;
  logLevel?: string;
  version?: string;
  /** Where the logs go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream;
  /** The credential issuer (keys in LEDGER_ISSUER_DB); an in-memory one when absent (tests). */
  issuer?: Issuer;
  /** Told of every route as it is added (the tests list the server's actual routes with it). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApi(options: ServerOptions): Promise<FastifyInstance> {
  const { ledger, tokens } = options;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'warn',
      redact: ['req.headers.authorization', 'req.headers.cookie'],
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
  registerAuth(app, tokens);

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
    transform: createJsonSchemaTransform({ zodToJsonConfig: { override: bigintAsDecimalString } }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

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
  api.get(
    '/ready',
    {
      schema: {
        tags: ['service'],
        summary: 'Readiness: projections are following the store (503 when they are not)',
        security: [],
        response: { ...answers(ReadinessSchema), 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await ledger.queries.readiness();
      return reply.status(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );
  await app.register(studentCommandRoutes(ledger, access));
  await app.register(studentRoutes(ledger, access));
  await app.register(auditRoutes(ledger, access));
  await app.register(cohortRoutes(ledger, access, tokens));
  await app.register(registerRoutes(ledger, access));
  await app.register(registryRoutes(ledger, tokens));
  await app.register(previewRoutes(ledger, access));
  await app.register(referenceRoutes(ledger));
  await app.register(credentialRoutes(ledger, access, options.issuer));
  return app;
}
