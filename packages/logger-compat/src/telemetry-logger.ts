// The legacy TelemetryLogger API on the event log: each invocation is one
// durable `cost_update` event; queries answer from an in-memory index that
// is built once at open and then fed only what the log gained since.
import { openEventWriter, type EventWriter, type WriterOptions } from "@telemetry/writer";
import { openLogCursor, type InvalidLine, type LogCursor } from "@telemetry/reader";
import { DuplicateInvocationError, InvalidOptionError, LoggerClosedError } from "./errors.js";
import { MS_PER_DAY } from "./instant.js";
import { eventToInvocation, invocationToEvent, invocationToEventInput } from "./invocation-event.js";
import { InvocationIndex, type Statistics } from "./invocation-index.js";
import { PRIVACY_LEVELS, validateInvocationRecord, type InvocationRecord, type InvocationRow, type PrivacyLevel } from "./invocation-record.js";
import type { DailyCostRow } from "./daily-costs.js";
import { registerLoggerWriter } from "./logger-writer.js";
import { parseDayOption } from "./query-options.js";

export interface TelemetryLoggerOptions extends Pick<WriterOptions, "maxSizeBytes" | "maxBackups" | "durability" | "fileMode" | "maxEventBytes"> {
  /** The event log (a JSONL file; rotated files `path.N` are read too). */
  readonly path: string;
  /** `privacy_level` of records that do not set one. Default `"metadata"`, as the legacy logger. */
  readonly privacyLevel?: PrivacyLevel;
  /**
   * The clock: default timestamps of records and the end of the
   * `getStatistics` window. Default `() => new Date()`. Tests pin it.
   */
  readonly now?: () => Date;
  /** Called for every line of the log that could not be read (torn, bad JSON, ...); such lines are skipped. */
  readonly onInvalidLine?: (issue: InvalidLine) => void;
}

export interface DailyCostsOptions {
  /** First UTC date, inclusive: `YYYY-MM-DD` or a Date (its UTC date). */
  readonly startDate?: string | Date;
  /** Last UTC date, inclusive. */
  readonly endDate?: string | Date;
  readonly agentName?: string;
}

export interface InvocationsOptions extends DailyCostsOptions {
  readonly toolName?: string;
  readonly status?: InvocationRow["status"];
  /** At most this many rows, newest first. Default 100. */
  readonly limit?: number;
}

export interface StatisticsOptions {
  readonly agentName?: string;
  /** Invocations from the last `days` x 24 hours (relative to `now()`). Default 7. */
  readonly days?: number;
}

export class TelemetryLogger {
  readonly path: string;
  private readonly index = new InvocationIndex();
  // Ids whose emit is in flight: a second call with the same id must fail before it writes.
  private readonly reserved = new Set<string>();
  private readonly privacyLevel: PrivacyLevel;
  private readonly now: () => Date;
  private readonly writer: EventWriter;
  // Reads what any process appended (our own lines come back too; the index ignores known ids).
  private cursor: LogCursor | undefined;
  private closing: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private queuedRefresh: Promise<void> | undefined;

  private constructor(options: TelemetryLoggerOptions, writer: EventWriter) {
    this.path = options.path;
    this.privacyLevel = options.privacyLevel ?? "metadata";
    this.now = options.now ?? (() => new Date());
    this.writer = writer;
    registerLoggerWriter(this, writer);
  }

  /**
   * Opens the log for logging and queries: reads every existing file of the
   * log once to build the index (other event types are ignored).
   * @throws {InvalidOptionError} for a bad `privacyLevel`; the writer's errors for bad writer options.
   */
  static async open(options: TelemetryLoggerOptions): Promise<TelemetryLogger> {
    if (options.privacyLevel !== undefined && !(PRIVACY_LEVELS as readonly unknown[]).includes(options.privacyLevel)) {
      throw new InvalidOptionError("privacyLevel", `expected one of ${PRIVACY_LEVELS.join(", ")}, received ${JSON.stringify(options.privacyLevel)}`);
    }
    const writerOptions: WriterOptions = {
      path: options.path,
      ...(options.maxSizeBytes === undefined ? {} : { maxSizeBytes: options.maxSizeBytes }),
      ...(options.maxBackups === undefined ? {} : { maxBackups: options.maxBackups }),
      ...(options.durability === undefined ? {} : { durability: options.durability }),
      ...(options.fileMode === undefined ? {} : { fileMode: options.fileMode }),
      ...(options.maxEventBytes === undefined ? {} : { maxEventBytes: options.maxEventBytes }),
    };
    const writer = await openEventWriter(writerOptions);
    const logger = new TelemetryLogger(options, writer);
    try {
      const onInvalid = options.onInvalidLine;
      logger.cursor = await openLogCursor(options.path, onInvalid === undefined ? {} : { onInvalid });
      await logger.readNew();
    } catch (error) {
      await logger.close();
      throw error;
    }
    return logger;
  }

