// A legacy `telemetry.db`, opened read-only: checked to be the legacy
// schema, then read row by row in import order as InvocationRecord input.
import { closeSync, constants, openSync, statSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { NotLegacyDatabaseError } from "./errors.js";
import { INVOCATION_FIELDS, type PrivacyLevel } from "./invocation-record.js";
import type { SqliteDatabaseConstructor } from "./sqlite-engine.js";

/** Columns of the legacy `invocations` table that a record is made of, plus the row id for error messages. */
const LEGACY_COLUMNS = ["id", ...INVOCATION_FIELDS] as const;

/** A row as SQLite returns it in `raw` mode: the values of LEGACY_COLUMNS, in that order (no object per row). */
export type LegacyRow = readonly unknown[];

/** Positions in a LegacyRow. */
const AT = Object.fromEntries(LEGACY_COLUMNS.map((column, i) => [column, i])) as Record<(typeof LEGACY_COLUMNS)[number], number>;

/** The row's SQLite `id`, for error messages. */
export function legacyRowId(row: LegacyRow): number {
  return Number(row[AT.id]);
}

/** The row's `invocation_id` as stored (any SQLite type). */
export function legacyInvocationId(row: LegacyRow): unknown {
  return row[AT.invocation_id];
}

// Import order: oldest first. The legacy schema indexes `timestamp`, so
// SQLite walks that index (ties in rowid order) instead of sorting the table.
const SELECT_ROWS = `SELECT ${LEGACY_COLUMNS.join(", ")} FROM invocations ORDER BY timestamp, id`;

/** An OS error for `path`, shaped like Node's own (code, path, syscall). */
function osError(code: string, message: string, path: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall} '${path}'`), { code, path, syscall });
}

/**
 * Checks the file itself before SQLite sees it: SQLite reports a directory
 * as "disk I/O error" and an unreadable file as "unable to open", without
 * the OS code a user can act on.
 */
function checkReadableFile(dbPath: string): void {
  let cause: NodeJS.ErrnoException | undefined;
  try {
    if (statSync(dbPath).isDirectory()) cause = osError("EISDIR", "illegal operation on a directory", dbPath, "open");
    else closeSync(openSync(dbPath, constants.O_RDONLY));
  } catch (error) {
    cause = error as NodeJS.ErrnoException;
  }
  if (cause !== undefined) {
    const reason = cause.code === "ENOENT" ? "no such file" : cause.code === "EISDIR" ? "it is a directory" : cause.code === "EACCES" ? "permission denied" : "cannot open it";
    throw new NotLegacyDatabaseError(dbPath, `${reason} (${cause.code ?? "error"})`, { cause });
  }
}

export class LegacyDatabase {
  readonly path: string;
  readonly #db: BetterSqlite3.Database;

  private constructor(path: string, db: BetterSqlite3.Database) {
    this.path = path;
    this.#db = db;
  }

  /**
   * Opens `dbPath` read-only (never modified) and checks for the legacy
   * `invocations` table and columns.
   * @throws {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE), with the OS error as `cause` for a missing, unreadable or directory path.
   */
  static open(Database: SqliteDatabaseConstructor, dbPath: string): LegacyDatabase {
    checkReadableFile(dbPath);
    let db: BetterSqlite3.Database;
    try {
      db = new Database(dbPath, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new NotLegacyDatabaseError(dbPath, `cannot open it (${(error as Error).message})`, { cause: error });
    }
    try {
      // SQLite reads the header lazily: a file that is not a database fails here (SQLITE_NOTADB).
      const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('invocations')").all() as { name: string }[]).map((c) => c.name));
      if (columns.size === 0) throw new NotLegacyDatabaseError(dbPath, "it has no `invocations` table");
      const missing = LEGACY_COLUMNS.filter((c) => !columns.has(c));
      if (missing.length > 0) throw new NotLegacyDatabaseError(dbPath, `its \`invocations\` table lacks the column(s) ${missing.join(", ")}`);
      return new LegacyDatabase(dbPath, db);
    } catch (error) {
      db.close();
      if (error instanceof NotLegacyDatabaseError) throw error;
      const code = (error as { code?: unknown }).code;
      throw new NotLegacyDatabaseError(dbPath, `SQLite cannot read it (${typeof code === "string" ? code : "error"}: ${(error as Error).message})`, { cause: error });
    }
  }

  /** Rows in the `invocations` table. */
  countRows(): number {
    return (this.#db.prepare("SELECT COUNT(*) AS n FROM invocations").get() as { n: number }).n;
  }

  /**
   * Every row, oldest first, streamed: SQLite steps through the table as the
   * caller pulls, so memory does not grow with the database.
   */
  rows(): IterableIterator<LegacyRow> {
    return this.#db.prepare(SELECT_ROWS).raw(true).iterate() as IterableIterator<LegacyRow>;
  }

  close(): void {
    this.#db.close();
  }
}

/**
 * The record a legacy row stands for. Typed as the SQLite column types allow:
 * numbers may be NULL (the legacy columns have defaults, but an explicit NULL
 * was accepted), which the legacy SUMs treated as nothing, i.e. as 0; a NULL
 * `privacy_level` is the column default.
 */
export function legacyRowToRecord(row: LegacyRow, defaultPrivacyLevel: PrivacyLevel): unknown {
  const zeroIfNull = (value: unknown): unknown => (value === null ? 0 : value);
  return {
    invocation_id: row[AT.invocation_id],
    timestamp: row[AT.timestamp] ?? undefined,
    agent_name: row[AT.agent_name],
    tool_name: row[AT.tool_name],
    model_name: row[AT.model_name],
    prompt_tokens: zeroIfNull(row[AT.prompt_tokens]),
    completion_tokens: zeroIfNull(row[AT.completion_tokens]),
    total_tokens: zeroIfNull(row[AT.total_tokens]),
    cost_usd: zeroIfNull(row[AT.cost_usd]),
    latency_ms: zeroIfNull(row[AT.latency_ms]),
    status: row[AT.status],
    error_message: row[AT.error_message],
    privacy_level: row[AT.privacy_level] ?? defaultPrivacyLevel,
  };
}
