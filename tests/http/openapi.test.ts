import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoServer } from '../support/http.ts';

// The API document (/docs/json) shows what every route returns: each route the server actually has
// (bar the hidden ones: the web pages and the document's own pages) is in it with the schema of its
// success, and the shape of its errors. Commands (every POST but those listed here) answer 201.

/** The POST routes that are not commands: they write nothing new, and answer 200. */
const ANSWERS_200 = [
  '/credentials/verify',
  '/students/:studentId/preview/:command',
  // a board run answers with its report per student (applied, refused, nothing to do), previews too
  ...['ratify', 'outcomes', 'confer'].flatMap((a) => [
    `/cohorts/:cohortId/exam-boards/:examBoardId/${a}`,
    `/cohorts/:cohortId/exam-boards/:examBoardId/${a}/preview`,
  ]),
];

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: object }> }> };

describe('the OpenAPI document', () => {
  let document: { paths: Record<string, Record<string, Operation>> };
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    const { app } = await demoServer({
      onRoute: (r: RouteOptions) => {
        if ((r.schema as { hide?: boolean } | undefined)?.hide) return;
        for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
      },
    });
    document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  });

  it('lists every route with the schema of what it answers and of its errors', () => {
    expect(routes.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const { method, url } of routes) {
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const success = operation?.responses?.[method === 'POST' && !ANSWERS_200.includes(url) ? '201' : '200'];
      const schema = Object.values(success?.content ?? {})[0]?.schema;
      if (!schema || Object.keys(schema).length === 0) missing.push(`${method} ${url}: no success schema`);
      if (!operation?.responses?.['4XX']) missing.push(`${method} ${url}: no error schema`);
    }
    expect(missing).toEqual([]);
  });

  it('shows a revision as the decimal string it is sent as, and a decision in full', () => {
    const record = document.paths['/students/{studentId}']!.get!.responses!['200']!.content![
      'application/json'
    ]!.schema as { properties: Record<string, { type?: string; pattern?: string }> };
    expect(record.properties.revision).toMatchObject({ type: 'string', pattern: '^-?[0-9]+$' });
    const decision = JSON.stringify(document.paths['/students/{studentId}/decision']!.get!.responses!['200']);
    for (const field of ['rules', 'outstanding', 'credits', 'digest', 'figures', 'area'])
      expect(decision).toContain(`"${field}"`);
  });
});
