import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

// The headers every answer carries (issue 14), by @fastify/helmet: no sniffing of content types, no
// framing, no referrer, a Content-Security-Policy, and `Cache-Control: no-store` on every answer that
// does not say otherwise (records and decisions hold personal data: no shared or browser cache keeps
// them). The web pages' own routes set their own policy and caching (src/web/routes.ts); the API
// document at /docs (Swagger UI) loads its scripts and styles from this origin, so the one policy
// below serves it too, but for a style element it adds as it renders (docsPolicy).

/** Scripts, styles and requests from this origin only; no inline script; never framed. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // Swagger UI draws its icons as data: images
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The policy of /docs: Swagger UI adds a <style> element of its own as it renders, so its pages allow
 * inline styles (never inline scripts). Checked in a browser by tests/e2e/browser-docs.test.ts.
 */
export const docsPolicy = (policy: string) =>
  policy.replace(/(^|;)\s*style-src 'self'/, "$1style-src 'self' 'unsafe-inline'");

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // a ledger answers its own origin; public credential documents are fetched by servers, not pages
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
