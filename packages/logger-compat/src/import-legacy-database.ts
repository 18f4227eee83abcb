// Brings a legacy `telemetry.db` into the event log: every row of its
// `invocations` table becomes one `cost_update` event, in timestamp order.
// Idempotent (ids already in the log are skipped) and all-or-nothing with
// respect to bad input: the file and every row are checked before anything
// is written.
import type Database from "better-sqlite3";
import { DuplicateInvocationError, NotLegacyDatabaseError } from "./errors.js";
import { invocationToEvent } from "./invocation-event.js";
import { INVOCATION_FIELDS, InvocationValidationError, validateInvocationRecord, type InvocationIssue, type PrivacyLevel } from "./invocation-record.js";
import type { TelemetryLogger } from "./telemetry-logger.js";

export interface ImportProgress {
  /** Rows handled so far (imported + skipped). */
  readonly done: number;
  /** Rows in the legacy table. */
  readonly total: number;
}

export interface ImportLegacyDatabaseOptions {
  /** The legacy SQLite database. Opened read-only; never modified. */
  readonly dbPath: string;
  /** Where the rows go. */
  readonly logger: TelemetryLogger;
  /** Called after each batch of rows. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Rows emitted concurrently. The writer's group commit turns a batch into a
   * few write+fsync calls, so larger batches are faster. Default 1000.
   */
  readonly batchSize?: number;
}

export interface ImportResult {
  readonly imported: number;
  /** Rows whose invocation_id was already in the log. */
  readonly skipped: number;
}

/** A legacy row that cannot become an InvocationRecord; the import wrote nothing. */
export class LegacyRowError extends Error {
  readonly code = "LEGACY_ROW_INVALID" as const;
  readonly dbPath: string;
  /** The row's SQLite `id`. */
  readonly rowId: number;
  readonly issues: readonly InvocationIssue[];

  constructor(dbPath: string, rowId: number, cause: InvocationValidationError) {
    super(`${dbPath}: invocations row id=${rowId} cannot be imported: ${cause.message} (nothing was imported)`, { cause });
    this.name = "LegacyRowError";
    this.dbPath = dbPath;
    this.rowId = rowId;
    this.issues = cause.issues;
  }
}

/** Columns of the legacy `invocations` table that a record is made of, plus the row id for error messages. */
const LEGACY_COLUMNS = ["id", ...INVOCATION_FIELDS] as const;

type LegacyRow = Record<(typeof LEGACY_COLUMNS)[number], unknown>;

const SELECT_ROWS = `SELECT ${LEGACY_COLUMNS.join(", ")} FROM invocations ORDER BY timestamp, id`;

// Typed as the SQLite column types allow: numbers may be NULL (the legacy
// columns have defaults, but an explicit NULL was accepted), which the
// legacy SUMs treated as nothing, i.e. as 0.
function toRecord(row: LegacyRow, privacyLevel: PrivacyLevel): unknown {
  const zeroIfNull = (value: unknown): unknown => (value === null ? 0 : value);
  return {
    invocation_id: row.invocation_id,
    timestamp: row.timestamp ?? undefined,
    agent_name: row.agent_name,
    tool_name: row.tool_name,
    model_name: row.model_name,
    prompt_tokens: zeroIfNull(row.prompt_tokens),
    completion_tokens: zeroIfNull(row.completion_tokens),
    total_tokens: zeroIfNull(row.total_tokens),
    cost_usd: zeroIfNull(row.cost_usd),
    latency_ms: zeroIfNull(row.latency_ms),
    status: row.status,
    error_message: row.error_message,
    privacy_level: row.privacy_level ?? privacyLevel,
  };
}

