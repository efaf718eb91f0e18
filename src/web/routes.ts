import type { FastifyInstance } from 'fastify';
import type { Ledger } from '../app/ledger.ts';

// The web pages for registry staff and examiners (served on the API's own origin).

export function webRoutes(_ledger: Ledger) {
  return async function plugin(app: FastifyInstance) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => {
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NASENCO ledger</title></head>
<body><main><h1>NASENCO ledger</h1><p>The API is documented at <a href="/docs">/docs</a>.</p></main></body></html>`;
    });
  };
}
