import type { FastifyInstance } from 'fastify';
import { buildApi, type ServerOptions } from './http/api.ts';
import { webRoutes } from './web/routes.ts';

// The server as deployed: the JSON API and, on the same origin, the web pages that call it. The two
// know nothing of each other; this is where they meet.

export type { ServerOptions };

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = await buildApi(options);
  await app.register(webRoutes());
  return app;
}
