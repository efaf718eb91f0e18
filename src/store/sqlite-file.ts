import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

// Opening one of the ledger's SQLite files (the log, the keys) so that a file that cannot be what it is
// named for stops the ledger at start, with a message naming the variable and the file, rather than
// starting on an empty or foreign database:
// - a zero-length file (truncated, or replaced) is refused: SQLite would take it as a new, empty database;
// - a file that is not SQLite, or is corrupt, or cannot be written (read-only file or file system);
// - a file that holds another of the ledger's databases (the keys in the log's file, or the reverse).

export class SqliteFileError extends Error {}

export interface SqliteFileOptions {
  /** How messages name the file: the variable that names it, e.g. "LEDGER_DB". */
  variable: string;
  readonly?: boolean;
  /** Tables that mark the file as another database, with what that database is. */
  foreignTables: Record<string, string>;
}

export function describeFile(variable: string, path: string): string {
  return `${variable}=${path}`;
}

export function openSqliteFile(path: string, options: SqliteFileOptions): Database.Database {
  const name = describeFile(options.variable, path);
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    const wal = `${path}-wal`;
    if (existsSync(path) && statSync(path).size === 0 && !(existsSync(wal) && statSync(wal).size > 0))
      throw new SqliteFileError(
        `${name} is an empty file (0 bytes): a database the ledger made is never empty, so it was truncated or replaced. Restore it from a backup; remove it only if this is a new ledger.`,
      );
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: options.readonly ?? false });
    if (!options.readonly) db.pragma('journal_mode = WAL');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const what = options.foreignTables[table];
      if (what)
        throw new SqliteFileError(
          `${name} holds ${what} (a "${table}" table), not what ${options.variable} names: each must be its own file`,
        );
    }
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof SqliteFileError) throw error;
    throw fileError(name, error);
  }
}

/** An error met while opening or first writing a file, as a message naming it. */
export function fileError(name: string, error: unknown): SqliteFileError {
  const code = String((error as { code?: unknown }).code ?? '');
  const reason = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new SqliteFileError(
      `${name} is not a readable SQLite database (${code}: ${reason}); restore it from a backup`,
    );
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_PERM'))
    return new SqliteFileError(
      `${name} cannot be opened for writing (${code}: ${reason}): a read-only file or file system?`,
    );
  return new SqliteFileError(`${name} could not be opened (${code || 'error'}: ${reason})`);
}
