import type { FastifyInstance } from 'fastify';
import { unauthenticated } from '../app/access.ts';
import { tokenInUrl } from '../auth/redact.ts';
import type { Principal, TokenStore } from '../auth/tokens.ts';
import { LedgerError } from '../errors.ts';

// Authentication: the bearer token of every request, checked before anything else. Who may do what with
// it is src/app/access.ts.

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Paths under these prefixes are the API and need a token; the rest (health, docs, pages) are public. */
const PROTECTED =
  /^\/(students|cohorts|reviews|verify|checkpoints|deadlines|specifications|frameworks|me|staff)(\/|\?|$)/;

export function registerAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // Refused even with a good header: a URL is logged, kept in history and sent on as Referer.
    if (tokenInUrl(request.url))
      throw new LedgerError(
        'unauthenticated',
        'token_in_url',
        'a token in the URL is refused: send it only as "Authorization: Bearer <token>"; the token may have leaked, so revoke it',
      );
    const header = request.headers.authorization;
    // Authentication comes first, before the body is even validated: an anonymous caller learns nothing.
    if (!header) {
      if (PROTECTED.test(request.url)) throw unauthenticated();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const principal = tokens.verify(match[1]!);
    if (!principal) throw unauthenticated('the token is not valid (revoked or mistyped)');
    request.principal = principal;
  });
}
