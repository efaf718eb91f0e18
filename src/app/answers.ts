import { z } from 'zod';

// What every route may answer besides its own result: the one shape of every refusal and failure, which
// the API's error handler (src/http/errors.ts) sends. The API and the web pages' routes declare it.

/** The one shape every refusal and failure has, whatever the route. */
export const ErrorSchema = z
  .object({
    error: z.object({
      kind: z.string().describe('invalid, unauthenticated, forbidden, not_found, conflict, refused, ...'),
      code: z.string().describe('stable and machine-readable, e.g. apl_cap_reached'),
      message: z.string(),
      issues: z
        .array(z.looseObject({ field: z.string(), reason: z.string() }))
        .optional()
        .describe('each field refused and why (a CSV upload adds the row and column)'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('a refusal or failure: 400 malformed, 401, 403, 404, 409 conflict, 422 a rule refused, 5xx');

/** A route's answers: what it succeeds with, and the error shape of every refusal. */
export const answers = <S extends z.ZodType>(ok: S) => ({ 200: ok, '4xx': ErrorSchema, '5xx': ErrorSchema });
export const createdAnswers = <S extends z.ZodType>(created: S) => ({
  201: created,
  '4xx': ErrorSchema,
  '5xx': ErrorSchema,
});
