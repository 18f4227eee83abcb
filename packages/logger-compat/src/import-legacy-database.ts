// Brings a legacy `telemetry.db` into the event log: every row of its
// `invocations` table becomes one durable `cost_update` event, oldest first.
// One streaming pass over the database, in bounded batches: memory does not
// grow with the database, and an import stopped at any point (a crash, a
// bad row, a full disk) is completed by running it again, which finds in the
// log's tail where the last run stopped.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { EventValidationError, type EventInput } from "@telemetry/schema";
import { openEventWriter, type EventWriter, type WriterOptions } from "@telemetry/writer";
import { invocationErrorFromEvent, invocationToEvent, invocationToEventInput } from "./invocation-event.js";
import { InvocationValidationError, validateInvocationRecord, type InvocationIssue, type InvocationRow } from "./invocation-record.js";
import { LegacyDatabase, legacyInvocationId, legacyRowId, legacyRowToInvocation, legacyRowToRecord, type LegacyRow } from "./legacy-database.js";
import { loggerWriter } from "./logger-writer.js";
import { findResumePoint } from "./resume-point.js";
import { loadSqliteEngine } from "./sqlite-engine.js";
import type { TelemetryLogger } from "./telemetry-logger.js";

export interface ImportProgress {
  /**
   * `"reading-log"`: looking back from the end of the log for where an
   * earlier import stopped (`done` events read so far, usually a handful;
   * `total` unknown). `"importing"`: `done` rows of `total` handled
   * (imported + skipped), reported as each batch becomes durable.
   */
  readonly phase: "reading-log" | "importing";
  readonly done: number;
  readonly total: number | undefined;
}

interface ImportSource {
  /** The legacy SQLite database. Opened read-only; never modified. */
  readonly dbPath: string;
  /** Called when a phase starts and then every batch (every 10,000 events while reading the log). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Rows counted as imported (and reported) at a time, once all of them are
   * fdatasync'd; while one batch is being synced the next is read, validated
   * and queued, never more than two batches in flight. The writer writes
   * and syncs what is queued as rows stream in (group commit: a few
   * fdatasyncs per batch, fewer when the disk is slow). Only in-flight
   * joined lines wait for the disk (about 250 bytes a row), so memory stays
   * flat. Default 1000; larger batches were measured slower (their lines
   * outlive young-generation GCs).
   */
  readonly batchSize?: number;
}

/** Where the rows go: an open logger's log (through its writer), or a log path opened just for the import. */
export type ImportLegacyDatabaseOptions = ImportSource &
  (
    | { readonly logger: TelemetryLogger }
    | ({
        /** The event log (created if missing; its rotated files `path.N` are read too, to find where an earlier import stopped). */
        readonly path: string;
      } & Pick<WriterOptions, "maxSizeBytes" | "maxBackups" | "fileMode" | "maxEventBytes">)
  );

