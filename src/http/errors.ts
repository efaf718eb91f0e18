import { hasZodFastifySchemaValidationErrors } from '@fastify/type-provider-zod';
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  asLedgerError,
  type ErrorKind,
  type FieldIssue,
  type LedgerError,
  WrongExpectedRevisionError,
} from '../errors.ts';

// Every error leaves the API here, in one shape: { error: { kind, code, message, issues?, details? } }.
// Domain kinds map to statuses a client can act on; an unexpected error is a 500 that is logged and
// says nothing more to the client.

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  refused: 422,
  integrity: 500,
  unavailable: 503,
};

/** Seconds to wait before a retry, as the error suggests (storage failures say 30), else 5. */
export function retryAfterOf(error: LedgerError): number {
  const seconds = error.details.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds : 5;
}

export function statusOf(error: LedgerError): number {
  return STATUS[error.kind];
}

export function errorBody(
  kind: string,
  code: string,
  message: string,
  extra: { issues?: FieldIssue[]; details?: Record<string, unknown> } = {},
) {
  return {
    error: {
      kind,
      code,
      message,
      ...(extra.issues?.length ? { issues: extra.issues } : {}),
      ...(extra.details && Object.keys(extra.details).length ? { details: extra.details } : {}),
    },
  };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | LedgerError | Error, request, reply) => {
    const error = asLedgerError(thrown);
    if (error) {
      if (error instanceof WrongExpectedRevisionError && error.actual !== 'no_stream')
        reply.header('ETag', `"${error.actual}"`);
      // A full or failing disk, a store out of reach, a request still in flight: the same request may be
      // sent again later.
      if (error.kind === 'unavailable' || error.details.retryAfterSeconds !== undefined)
        reply.header('Retry-After', String(retryAfterOf(error)));
      const details =
        error instanceof WrongExpectedRevisionError
          ? { ...error.details, currentRevision: error.actual }
          : error.details;
      return reply
        .status(statusOf(error))
        .send(errorBody(error.kind, error.code, error.message, { issues: error.issues, details }));
    }
    if (hasZodFastifySchemaValidationErrors(thrown)) {
      const where = (thrown as FastifyError).validationContext ?? 'body';
      const issues = thrown.validation.map((v) => ({
        field:
          [
            where === 'body' ? '' : where,
            ...String(v.instancePath ?? '')
              .split('/')
              .filter(Boolean),
          ]
            .filter(Boolean)
            .join('.') || where,
        reason: v.message ?? 'is invalid',
      }));
      return reply.status(400).send(
        errorBody('invalid', 'invalid_request', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), {
          issues,
        }),
      );
    }
    const fe = thrown as FastifyError;
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Malformed JSON, a wrong content type, a body too large: the client's mistake, said plainly.
      return reply
        .status(fe.statusCode)
        .send(errorBody('invalid', (fe.code ?? 'bad_request').toLowerCase(), fe.message));
    }
    request.log.error({ err: thrown }, 'unexpected error');
    return reply
      .status(500)
      .send(errorBody('internal', 'internal_error', 'an unexpected error occurred; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorBody('not_found', 'no_route', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
