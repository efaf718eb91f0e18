import { Ajv } from 'ajv';
import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';
import { MATRIX } from '../support/role-matrix.ts';
import { anApplication, sampleBodies } from '../support/samples.ts';

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

type Operation = {
  description?: string;
  security?: unknown[];
  'x-roles'?: string[];
  parameters?: { in: string; name: string }[];
  responses?: Record<string, { content?: Record<string, { schema?: object }>; headers?: object }>;
};

/** A POST that creates (201) but is safe to send again without a key: it gives the one created (200). */
const SAFE_TO_REPEAT = ['/students/:studentId/credentials'];

/** An OpenAPI 3.0 schema as the JSON Schema ajv reads: `nullable` beside no `type`, boolean exclusive bounds. */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchemaOf(v)]));
  // OpenAPI 3.0's exclusive bounds are flags beside minimum and maximum
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const)
    if (typeof out[flag] === 'boolean') {
      if (out[flag]) out[flag] = out[bound];
      else delete out[flag];
      if (out[flag] !== undefined) delete out[bound];
    }
  if (nullable === true && out.type === undefined) return { anyOf: [out, { type: 'null' }] };
  return nullable === true ? { ...out, nullable: true } : out;
}

const ERROR = { $ref: '#/components/schemas/Error' };
const asPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const isCommand = (method: string, url: string) => method === 'POST' && !ANSWERS_200.includes(url);