export interface ImportResult {
  readonly imported: number;
  /** Rows not appended: already in the log (an earlier import), or repeating an earlier row's invocation_id. */
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

const DEFAULT_BATCH_SIZE = 1000;

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
 * Queues one batch with the writer (which validates it during the call). A
 * batch the writer refuses as invalid is queued again row by row up to the
 * bad row, so the rows before it are stored and the bad one is named.
 * @returns the batch's promise of durability, and the error to stop with (if a row was refused).
 */
function queueBatch(writer: EventWriter, batch: Batch, dbPath: string, note: string): { stored: Promise<unknown>; refused: Error | undefined } {
  try {
    return { stored: writer.emitBatch(batch.inputs), refused: undefined };
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    const stored: Promise<number>[] = [];
    for (const [i, input] of batch.inputs.entries()) {
      try {
        stored.push(writer.emitBatch([input]));
      } catch (rowError) {
        if (!(rowError instanceof EventValidationError)) throw rowError;
        return { stored: Promise.all(stored), refused: new LegacyRowError(dbPath, batch.rowIds[i]!, invocationErrorFromEvent(rowError), note) };
      }
    }
    throw error;
  }
}

/**
 * Rows handed to the writer at once, each slice followed by one event-loop
 * turn. Small enough that their objects die young (a whole batch's would
 * live through a GC). The turn lets the writer start writing and syncing
 * the slices queued so far, and handle a finished fdatasync, while the next
 * slice is read: without it the writer only ran at each batch's end, and
 * the import spent a quarter of its time waiting there (measured: 2.4 s of
 * 8 s at 1,000,000 rows). Smaller slices (125 rows) meant more, smaller
 * fdatasyncs and a slower import.
 */
const SLICE_ROWS = 500;

/** A batch queued with the writer: its slices' promises, its rows, and rows read up to its end. */
interface InFlight {
  readonly stored: Promise<unknown>[];
  count: number;
  done: number;
}

/** Waits until the batch is durable, reports it, and returns how many rows it stored. */
async function settle(batch: InFlight, total: number, onProgress: ImportSource["onProgress"]): Promise<number> {
  // Every slice settles before the first failure is rethrown, so none is left unobserved.
  const results = await Promise.allSettled(batch.stored);
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  onProgress?.({ phase: "importing", done: batch.done, total });
  return batch.count;
}

interface Batch {
  readonly inputs: EventInput[];
  readonly rowIds: number[];
}

/**
 * Appends every row of the legacy database's `invocations` table to the
 * log, oldest first (by `timestamp`, then row id), after the rows an earlier
 * import already appended. Each batch of events is fdatasync'd before its
 * rows count as imported.
 *
 * Resumable rather than all-or-nothing: the file and its schema are checked
 * before the log is touched, but rows are checked as they stream, so an
 * invalid row stops the import with the rows before it already written.
 * Running the import again (after fixing the row, or after a crash or a full
 * disk) finds in the log's tail where the last run stopped and imports the
 * rest: every row ends up in the log exactly once.
 * @throws {SqliteUnavailableError} (SQLITE_UNAVAILABLE) when better-sqlite3 is missing or not built; nothing is written.
 * @throws {NotLegacyDatabaseError} (NOT_LEGACY_DATABASE) for a missing, unreadable or non-SQLite file, or one without the legacy table; nothing is written.
 * @throws {LegacyRowError} (LEGACY_ROW_INVALID) for a row that is not a valid record; the rows before it stay imported.
 */
export async function importLegacyDatabase(options: ImportLegacyDatabaseOptions): Promise<ImportResult> {
  const { dbPath, onProgress } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`importLegacyDatabase: batchSize must be a whole number >= 1, received ${batchSize}`);
  const db = LegacyDatabase.open(await loadSqliteEngine(), dbPath);
  let target: { writer: EventWriter; owned: boolean } | undefined;
  try {
    const total = db.countRows();
    target = await openTarget(options);
    const { writer } = target;
    onProgress?.({ phase: "reading-log", done: 0, total: undefined });
    // Two batches may share one unsynced write: the window covers both, twice over.
    const resume = await findResumePoint(writer.path, db, 4 * batchSize, (read) => {
      if (read % 10_000 === 0) onProgress?.({ phase: "reading-log", done: read, total: undefined });
    });
    // Counted only when resuming: from the start, no row is before.
    const before = resume.after === undefined ? 0 : total - db.countAfter(resume.after);

    let imported = 0;
    const note = "the rows before it are imported; fix or delete it and import again: rows already in the log are skipped";
    onProgress?.({ phase: "importing", done: before, total });
    const rows = db.rows(resume.after);
    let read = before;
    // One batch waits for its fdatasync while the next is read, validated and
    // queued (the writer keeps their order and joins what queues meanwhile
    // into one write). Rows go to the writer in slices, so each row's objects
    // die within a slice, young; only joined lines wait for the disk. At most
    // two batches are in flight: memory is bounded by 2 x batchSize lines.
    let previous: InFlight | undefined;
    // A bad row: thrown once the rows before it are stored.
    let stop: Error | undefined;
    try {
      for (let exhausted = false; !exhausted && stop === undefined; ) {
        const current: InFlight = { stored: [], count: 0, done: 0 };
        while (current.count < batchSize && !exhausted && stop === undefined) {
          const slice: Batch = { inputs: [], rowIds: [] };
          const sliceRows = Math.min(SLICE_ROWS, batchSize - current.count);
          while (slice.inputs.length < sliceRows) {
            const next = rows.next();
            if (next.done === true) {
              exhausted = true;
              break;
            }
            read++;
            const row = next.value;
            const id = legacyInvocationId(row);
            if (typeof id === "string" && resume.present.has(id)) continue;
            try {
              // One pass over a valid row; the full validation only for one it does not accept outright.
              slice.inputs.push(invocationToEventInput(legacyRowToInvocation(row, ROW_CHECK.privacyLevel) ?? rowToInvocation(row, dbPath, note)));
            } catch (error) {
              stop = error instanceof Error ? error : new Error(String(error));
              break;
            }
            slice.rowIds.push(legacyRowId(row));
          }
          const queued = queueBatch(writer, slice, dbPath, note);
          // Observed now, awaited below: a disk error of this batch surfaces at that await.
          queued.stored.catch(() => undefined);
          current.stored.push(queued.stored);
          current.count += queued.refused === undefined ? slice.inputs.length : slice.rowIds.indexOf((queued.refused as LegacyRowError).rowId);
          stop ??= queued.refused;
          await yieldToEventLoop();
        }
        current.done = read;
        const waiting = previous;
        previous = current;
        if (waiting !== undefined) imported += await settle(waiting, total, onProgress);
      }
      const last = previous;
      previous = undefined;
      if (last !== undefined) imported += await settle(last, total, onProgress);
      if (stop !== undefined) throw stop;
    } finally {
      // Whatever failed, nothing is left in flight (and no rejection unobserved) when we return.
      await Promise.allSettled(previous?.stored ?? []);
      rows.return?.();
    }
    return { imported, skipped: total - imported };
  } finally {
    db.close();
    if (target?.owned === true) await target.writer.close();
  }
}
