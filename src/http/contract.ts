import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import type { Role } from '../../events/envelope.ts';

// The OpenAPI document as a contract a registry can integrate with. Routes declare their roles in their
// schema (`roles`, beside the zod schemas of what they take and answer); here every operation gets from
// that its `x-roles` and a "Roles:" sentence, and the errors a client can act on, each with the one error
// schema (src/app/answers.ts) and what it means for this operation. Public operations say `security: []`.

declare module 'fastify' {
  interface FastifySchema {
    /** Who may call the route (within their scope); a public route says `security: []` instead. */
    roles?: readonly Role[];
  }
}

type Schema = Record<string, unknown> & {
  roles?: readonly Role[];
  description?: string;
  security?: unknown[];
};

const SCOPE: Partial<Record<Role, string>> = {
  tutor: 'tutors for the cohorts assigned to them',
  examiner: 'examiners for the cohorts assigned to them',
  student: 'a student for their own record',
};

/** Wraps the zod transform: each route's roles become `x-roles` and the first sentence of its description. */
export function withRoles(inner: SwaggerTransform): SwaggerTransform {
  return (document) => {
    const out = inner(document);
    const schema = out.schema as Schema | undefined;
    if (!schema || schema.hide) return out;
    const { roles, ...rest } = schema;
    const publicRoute = Array.isArray(rest.security) && rest.security.length === 0;
    if (publicRoute) return { ...out, schema: withKeys(rest, [], 'Public: no token needed.') };
    if (!roles) return { ...out, schema: rest as FastifySchema };
    const scoped = /:(studentId|cohortId)\b/.test(document.url) ? roles.flatMap((r) => SCOPE[r] ?? []) : [];
    const who = `Roles: ${roles.join(', ')}${scoped.length ? ` (${scoped.join('; ')})` : ''}.`;
    return { ...out, schema: withKeys(rest, roles, who) };
  };
}

const withKeys = (schema: Schema, roles: readonly Role[], first: string): FastifySchema =>
  ({
    ...schema,
    'x-roles': [...roles],
    description: schema.description ? `${first} ${schema.description}` : first,
  }) as FastifySchema;

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, Record<string, unknown> & { content?: Record<string, { schema: unknown }> }>;
};

const MEANS: Record<string, string> = {
  400: 'malformed: `issues` names each field refused and why; nothing was changed',
  401: 'no bearer token, or one not known',
  403: 'your role may not call this, or the record or cohort is not one assigned to you',
  404: 'there is no such record, cohort or resource (`code` says which)',
  409: 'If-Match no longer matches the record (the ETag sent back is the current one), or the Idempotency-Key is still in flight (Retry-After)',
  422: 'a rule refused it: `code` is stable (e.g. apl_cap_reached) and `message` cites the rule; nothing was written',
  500: 'an unexpected failure, logged; the message says nothing more',
  503: 'the store is out of reach, not ready, or its disk is full: send the same request after Retry-After seconds',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'seconds to wait before sending it again', schema: { type: 'integer' } },
};

/** The errors an operation may answer, from what it takes: a client can act on each. */
function errorsOf(method: string, path: string, op: Operation): string[] {
  const publicOp = Array.isArray(op.security) && op.security.length === 0;
  const headers = new Set((op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name));
  const codes: string[] = [];
  if (op.parameters?.some((p) => p.in !== 'path') || op.requestBody || path.includes('{')) codes.push('400');
  if (!publicOp) codes.push('401', '403');
  if (path.includes('{')) codes.push('404');
  if (headers.has('if-match') || headers.has('idempotency-key')) codes.push('409');
  if (method === 'post') codes.push('422');
  codes.push('500');
  if (path !== '/health') codes.push('503');
  return codes;
}

/**
 * Post-processes the whole document: the routes' `4XX`/`5XX` answers become the statuses each operation
 * may give, each pointing to the one error schema (taken from the routes' own declaration), and a
 * command's success says the headers it sends back.
 */
/**
 * OpenAPI 3.0.3: `nullable` adds null to the type, but an `enum` beside it must list null itself for a
 * null to be valid (a nullable choice, such as a pass/fail result that is null when marked).
 */
function allowNullInEnums(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as { nullable?: boolean; enum?: unknown[] };
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null))
    schema.enum = [...schema.enum, null];
  for (const value of Object.values(node)) allowNullInEnums(value);
}

export const documentErrors: SwaggerTransformObject = (object) => {
  const openapiObject = (object as { openapiObject: object }).openapiObject;
  const document = openapiObject as {
    paths?: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, unknown> };
  };
  let errorSchema: unknown;
  for (const [path, methods] of Object.entries(document.paths ?? {}))
    for (const [method, op] of Object.entries(methods)) {
      const declared = op.responses['4XX'] ?? op.responses['5XX'];
      errorSchema ??= declared?.content?.['application/json']?.schema;
      delete op.responses['4XX'];
      delete op.responses['5XX'];
      for (const code of errorsOf(method, path, op))
        op.responses[code] = {
          description: MEANS[code]!,
          ...(code === '503' || code === '409' ? { headers: RETRY_AFTER } : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      for (const [status, words] of [
        ['200', 'OK'],
        ['201', 'Created: what was written'],
      ] as const)
        if (op.responses[status]?.description === 'Default Response')
          op.responses[status]!.description = words;
      const created = op.responses['201'];
      if (created && (op.parameters ?? []).some((p) => p.name === 'idempotency-key'))
        created.headers = {
          ETag: { description: 'the revision of the record after the command', schema: { type: 'string' } },
          'Idempotent-Replayed': {
            description: '`true` when this is the first answer given again for a retried Idempotency-Key',
            schema: { type: 'string', enum: ['true'] },
          },
        };
    }
  allowNullInEnums(document);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: errorSchema ?? { type: 'object' } },
  };
  return openapiObject;
};