describe('the OpenAPI document', () => {
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, object>; securitySchemes: Record<string, object> };
    security: unknown[];
  };
  const routes: { method: string; url: string }[] = [];
  let server: Awaited<ReturnType<typeof demoServer>>;

  beforeAll(async () => {
    server = await demoServer({
      onRoute: (r: RouteOptions) => {
        if ((r.schema as { hide?: boolean } | undefined)?.hide) return;
        for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
      },
    });
    document = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json();
  });

  it('documents every route the server has, and nothing it does not have', () => {
    const served = new Set(routes.map(({ method, url }) => `${method.toLowerCase()} ${asPath(url)}`));
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((op) => !served.has(op))).toEqual([]);
    expect([...served].filter((op) => !documented.includes(op))).toEqual([]);
  });

  it('says who may call each operation, as the role table does, and how to authenticate', () => {
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    const wrong: string[] = [];
    const commandRoles = new Set(
      Object.entries(MATRIX)
        .filter(
          ([route]) =>
            /^POST \/students\/:studentId\/[a-z-]+$/.test(route) && !route.endsWith('/credentials'),
        )
        .flatMap(([, roles]) => (Array.isArray(roles) ? roles : [])),
    );
    for (const { method, url } of routes) {
      const op = document.paths[asPath(url)]![method.toLowerCase()]!;
      const table = MATRIX[`${method} ${url}`];
      const roles = table === 'as the command' ? [...commandRoles] : table;
      if (roles === 'public') {
        if (
          JSON.stringify(op.security) !== '[]' ||
          op['x-roles']?.length !== 0 ||
          !op.description?.startsWith('Public')
        )
          wrong.push(`${method} ${url}: not declared public`);
      } else if (
        op.security !== undefined ||
        [...(op['x-roles'] ?? [])].sort().join() !== [...(roles ?? ['?'])].sort().join() ||
        !op.description?.startsWith(`Roles: ${op['x-roles']!.join(', ')}`)
      )
        wrong.push(`${method} ${url}: x-roles ${op['x-roles']} and the table ${roles}`);
    }
    expect(wrong).toEqual([]);
  });

  it('declares for each operation the errors a client can act on, with the one error schema', () => {
    expect(document.components.schemas.Error).toMatchObject({
      properties: { error: { required: ['kind', 'code', 'message'] } },
    });
    const wrong: string[] = [];
    for (const { method, url } of routes) {
      const op = document.paths[asPath(url)]![method.toLowerCase()]!;
      const publicOp = MATRIX[`${method} ${url}`] === 'public';
      const expected = [
        ...(publicOp ? [] : ['401', '403']),
        ...(url.includes(':') ? ['400', '404'] : []),
        ...(isCommand(method, url) ? ['400', '422', '503'] : []),
        ...(isCommand(method, url) && !SAFE_TO_REPEAT.includes(url) ? ['409'] : []),
        ...(url === '/health' ? [] : ['503']),
      ];
      for (const status of expected) {
        const schema = op.responses?.[status]?.content?.['application/json']?.schema;
        if (JSON.stringify(schema) !== JSON.stringify(ERROR)) wrong.push(`${method} ${url}: no ${status}`);
      }
      if (op.responses?.['4XX'] || op.responses?.['5XX']) wrong.push(`${method} ${url}: a 4XX range`);
      if (isCommand(method, url) && !SAFE_TO_REPEAT.includes(url)) {
        const headers = new Set((op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name));
        if (!headers.has('idempotency-key')) wrong.push(`${method} ${url}: no Idempotency-Key`);
        // a command on a record or a cohort (not an upload or a publication) may be sent with If-Match
        const onARecord =
          /^\/(students|cohorts)(\/:\w+\/[a-z-]+)?$/.test(url) && url !== '/cohorts/:cohortId/applicants';
        if (onARecord && !headers.has('if-match')) wrong.push(`${method} ${url}: no If-Match`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives real answers, successes and errors, that match the document's schemas", async () => {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const { tokens, studentId, otherStudentId } = server;
    const etag = (
      await server.app.inject({
        method: 'GET',
        url: `/students/${studentId}`,
        headers: auth(tokens.registry),
      })
    ).headers.etag as string;
    const samples: {
      method: 'GET' | 'POST';
      url: string;
      route: string;
      token?: string | null;
      body?: object;
      headers?: Record<string, string>;
      status: number;
    }[] = [
      { method: 'GET', url: '/health', route: '/health', status: 200 },
      { method: 'GET', url: '/me', route: '/me', token: tokens.tutor, status: 200 },
      { method: 'GET', url: '/students?limit=3', route: '/students', status: 200 },
      { method: 'GET', url: `/students/${studentId}`, route: '/students/:studentId', status: 200 },
      {
        method: 'GET',
        url: `/students/${studentId}/decision`,
        route: '/students/:studentId/decision',
        status: 200,
      },
      {
        method: 'GET',
        url: `/students/${studentId}/credits`,
        route: '/students/:studentId/credits',
        token: tokens.student,
        status: 200,
      },
      {
        method: 'GET',
        url: `/students/${studentId}/audit-trail`,
        route: '/students/:studentId/audit-trail',
        status: 200,
      },
      { method: 'GET', url: '/cohorts', route: '/cohorts', token: tokens.tutor, status: 200 },
      { method: 'GET', url: '/deadlines/at-risk?limit=5', route: '/deadlines/at-risk', status: 200 },
      { method: 'GET', url: '/specifications', route: '/specifications', status: 200 },
      { method: 'POST', url: '/students', route: '/students', body: anApplication(31), status: 201 },
      { method: 'GET', url: '/students?limit=0', route: '/students', status: 400 },
      { method: 'POST', url: '/students', route: '/students', body: { personal: {} }, status: 400 },
      { method: 'GET', url: '/students', route: '/students', token: null, status: 401 },
      {
        method: 'GET',
        url: `/students/${otherStudentId}`,
        route: '/students/:studentId',
        token: tokens.student,
        status: 403,
      },
      {
        method: 'GET',
        url: '/students/00000000-0000-4000-8000-000000000000',
        route: '/students/:studentId',
        status: 404,
      },
      {
        method: 'POST',
        url: `/students/${studentId}/interrupt-study`,
        route: '/students/:studentId/interrupt-study',
        body: sampleBodies.interruptStudy,
        headers: { 'if-match': '"0"' },
        status: 409,
      },
      { method: 'POST', url: '/students', route: '/students', body: anApplication(31), status: 422 },
    ];
    expect(etag).toMatch(/^"\d+"$/);
    const wrong: string[] = [];
    for (const sample of samples) {
      const token = sample.token === undefined ? tokens.registry : sample.token;
      const answer = await server.app.inject({
        method: sample.method,
        url: sample.url,
        headers: { ...(token ? auth(token) : {}), ...sample.headers },
        ...(sample.body ? { payload: sample.body } : {}),
      });
      const name = `${sample.method} ${sample.url} ${answer.statusCode}`;
      if (answer.statusCode !== sample.status) {
        wrong.push(`${name}: expected ${sample.status}: ${answer.body.slice(0, 200)}`);
        continue;
      }
      const declared =
        document.paths[asPath(sample.route)]?.[sample.method.toLowerCase()]?.responses?.[
          String(sample.status)
        ];
      let schema = declared?.content?.['application/json']?.schema;
      if (JSON.stringify(schema) === JSON.stringify(ERROR)) schema = document.components.schemas.Error;
      if (!schema) {
        wrong.push(`${name}: not declared`);
        continue;
      }
      if (!ajv.validate(jsonSchemaOf(schema) as object, answer.json()))
        wrong.push(`${name}: ${ajv.errorsText(ajv.errors)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists every route with the schema of what it answers and of its errors', () => {
    expect(routes.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const { method, url } of routes) {
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const success = operation?.responses?.[isCommand(method, url) ? '201' : '200'];
      const schema = Object.values(success?.content ?? {})[0]?.schema;
      if (!schema || Object.keys(schema).length === 0) missing.push(`${method} ${url}: no success schema`);
      if (!operation?.responses?.['500']) missing.push(`${method} ${url}: no error schema`);
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
