// Brings a legacy `telemetry.db` into the event log: every row of its
// `invocations` table becomes one durable `cost_update` event, oldest first.
// One streaming pass over the database, in bounded batches: memory does not
// grow with the database, and an import stopped at any point (a crash, a
// bad row, a full disk) is completed by running it again, because rows
// whose invocation_id is already in the log are skipped.
import { readEvents } from "@telemetry/reader";
import { EventValidationError } from "@telemetry/schema";
import { openEventWriter, type EventWriter, type WriterOptions } from "@telemetry/writer";
import { InvocationIdSet } from "./invocation-id-set.js";
import { invocationErrorFromEvent, invocationToEvent, invocationToEventInput } from "./invocation-event.js";
import { InvocationValidationError, validateInvocationRecord, type InvocationIssue, type InvocationRow } from "./invocation-record.js";
import { LegacyDatabase, legacyInvocationId, legacyRowId, legacyRowToRecord, type LegacyRow } from "./legacy-database.js";
import { loggerWriter } from "./logger-writer.js";
import { loadSqliteEngine } from "./sqlite-engine.js";
import type { TelemetryLogger } from "./telemetry-logger.js";

export interface ImportProgress {
  /**
   * `"reading-log"`: collecting the ids already in the log (`done` events
   * read so far; `total` unknown). `"importing"`: `done` rows of `total`
   * handled (imported + skipped).
   */
  readonly phase: "reading-log" | "importing";
  readonly done: number;
  readonly total: number | undefined;
}

interface ImportSource {
  /** The legacy SQLite database. Opened read-only; never modified. */
  readonly dbPath: string;
  /** Called when a phase starts and then about every batch (every 10,000 events while reading the log). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Rows read and handed to the writer at a time (two batches are in flight,
   * so one is validated while the other is fsync'd). Bounds memory: rows in
   * flight survive young-generation GCs, so larger batches grow the heap
   * (measured: peak RSS 148 MB at 500, 164 MB at 1000, 221 MB at 4000 for
   * 200,000 rows) while each fdatasync is already shared by hundreds of
   * rows. Default 500.
   */
  readonly batchSize?: number;
}

/** Where the rows go: an open logger's log (through its writer), or a log path opened just for the import. */
export type ImportLegacyDatabaseOptions = ImportSource &
  (
    | { readonly logger: TelemetryLogger }
    | ({
        /** The event log (created if missing; rotated files `path.N` are read for ids too). */
        readonly path: string;
      } & Pick<WriterOptions, "maxSizeBytes" | "maxBackups" | "fileMode" | "maxEventBytes">)
  );

export interface ImportResult {
  readonly imported: number;
  /** Rows whose invocation_id was already in the log. */
  readonly skipped: number;
}

/**
 * A legacy row that cannot become an InvocationRecord. The import stops
 * there; rows written before it stay in the log, and a re-run (after fixing
 * or deleting the row) skips them and continues.
 */
export class LegacyRowError extends Error {
  readonly code = "LEGACY_ROW_INVALID" as const;
  readonly dbPath: string;
  /** The row's SQLite `id`. */
  readonly rowId: number;
  readonly issues: readonly InvocationIssue[];

  constructor(dbPath: string, rowId: number, cause: InvocationValidationError, note: string) {
    super(`${dbPath}: invocations row id=${rowId} cannot be imported: ${cause.message} (${note})`, { cause });
    this.name = "LegacyRowError";
    this.dbPath = dbPath;
    this.rowId = rowId;
    this.issues = cause.issues;
  }
}

/** How import rows are checked: a NULL privacy level is the legacy column default; a NULL timestamp is the time of the import, as when logInvocation gets none. */
const ROW_CHECK = { privacyLevel: "metadata" as const, now: (): Date => new Date() };

/** The record-level checks of one row (the wire-level ones run in the writer, once). */
function rowToInvocation(row: LegacyRow, dbPath: string, note: string): InvocationRow {
  try {
    return validateInvocationRecord(legacyRowToRecord(row, ROW_CHECK.privacyLevel), ROW_CHECK);
  } catch (error) {
    if (error instanceof InvocationValidationError) throw new LegacyRowError(dbPath, legacyRowId(row), error, note);
    throw error;
  }
}

/** The invocation ids of every `cost_update` event in the log and its rotated files. */
async function readLoggedIds(path: string, expected: number, report: (done: number) => void): Promise<InvocationIdSet> {
  const ids = new InvocationIdSet(expected);
  let read = 0;
  report(0);
  // Damaged lines are skipped: they hold no event, so their rows are imported (again).
  for await (const event of readEvents(path, { onInvalid: () => undefined })) {
    if (event.event === "cost_update") ids.add(event.event_id);
    if (++read % 10_000 === 0) report(read);
  }
  if (read % 10_000 !== 0) report(read);
  return ids;
}

async function openTarget(options: ImportLegacyDatabaseOptions): Promise<{ writer: EventWriter; owned: boolean }> {
  if ("logger" in options) {
    const writer = loggerWriter(options.logger);
    if (writer === undefined) throw new TypeError("importLegacyDatabase: `logger` is not a TelemetryLogger from TelemetryLogger.open()");
    return { writer, owned: false };
  }
  const { path, maxSizeBytes, maxBackups, fileMode, maxEventBytes } = options;
  const writer = await openEventWriter({
    path,
    durability: "fsync",
    ...(maxSizeBytes === undefined ? {} : { maxSizeBytes }),
    ...(maxBackups === undefined ? {} : { maxBackups }),
    ...(fileMode === undefined ? {} : { fileMode }),
    ...(maxEventBytes === undefined ? {} : { maxEventBytes }),
  });
  return { writer, owned: true };
}