async function openLegacy(dbPath: string): Promise<Database.Database> {
  // Loaded on first use: loggers that never import do not load the native module.
  const { default: SQLite } = await import("better-sqlite3");
  let db: Database.Database;
  try {
    db = new SQLite(dbPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new NotLegacyDatabaseError(dbPath, `cannot open it (${(error as Error).message})`, { cause: error });
  }
  try {
    // SQLite reads the header lazily: a file that is not a database fails here (SQLITE_NOTADB).
    const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('invocations')").all() as { name: string }[]).map((c) => c.name));
    if (columns.size === 0) throw new NotLegacyDatabaseError(dbPath, "it has no `invocations` table");
    const missing = LEGACY_COLUMNS.filter((c) => !columns.has(c));
    if (missing.length > 0) throw new NotLegacyDatabaseError(dbPath, `its \`invocations\` table lacks the column(s) ${missing.join(", ")}`);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof NotLegacyDatabaseError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new NotLegacyDatabaseError(dbPath, `SQLite cannot read it (${typeof code === "string" ? code : "error"}: ${(error as Error).message})`, { cause: error });
  }
}

function countRows(db: Database.Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM invocations").get() as { n: number }).n;
}

/** Every row must become a valid event (the very one logInvocation would write) before the first is written. */
function checkRows(db: Database.Database, dbPath: string): void {
  const check = { privacyLevel: "metadata" as const, now: () => new Date(0) };
  for (const row of db.prepare(SELECT_ROWS).iterate() as IterableIterator<LegacyRow>) {
    try {
      invocationToEvent(validateInvocationRecord(toRecord(row, check.privacyLevel), check));
    } catch (error) {
      if (error instanceof InvocationValidationError) throw new LegacyRowError(dbPath, Number(row.id), error);
      throw error;
    }
  }
}

/**
 * Checks that `dbPath` is a legacy telemetry database whose every row can be
 * imported, without touching any log: what `importLegacyDatabase` checks
 * before it writes, for callers that must not even create the log otherwise.
 * @throws {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE) or {LegacyRowError} (LEGACY_ROW_INVALID).
 */
export async function checkLegacyDatabase(dbPath: string): Promise<{ readonly invocations: number }> {
  const db = await openLegacy(dbPath);
  try {
    checkRows(db, dbPath);
    return { invocations: countRows(db) };
  } finally {
    db.close();
  }
}

/**
 * Appends every row of the legacy database's `invocations` table to the
 * logger's event log, oldest first, skipping ids already there.
 * @throws {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE) for a missing file, a file that is not SQLite, or one without the legacy table; nothing is written.
 * @throws {LegacyRowError} (LEGACY_ROW_INVALID) for a row that is not a valid record; nothing is written.
 */
export async function importLegacyDatabase(options: ImportLegacyDatabaseOptions): Promise<ImportResult> {
  const { dbPath, logger, onProgress } = options;
  const batchSize = options.batchSize ?? 1000;
  const db = await openLegacy(dbPath);
  try {
    const total = countRows(db);
    const select = db.prepare(SELECT_ROWS);
    checkRows(db, dbPath);

    let imported = 0;
    let skipped = 0;
    let batch: Promise<unknown>[] = [];
    const settle = async (): Promise<void> => {
      const results = await Promise.allSettled(batch);
      batch = [];
      let failure: Error | undefined;
      for (const result of results) {
        if (result.status === "fulfilled") imported++;
        else if (result.reason instanceof DuplicateInvocationError) skipped++;
        else failure ??= result.reason instanceof Error ? result.reason : new Error(String(result.reason));
      }
      if (failure !== undefined) throw failure;
      onProgress?.({ done: imported + skipped, total });
    };
    for (const row of select.iterate() as IterableIterator<LegacyRow>) {
      // logInvocation rejects an id already in the log with DuplicateInvocationError: that is the skip.
      batch.push(logger.logInvocation(toRecord(row, "metadata") as Parameters<TelemetryLogger["logInvocation"]>[0]));
      if (batch.length >= batchSize) await settle();
    }
    await settle();
    return { imported, skipped };
  } finally {
    db.close();
  }
}
