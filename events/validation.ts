import type { z } from 'zod';

// The catalogue's own refusal: an event whose type is unknown or whose data fails its schema. It names
// each field and the reason; the ledger maps it to its own errors (src/errors.ts), so the catalogue
// needs nothing from the rest of the code.

export interface FieldIssue {
  /** A dotted path to the field, e.g. `data.mark` or `personal.teacherReferenceNumber`. */
  field: string;
  reason: string;
}

export class EventValidationError extends Error {
  constructor(
    readonly code: 'unknown_event_type' | 'invalid_event',
    readonly issues: FieldIssue[],
    message: string,
  ) {
    super(message);
    this.name = 'EventValidationError';
  }
}

export function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    reason: issue.message,
  }));
}
