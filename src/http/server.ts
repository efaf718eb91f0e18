import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from '@fastify/type-provider-zod';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Ledger } from '../app/ledger.ts';
import { redactUrl } from '../auth/redact.ts';
import type { TokenStore } from '../auth/tokens.ts';
import type { Issuer } from '../credentials/issuer.ts';
import type { CheckpointBook } from '../store/checkpoints.ts';
import { webRoutes } from '../web/routes.ts';
import { auditRoutes } from './audit.ts';
import { Access, registerAuth } from './auth.ts';
import { checkpointRoutes } from './checkpoints.ts';
import { cohortRoutes } from './cohorts.ts';
import { credentialRoutes } from './credentials.ts';
import { registerErrorHandling } from './errors.ts';
import { examBoardRoutes } from './exam-boards.ts';
import { toJson } from './json.ts';
import { previewRoutes } from './previews.ts';
import { readyRoute } from './ready.ts';
import { referenceRoutes } from './reference.ts';
import { registerRoutes } from './registers.ts';
import { registryRoutes } from './registry.ts';
import { studentRoutes } from './students.ts';

// The HTTP API: each plugin owns one area. zod schemas validate requests and generate the OpenAPI
// document served at /docs. Logs carry ids, never personal data: bodies are not logged and the
// Authorization header is redacted.

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
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
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
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const access = new Access(ledger);
  app.get(
    '/health',
    { schema: { tags: ['service'], summary: 'Liveness: the process answers' } },
    async () => ({ status: 'ok' }),
  );
  await app.register(readyRoute(ledger));
  await app.register(studentRoutes(ledger, access));
  await app.register(auditRoutes(ledger, access, options.checkpoints ?? null));
  await app.register(checkpointRoutes(options.checkpoints ?? null));
  await app.register(cohortRoutes(ledger, access, tokens));
  await app.register(examBoardRoutes(ledger));
  await app.register(registerRoutes(ledger, access));
  await app.register(registryRoutes(ledger, tokens));
  await app.register(previewRoutes(ledger, access));
  await app.register(referenceRoutes(ledger));
  await app.register(credentialRoutes(ledger, access, options.issuer));
  await app.register(webRoutes(ledger));
  return app;
}