/**
 * Checks that `dbPath` is a legacy telemetry database whose every row can be
 * imported, without touching any log: for callers that want all-or-nothing
 * (check, then import). `importLegacyDatabase` alone checks each row as it
 * goes, in its single pass.
 * @throws {SqliteUnavailableError} (SQLITE_UNAVAILABLE), {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE) or {LegacyRowError} (LEGACY_ROW_INVALID).
 */
export async function checkLegacyDatabase(dbPath: string): Promise<{ readonly invocations: number }> {
  const db = LegacyDatabase.open(await loadSqliteEngine(), dbPath);
  try {
    let invocations = 0;
    for (const row of db.rows()) {
      try {
        invocationToEvent(rowToInvocation(row, dbPath, "nothing was imported"));
      } catch (error) {
        if (error instanceof InvocationValidationError) throw new LegacyRowError(dbPath, legacyRowId(row), error, "nothing was imported");
        throw error;
      }
      invocations++;
    }
    return { invocations };
  } finally {
    db.close();
  }
}

/**
 * Appends every row of the legacy database's `invocations` table to the
 * log, oldest first (by `timestamp`, then row id), skipping rows whose
 * invocation_id is already there. Each appended event is fdatasync'd before
 * it counts as imported.
 *
 * Resumable rather than all-or-nothing: the file and its schema are checked
 * before the log is touched, but rows are checked as they stream, so an
 * invalid row stops the import with the rows before it already written.
 * Running the import again (after fixing the row, or after a crash or a full
 * disk) skips what is there and imports the rest: every row ends up in the
 * log exactly once.
 * @throws {SqliteUnavailableError} (SQLITE_UNAVAILABLE) when better-sqlite3 is missing or not built; nothing is written.
 * @throws {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE) for a missing, unreadable or non-SQLite file, or one without the legacy table; nothing is written.
 * @throws {LegacyRowError} (LEGACY_ROW_INVALID) for a row that is not a valid record; the rows before it stay imported.
 */
export async function importLegacyDatabase(options: ImportLegacyDatabaseOptions): Promise<ImportResult> {
  const { dbPath, onProgress } = options;
  const batchSize = options.batchSize ?? 500;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`importLegacyDatabase: batchSize must be a whole number >= 1, received ${batchSize}`);
  const db = LegacyDatabase.open(await loadSqliteEngine(), dbPath);
  let target: { writer: EventWriter; owned: boolean } | undefined;
  try {
    const total = db.countRows();
    target = await openTarget(options);
    const { writer } = target;
    // Sized for the rows to come: it holds the logged ids and then each imported one.
    const present = await readLoggedIds(writer.path, total, (done) => onProgress?.({ phase: "reading-log", done, total: undefined }));

    let imported = 0;
    let skipped = 0;
    const note = "the rows before it are imported; fix or delete it and import again: rows already in the log are skipped";
    // Settles one batch of emits; the first failure (a bad row, a disk error) is rethrown after all have settled.
    const settle = async (batch: readonly { rowId: number; written: Promise<unknown> }[]): Promise<void> => {
      const results = await Promise.allSettled(batch.map((b) => b.written));
      let failure: Error | undefined;
      results.forEach((result, i) => {
        if (result.status === "fulfilled") imported++;
        else if (failure === undefined) {
          const reason: unknown = result.reason;
          if (reason instanceof EventValidationError) failure = new LegacyRowError(dbPath, batch[i]!.rowId, invocationErrorFromEvent(reason), note);
          else failure = reason instanceof Error ? reason : new Error(String(reason));
        }
      });
      if (failure !== undefined) throw failure;
    };

    onProgress?.({ phase: "importing", done: 0, total });
    const rows = db.rows();
    let read = 0;
    // Two batches in flight: while one waits for its fdatasync, the next is read and validated.
    let previous: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const batch: { rowId: number; written: Promise<unknown> }[] = [];
        let exhausted = false;
        let badRow: Error | undefined;
        for (let n = 0; n < batchSize; n++) {
          const next = rows.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          read++;
          const row = next.value;
          const id = legacyInvocationId(row);
          if (typeof id === "string" && present.has(id)) {
            skipped++;
            continue;
          }
          let invocation: InvocationRow;
          try {
            invocation = rowToInvocation(row, dbPath, note);
          } catch (error) {
            badRow = error instanceof Error ? error : new Error(String(error));
            break;
          }
          // A second row with the same id (a legacy table without its UNIQUE constraint) is skipped like a logged one.
          if (!present.add(invocation.invocation_id)) {
            skipped++;
            continue;
          }
          batch.push({ rowId: legacyRowId(row), written: writer.emit(invocationToEventInput(invocation)) });
        }
        // This batch is settled even if the one before failed, so none of its rejections goes unobserved.
        const current = previous.catch(() => undefined).then(() => settle(batch));
        current.catch(() => undefined);
        try {
          await previous;
        } finally {
          previous = current;
        }
        onProgress?.({ phase: "importing", done: read, total });
        if (badRow !== undefined) {
          await previous;
          throw badRow;
        }
        if (exhausted) break;
      }
      await previous;
    } finally {
      // Whatever failed, nothing is left in flight (and no rejection unobserved) when we return.
      await previous.catch(() => undefined);
      rows.return?.();
    }
    return { imported, skipped };
  } finally {
    db.close();
    if (target?.owned === true) await target.writer.close();
  }
}
