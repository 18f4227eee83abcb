// A legacy `telemetry.db`, opened read-only: checked to be the legacy
// schema, then read row by row in import order as InvocationRecord input.
import { closeSync, constants, openSync, statSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { NotLegacyDatabaseError } from "./errors.js";
import { INVOCATION_FIELDS, INVOCATION_STATUSES, normalizeTimestamp, PRIVACY_LEVELS, type InvocationRow, type InvocationStatus, type PrivacyLevel } from "./invocation-record.js";
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

/**
 * Where a row stands in import order: oldest first by `timestamp` (as
 * SQLite orders it: NULL first, then numbers, then text), ties by row id.
 */
export interface RowPosition {
  readonly timestamp: unknown;
  readonly id: number;
}

// Import order. The legacy schema indexes `timestamp`, and an index entry
// carries the rowid (`id`), so SQLite walks that index in (timestamp, id)
// order instead of sorting the table, also from a position (row values).
const COLUMNS = LEGACY_COLUMNS.join(", ");
const ORDER = "ORDER BY timestamp, id";
/** Rows after a position; a NULL timestamp compares as NULL in a row value, hence its own form. */
const AFTER = "(timestamp, id) > (?, ?)";
const AFTER_NULL = "(timestamp IS NULL AND id > ?) OR timestamp IS NOT NULL";
/**
 * Of rows sharing an invocation_id (only possible in a table without the
 * legacy UNIQUE constraint), the first inserted is the one imported.
 */
const FIRST_OF_ID = "id IN (SELECT MIN(id) FROM invocations GROUP BY invocation_id)";

function sqliteClass(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number" || typeof value === "bigint") return 1;
  if (typeof value === "string") return 2;
  return 3;
}

/** Compares two positions as SQLite orders them (BINARY collation), so JS agrees with ORDER BY. */
export function comparePositions(a: RowPosition, b: RowPosition): number {
  const ca = sqliteClass(a.timestamp);
  const cb = sqliteClass(b.timestamp);
  if (ca !== cb) return ca - cb;
  if (ca === 1) {
    const x = Number(a.timestamp);
    const y = Number(b.timestamp);
    if (x !== y) return x < y ? -1 : 1;
  } else if (ca === 2) {
    // UTF-8 byte order, which BINARY collation uses (UTF-16 order differs above U+FFFF).
    const order = Buffer.compare(Buffer.from(a.timestamp as string), Buffer.from(b.timestamp as string));
    if (order !== 0) return order;
  } else if (ca === 3) {
    const order = Buffer.compare(a.timestamp as Uint8Array, b.timestamp as Uint8Array);
    if (order !== 0) return order;
  }
  return a.id - b.id;
}

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

/** Whether some unique index (or key) of the table covers exactly `invocation_id`. */
function hasUniqueInvocationId(db: BetterSqlite3.Database): boolean {
  const indexes = db.prepare("SELECT name, \"unique\" AS u, partial FROM pragma_index_list('invocations')").all() as { name: string; u: number; partial: number }[];
  return indexes.some(
    (index) =>
      index.u === 1 &&
      index.partial === 0 &&
      (db.prepare("SELECT name FROM pragma_index_info(?)").all(index.name) as { name: string | null }[]).map((c) => c.name).join() === "invocation_id",
  );
}

export class LegacyDatabase {
  readonly path: string;
  readonly #db: BetterSqlite3.Database;
  /** The table has the legacy UNIQUE constraint on invocation_id: no duplicates to leave out. */
  readonly #unique: boolean;
  #positionOf: BetterSqlite3.Statement | undefined;

  private constructor(path: string, db: BetterSqlite3.Database) {
    this.path = path;
    this.#db = db;
    this.#unique = hasUniqueInvocationId(db);
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
      // One pass in index order needs only the b-trees' upper pages cached:
      // SQLite's own default of 2 MB instead of better-sqlite3's 16 MB, whose
      // filled pages stayed resident (measured: peak RSS 14 MiB lower, no slower).
      // A memory map (mmap_size) was no faster and made the whole file resident.
      db.pragma("cache_size = -2000");
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
   * The rows to import, oldest first, after `after` (from the first row when
   * undefined), streamed: SQLite steps through the index as the caller pulls,
   * so memory does not grow with the database. Rows repeating an earlier
   * row's invocation_id (a table without the UNIQUE constraint) are left out.
   */
  rows(after?: RowPosition): IterableIterator<LegacyRow> {
    const where = [after === undefined ? undefined : after.timestamp === null ? AFTER_NULL : AFTER, this.#unique ? undefined : FIRST_OF_ID].filter((w) => w !== undefined);
    const sql = `SELECT ${COLUMNS} FROM invocations ${where.length === 0 ? "" : `WHERE ${where.map((w) => `(${w})`).join(" AND ")} `}${ORDER}`;
    const params = after === undefined ? [] : after.timestamp === null ? [after.id] : [after.timestamp, after.id];
    return this.#db.prepare(sql).raw(true).iterate(...params) as IterableIterator<LegacyRow>;
  }

  /**
   * Rows after `position` in import order (all rows when undefined). Counted
   * from the index range after it, so a re-run near the end counts little.
   */
  countAfter(position: RowPosition | undefined): number {
    if (position === undefined) return this.countRows();
    const sql = `SELECT COUNT(*) AS n FROM invocations WHERE ${position.timestamp === null ? AFTER_NULL : AFTER}`;
    const params = position.timestamp === null ? [position.id] : [position.timestamp, position.id];
    return (this.#db.prepare(sql).get(...params) as { n: number }).n;
  }

  /** The position of the (first) row with this invocation_id, or undefined. Indexed by the legacy UNIQUE constraint. */
  positionOf(invocationId: string): RowPosition | undefined {
    this.#positionOf ??= this.#db.prepare("SELECT timestamp, id FROM invocations WHERE invocation_id = ? ORDER BY id LIMIT 1");
    return this.#positionOf.get(invocationId) as RowPosition | undefined;
  }

  /** The row `count` rows before `position` in import order, or undefined when fewer rows precede it. */
  positionBefore(position: RowPosition, count: number): RowPosition | undefined {
    const where = position.timestamp === null ? "timestamp IS NULL AND id < ?" : "timestamp IS NULL OR (timestamp, id) < (?, ?)";
    const params = position.timestamp === null ? [position.id] : [position.timestamp, position.id];
    return this.#db.prepare(`SELECT timestamp, id FROM invocations WHERE ${where} ORDER BY timestamp DESC, id DESC LIMIT 1 OFFSET ?`).get(...params, count - 1) as
      | RowPosition
      | undefined;
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

const STATUSES: ReadonlySet<unknown> = new Set(INVOCATION_STATUSES);
const PRIVACY: ReadonlySet<unknown> = new Set(PRIVACY_LEVELS);

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** A token count as the legacy SUMs read it (NULL is 0), or NaN when invalid. */
function countOf(value: unknown): number {
  if (value === null) return 0;
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : Number.NaN;
}

/** A cost or latency (NULL is 0), or NaN when invalid. */
function amountOf(value: unknown): number {
  if (value === null) return 0;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : Number.NaN;
}

/**
 * The import's one pass over a row: the checks of
 * `validateInvocationRecord(legacyRowToRecord(row))` made on the row as
 * SQLite returns it, with no record built in between. Undefined for any row
 * it does not accept outright (an invalid value, or a NULL timestamp, which
 * takes the time of the import): the full validation then has the last word
 * and explains what is wrong.
 */
export function legacyRowToInvocation(row: LegacyRow, defaultPrivacyLevel: PrivacyLevel): InvocationRow | undefined {
  const invocationId = row[AT.invocation_id];
  const agent = row[AT.agent_name];
  const tool = row[AT.tool_name];
  const model = row[AT.model_name];
  const status = row[AT.status];
  const errorMessage = row[AT.error_message];
  const privacy = row[AT.privacy_level] ?? defaultPrivacyLevel;
  const rawTimestamp = row[AT.timestamp];
  if (!isText(invocationId) || !isText(tool) || !isText(model) || !(agent === null || isText(agent))) return undefined;
  if (!STATUSES.has(status) || !PRIVACY.has(privacy) || !(errorMessage === null || typeof errorMessage === "string") || typeof rawTimestamp !== "string") return undefined;
  const timestamp = normalizeTimestamp(rawTimestamp);
  const prompt = countOf(row[AT.prompt_tokens]);
  const completion = countOf(row[AT.completion_tokens]);
  const total = countOf(row[AT.total_tokens]);
  const cost = amountOf(row[AT.cost_usd]);
  const latency = amountOf(row[AT.latency_ms]);
  // NaN (an invalid number) makes the sum NaN.
  if (timestamp === undefined || Number.isNaN(prompt + completion + total + cost + latency)) return undefined;
  return {
    invocation_id: invocationId,
    timestamp,
    agent_name: agent,
    tool_name: tool,
    model_name: model,
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    cost_usd: cost,
    latency_ms: latency,
    status: status as InvocationStatus,
    error_message: errorMessage,
    privacy_level: privacy as PrivacyLevel,
  };
}
