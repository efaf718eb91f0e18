import { EventValidationError, type FieldIssue } from '../events/validation.ts';

// Errors are values with a stable code and a human reason. src/http/errors.ts maps the kinds to HTTP
// statuses in one place; nothing else decides a status code. Every layer may raise them: this module
// depends on nothing but the catalogue's own validation error, which it maps (asLedgerError).

export type { FieldIssue };

export type ErrorKind =
  | 'invalid' // the input is malformed: a field fails its schema
  | 'refused' // a rule of the programme or the record refuses the command
  | 'conflict' // optimistic concurrency: someone else wrote first
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'integrity' // the log fails verification
  | 'unavailable'; // a store or service could not be reached

export class LedgerError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** A stable, machine-readable code, e.g. `mark_out_of_range`. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

export class WrongExpectedRevisionError extends LedgerError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    /** The stream's current revision, or `no_stream`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(
      'conflict',
      'wrong_expected_revision',
      `stream ${streamId} was expected at ${expected} but is at ${String(actual)}`,
      { streamId, expected, actual },
    );
  }
}

export class DuplicateEventIdError extends LedgerError {
  constructor(readonly eventId: string) {
    super(
      'conflict',
      'duplicate_event_id',
      `event id ${eventId} is already in the log as part of a different append`,
      { eventId },
    );
  }
}

export function invalid(code: string, issues: FieldIssue[], message?: string): LedgerError {
  const text = message ?? issues.map((i) => `${i.field}: ${i.reason}`).join('; ');
  return new LedgerError('invalid', code, text, {}, issues);
}

/**
 * A refusal by a rule. Where it concerns one field of the command, `field` names it (as a schema error
 * would): the refusal then carries one issue, so a page or the CLI shows the reason beside that field.
 */
export function refused(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  field?: string,
): LedgerError {
  return new LedgerError('refused', code, message, details, field ? [{ field, reason: message }] : []);
}

export function conflict(code: string, message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('conflict', code, message, details);
}

export function notFound(code: string, message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('not_found', code, message, details);
}

export function describeExpected(expected: bigint | string): string {
  return typeof expected === 'bigint' ? `revision ${expected}` : expected;
}

/** The ledger's error for a thrown value, if it is one of ours (the catalogue's refusals are `invalid`). */
export function asLedgerError(error: unknown): LedgerError | null {
  if (error instanceof LedgerError) return error;
  if (error instanceof EventValidationError) return invalid(error.code, error.issues, error.message);
  return null;
}