  /** Invocations in the index. */
  get size(): number {
    return this.index.size;
  }

  /**
   * Appends one durable `cost_update` event for the record and indexes it.
   * @throws {InvocationValidationError} (INVOCATION_INVALID) for a bad record; nothing is written.
   * @throws {DuplicateInvocationError} (DUPLICATE_INVOCATION) if the id is in the log or being logged; nothing is written.
   */
  async logInvocation(record: InvocationRecord): Promise<InvocationRow> {
    this.assertOpen();
    const row = validateInvocationRecord(record, { privacyLevel: this.privacyLevel, now: this.now });
    invocationToEvent(row); // the schema's own checks, reported under record field names
    // Catch up first, so an id another process logged is a duplicate here too.
    await this.refresh();
    this.assertOpen();
    // Checked and reserved with no await in between: of concurrent calls with one id, exactly one gets past here.
    if (this.index.has(row.invocation_id) || this.reserved.has(row.invocation_id)) throw new DuplicateInvocationError(row.invocation_id);
    this.reserved.add(row.invocation_id);
    try {
      await this.writer.emit(invocationToEventInput(row));
      this.index.add(row);
    } finally {
      this.reserved.delete(row.invocation_id);
    }
    return row;
  }

  /** True if an invocation with this id is in the log (as of the last read) or being logged now. */
  async hasInvocation(invocationId: string): Promise<boolean> {
    await this.beforeQuery();
    return this.index.has(invocationId) || this.reserved.has(invocationId);
  }

  /** Rows of the legacy `daily_costs` table: newest date first; invocations without an agent are merged per date, tool and model. */
  async getDailyCosts(options: DailyCostsOptions = {}): Promise<DailyCostRow[]> {
    await this.beforeQuery();
    return this.index.dailyCosts({
      startDay: parseDayOption("startDate", options.startDate),
      endDay: parseDayOption("endDate", options.endDate),
      agentName: options.agentName,
    });
  }

  /** Invocation rows, newest first, at most `limit` (default 100). */
  async getInvocations(options: InvocationsOptions = {}): Promise<InvocationRow[]> {
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidOptionError("limit", `expected a whole number >= 0, received ${String(limit)}`);
    const startDay = parseDayOption("startDate", options.startDate);
    const endDay = parseDayOption("endDate", options.endDate);
    await this.beforeQuery();
    return this.index.invocations({
      startDay,
      endDay,
      agentName: options.agentName,
      toolName: options.toolName,
      status: options.status,
      limit,
    });
  }

  /** Totals over the last `days` (default 7) relative to `now()`; zeros for no invocations. */
  async getStatistics(options: StatisticsOptions = {}): Promise<Statistics> {
    const days = options.days ?? 7;
    if (typeof days !== "number" || !Number.isFinite(days) || days < 0) {
      throw new InvalidOptionError("days", `expected a finite number >= 0, received ${String(days)}`);
    }
    await this.beforeQuery();
    return this.index.statistics({ agentName: options.agentName, since: this.now().getTime() - days * MS_PER_DAY });
  }

  /** Waits for pending writes to reach the disk. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /**
   * Waits for pending writes, then closes the writer and the log. Idempotent:
   * every call resolves once the close has completed (and rejects if it
   * failed). Other methods then reject with LOGGER_CLOSED.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // Let a read in flight finish before its file handle goes.
      await (this.queuedRefresh ?? this.refreshing)?.catch(() => undefined);
      try {
        await this.writer.close();
      } finally {
        await this.cursor?.close();
      }
    })();
    return this.closing;
  }

  /** `await using logger = await TelemetryLogger.open(...)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Reads what other processes appended since the last read. Concurrent callers share one read. */
  refresh(): Promise<void> {
    if (this.queuedRefresh !== undefined) return this.queuedRefresh;
    if (this.refreshing === undefined) {
      this.refreshing = this.readNew().finally(() => {
        this.refreshing = undefined;
      });
      return this.refreshing;
    }
    // One already runs and may have passed the appends this caller must see: queue exactly one more.
    this.queuedRefresh = this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.queuedRefresh = undefined;
        return this.refresh();
      });
    return this.queuedRefresh;
  }

  /** Indexes every complete line the log has now. */
  private async readNew(): Promise<void> {
    const cursor = this.cursor;
    if (cursor === undefined) return;
    for (;;) {
      const { events, caughtUp } = await cursor.poll({ maxEvents: 10_000 });
      for (const { event } of events) this.ingest(event);
      if (caughtUp) return;
    }
  }

  private async beforeQuery(): Promise<void> {
    this.assertOpen();
    await this.refresh();
  }

  private ingest(event: Parameters<typeof eventToInvocation>[0]): void {
    const row = eventToInvocation(event);
    // An id already indexed is our own line read back, or a later duplicate: the first one counts.
    if (row !== undefined) this.index.add(row);
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new LoggerClosedError();
  }
}
