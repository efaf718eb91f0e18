import { beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// Every answer carries the security headers (issue 14, by @fastify/helmet): nosniff, no framing, no
// referrer, a Content-Security-Policy that allows nothing but this origin's own scripts and styles, and
// `Cache-Control: no-store` on the API's answers (they hold personal data). The Swagger UI page at /docs
// is checked in a browser by tests/e2e/browser-docs.test.ts.

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => {
  server = await demoServer();
});

const request = (
  url: string,
  token: string | null = server.tokens.registry,
  method: 'GET' | 'POST' = 'GET',
) =>
  server.app.inject({
    method,
    url,
    headers: token ? auth(token) : {},
    ...(method === 'POST' ? { payload: {} } : {}),
  });

/** The directives of a Content-Security-Policy header, by name. */
const directives = (header: unknown) =>
  new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );

describe('security headers', () => {
  it('are on every API answer, success or error, with no-store', async () => {
    const answers = {
      record: await request(`/students/${server.studentId}`),
      list: await request('/students?limit=2'),
      health: await request('/health', null),
      unauthenticated: await request('/students', null),
      forbidden: await request(`/students/${server.otherStudentId}`, server.tokens.student),
      notFound: await request('/no-such-route'),
      refused: await request(`/students/${server.studentId}/enrol`, server.tokens.registry, 'POST'),
    };
    expect(
      Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.statusCode])),
    ).toEqual({
      record: 200,
      list: 200,
      health: 200,
      unauthenticated: 401,
      forbidden: 403,
      notFound: 404,
      refused: 400,
    });
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers['x-content-type-options'], name).toBe('nosniff');
      expect(answer.headers['cache-control'], name).toBe('no-store');
      expect(answer.headers['x-frame-options'], name).toBe('DENY');
      expect(answer.headers['referrer-policy'], name).toBe('no-referrer');
      const csp = directives(answer.headers['content-security-policy']);
      expect(csp.get('default-src'), name).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), name).toEqual(["'none'"]);
    }
  });

  it('allow /docs (Swagger UI) its own scripts, and no inline script', async () => {
    const page = await request('/docs', null);
    expect(page.statusCode).toBe(200);
    const csp = directives(page.headers['content-security-policy']);
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim(), 'an inline script would be refused').toBe('');
      const src = /src="([^"]+)"/.exec(attributes!)?.[1];
      expect(src).toBeDefined();
      // a relative address: this origin, which script-src allows
      expect(src).not.toMatch(/^[a-z]+:|^\/\//);
      const script = await request(new URL(src!, 'http://ledger/docs').pathname, null);
      expect(script.statusCode, src).toBe(200);
      expect(script.headers['content-type'], src).toMatch(/javascript/);
    }
    expect(csp.get('script-src')).toEqual(["'self'"]);
    // Swagger UI adds a <style> element as it renders: styles, never scripts, may be inline there
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    const api = directives((await request('/students')).headers['content-security-policy']);
    expect(api.get('style-src')).toEqual(["'self'"]);
  });

  it('leave a public, cacheable answer its own Cache-Control', async () => {
    const status = await request('/credentials/status/1', null);
    expect(status.statusCode).toBe(200);
    expect(status.headers['x-content-type-options']).toBe('nosniff');
    expect(status.headers['cache-control']).toBe('public, max-age=300');
    const jwks = await request('/credentials/issuer/jwks.json', null);
    expect(jwks.headers['cache-control']).toBe('no-store');
  });
});
