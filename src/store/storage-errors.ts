import { LedgerError } from '../errors.ts';

// A disk that fills up, goes read-only or fails is not the client's mistake and not a bug: the write is
// refused whole (SQLite rolls the transaction back), nothing was written, and the same request can be
// sent again later. Such errors become `unavailable` (503 with Retry-After, src/http/errors.ts) with a code
// that says which, instead of an internal error.

/** Seconds a client should wait before retrying a write refused for lack of space or a failing disk. */
export const RETRY_AFTER_SECONDS = 30;

/** The LedgerError for a storage failure, or null when the error is something else. */
export function storageFailure(error: unknown, what: string): LedgerError | null {
  if (error instanceof LedgerError) return error.kind === 'unavailable' ? error : null;
  const code = String((error as { code?: unknown }).code ?? '');
  const reason = (error as Error).message;
  const details = { retryAfterSeconds: RETRY_AFTER_SECONDS, storage: what, sqliteCode: code };
  if (code === 'SQLITE_FULL')
    return new LedgerError(
      'unavailable',
      'storage_full',
      `${what} cannot grow: the disk is full (${reason}); nothing was written, try again once space is freed`,
      details,
    );
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN')
    return new LedgerError(
      'unavailable',
      'storage_unavailable',
      `${what} cannot be written (${code}: ${reason}); nothing was written, try again later`,
      details,
    );
  if (code.startsWith('SQLITE_BUSY'))
    return new LedgerError(
      'unavailable',
      'storage_busy',
      `${what} is locked by another process (${reason}); nothing was written, try again`,
      { ...details, retryAfterSeconds: 1 },
    );
  return null;
}

/** Throws the storage failure for an error, or the error itself. */
export function rethrowAsStorage(error: unknown, what: string): never {
  throw storageFailure(error, what) ?? error;
}

export interface WriteHealthReport {
  writable: boolean;
  failure: { code: string; message: string; since: string } | null;
}

/**
 * Whether writes are failing: set by a failed commit, cleared by the next one that succeeds or by a
 * probe (a small real commit) that a readiness check runs, at most once a second, while writes fail.
 */
export class WriteHealth {
  private failure: { code: string; message: string; since: string } | null = null;
  private lastProbe = 0;

  constructor(private readonly probe: () => void) {}

  failed(error: LedgerError): void {
    this.failure ??= { code: error.code, message: error.message, since: new Date().toISOString() };
  }

  succeeded(): void {
    this.failure = null;
  }

  report(now = Date.now()): WriteHealthReport {
    if (this.failure && now - this.lastProbe >= 1000) {
      this.lastProbe = now;
      try {
        this.probe();
        this.failure = null;
      } catch {
        // still failing: stays not writable
      }
    }
    return { writable: this.failure === null, failure: this.failure };
  }
}
