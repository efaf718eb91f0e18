import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { abilitiesOf, READERS, requirePrincipal } from '../app/access.ts';
import { answers } from '../app/answers.ts';
import { StaffRole } from '../auth/tokens.ts';

// The web pages for registry staff, tutors, examiners, admins and students, served on the API's own
// origin: one HTML page and a few ES modules with no build step. The pages sign in with a bearer token
// (kept in sessionStorage) and call the JSON API; the API enforces the roles, the pages follow them.

const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
const ASSETS_DIR = join(WEB_DIR, 'assets');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Scripts and styles come only from this origin; no inline script, so injected text cannot run.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
}

/** Every file under assets/, read once: only these paths are ever served, so no path can escape. */
function loadAssets(dir: string, root = dir, assets = new Map<string, Asset>()): Map<string, Asset> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadAssets(path, root, assets);
    const type = TYPES[extname(entry.name)];
    if (entry.isFile() && type)
      assets.set(relative(root, path).split(sep).join('/'), { body: readFileSync(path), type });
  }
  return assets;
}

export function webRoutes() {
  return async function plugin(app: FastifyInstance) {
    const index = readFileSync(join(WEB_DIR, 'index.html'));
    const assets = loadAssets(ASSETS_DIR);

    // GET / answers without a token: the page itself asks for one.
    app.get('/', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('Content-Security-Policy', CSP).header('Cache-Control', 'no-cache');
      return reply.type('text/html; charset=utf-8').send(index);
    });

    app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, async (request, reply) => {
      const asset = assets.get(request.params['*']);
      if (!asset) return reply.callNotFound();
      reply.header('Cache-Control', 'no-cache').header('X-Content-Type-Options', 'nosniff');
      return reply.type(asset.type).send(asset.body);
    });

    app.get(
      '/me',
      {
        schema: {
          tags: ['service'],
          roles: READERS,
          summary: 'Who the bearer token belongs to: id, role, label, and what the role may do',
          description:
            '`may` lists the commands (and registry abilities) the role may use, from the same role lists the API checks: the pages show a form only where its command is in it. Tutors and examiners are further limited to their cohorts.',
          response: answers(
            z.object({ id: z.string(), role: StaffRole, label: z.string(), may: z.array(z.string()) }),
          ),
        },
      },
      async (request) => {
        const p = requirePrincipal(request);
        return { id: p.id, role: p.role, label: p.label, may: abilitiesOf(p.role) };
      },
    );
  };
}
