// Filtered reads of a log, streamed: exact field matches, a time window and
// a predicate, oldest or newest first, with a byte-level pre-filter that
// skips JSON.parse for lines that cannot match.
import type { EventType, TelemetryEvent } from "@telemetry/schema";
import { compareInstants, toInstant, type Instant } from "./instant.js";
import { InvalidQueryError } from "./invalid-query-error.js";
import { InvalidLineError, type InvalidLine } from "./invalid-line.js";
import { createLinePrefilter } from "./line-prefilter.js";
import { closeAll, openLogFiles } from "./open-log.js";
import { readLinesBackward } from "./read-backward.js";
import { Buffer } from "node:buffer";
import { DEFAULT_MAX_LINE_BYTES, type ParsedLine } from "./chunk-parser.js";
import { FileLines, READ_CHUNK_BYTES } from "./read-file.js";
import type { ReadOptions } from "./read-events.js";

/** The wire fields a query can match exactly. */
const EXACT_FIELDS = ["run_id", "task_id", "phase", "agent_role", "tool", "mode", "status"] as const;

export interface QueryOptions extends ReadOptions {
  /** One event type or any of several. */
  readonly event?: EventType | readonly EventType[];
  readonly run_id?: string;
  readonly task_id?: string;
  readonly phase?: string;
  readonly agent_role?: string;
  readonly tool?: string;
  readonly mode?: string;
  readonly status?: string;
  /** Events at or after this instant (a Date or an ISO 8601 string with an offset). */
  readonly since?: Date | string;
  /** Events strictly before this instant, so consecutive windows never share an event. */
  readonly until?: Date | string;
  /** Any further condition, applied after the others. */
  readonly where?: (event: TelemetryEvent) => boolean;
  /** Stop after this many matches. Default: no limit. */
  readonly limit?: number;
  /**
   * `"asc"` (default): write order, oldest first. `"desc"`: newest first,
   * reading files newest first and each file from its end, so
   * `{ order: "desc", limit: N }` reads only as far back as the newest N.
   */
  readonly order?: "asc" | "desc";
  /**
   * Called after each chunk read (up to 1 MiB), with the bytes of the log
   * read so far (from the end, in "desc" order) and the size of its files
   * when the query opened them: for a progress display. The pre-filter
   * skips parsing, not reading, so bytes measure the work left.
   */
  readonly onRead?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  readonly bytes: number;
  readonly totalBytes: number;
}

function instantOption(option: "since" | "until", value: Date | string | undefined): Instant | undefined {
  if (value === undefined) return undefined;
  const instant = toInstant(value);
  if (instant === undefined) throw new InvalidQueryError(option, `expected a valid Date or ISO 8601 timestamp, received ${JSON.stringify(String(value))}`);
  return instant;
}

/**
 * Validates the filter options once and returns the predicate `queryEvents`
 * applies to each event, for events that arrive one by one (a follower).
 * @throws {InvalidQueryError} for a `since`/`until` that is not a time.
 */
export function createEventMatcher(options: Omit<QueryOptions, "limit" | "order">): (event: TelemetryEvent) => boolean {
  const types = options.event === undefined ? undefined : new Set<string>(typeof options.event === "string" ? [options.event] : options.event);
  const exact = EXACT_FIELDS.flatMap((field) => {
    const value = options[field];
    return value === undefined ? [] : [[field, value] as const];
  });
  const since = instantOption("since", options.since);
  const until = instantOption("until", options.until);
  const where = options.where;
  return (event) => {
    if (types !== undefined && !types.has(event.event)) return false;
    for (const [field, value] of exact) if (event[field] !== value) return false;
    if (since !== undefined || until !== undefined) {
      const at = toInstant(event.ts);
      if (at === undefined) return false;
      if (since !== undefined && compareInstants(at, since) < 0) return false;
      if (until !== undefined && compareInstants(at, until) >= 0) return false;
    }
    return where === undefined || where(event);
  };
}

/** The values every matching line must hold: the exact-match fields and a single event type. */
function prefilterValues(options: QueryOptions): string[] {
  const values: string[] = [];
  for (const field of EXACT_FIELDS) {
    const value = options[field];
    if (value !== undefined) values.push(value);
  }
  if (typeof options.event === "string") values.push(options.event);
  else if (options.event?.length === 1) values.push(options.event[0]!);
  return values;
}

/**
 * Streams the events of the log at `path` (rotated files included unless
 * `rotated: false`) that match every given condition, as an async iterable:
 * `for await (const event of queryEvents(path, { run_id }))`. Breaking out of
 * the loop (or aborting `signal`) closes the files. Damaged lines are handled
 * as by `readEvents`, except that a line the pre-filter proves cannot match
 * is skipped unread, so its damage (other than a torn tail or an overlong
 * line) is not reported. Options are checked at the call, before any file is opened.
 * @throws {InvalidQueryError} (at the call) for a `since`/`until` that is not an instant, or a bad `limit`.
 * @throws {LogNotFoundError} (when iterated) when neither the file nor a rotated file exists.
 * @throws {InvalidLineError} in strict mode.
 * @throws the signal's reason (an `AbortError` by default) once `signal` aborts.
 */
export function queryEvents(path: string, options: QueryOptions = {}): AsyncGenerator<TelemetryEvent, void, undefined> {
  const matches = createEventMatcher(options);
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) {
    throw new InvalidQueryError("limit", `expected a non-negative integer, received ${String(options.limit)}`);
  }
  return matching(path, options, matches, limit);
}

async function* matching(path: string, options: QueryOptions, matches: (event: TelemetryEvent) => boolean, limit: number): AsyncGenerator<TelemetryEvent, void, undefined> {
  if (limit === 0) return;
  const { signal } = options;
  signal?.throwIfAborted();
  const prefilter = createLinePrefilter(prefilterValues(options));
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const invalid = (issue: InvalidLine): void => {
    if (options.strict) throw new InvalidLineError(issue);
    options.onInvalid?.(issue);
  };
  let found = 0;
  const files = await openLogFiles(path, options.rotated ?? true);
  try {
    const { onRead } = options;
    const sizes = await Promise.all(files.map(async ({ handle }) => (await handle.stat()).size));
    const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
    // Bytes of the files already read whole.
    let before = 0;
    if (options.order === "desc") {
      files.reverse();
      sizes.reverse();
      for (const [i, { file, handle }] of files.entries()) {
        const size = sizes[i]!;
        const onRegion = onRead === undefined ? undefined : (bytes: number): void => onRead({ bytes: before + bytes, totalBytes });
        for await (const item of readLinesBackward(handle, size, { file, maxLineBytes, prefilter, onRegion })) {
          signal?.throwIfAborted();
          if (item.type === "invalid") {
            if (options.strict || options.onInvalid) invalid(await item.issue());
          } else if (matches(item.event)) {
            yield item.event;
            if (++found >= limit) return;
            signal?.throwIfAborted();
          }
        }
        before += size;
      }
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    for (const { file, handle } of files) {
      // Lines the pre-filter skips go uncounted; a reported line is counted from the file.
      const lines = new FileLines(handle, { file, maxLineBytes, buffer, readAhead: true, countSkippedLines: false, ...(prefilter === undefined ? {} : { prefilter }) });
      // The lines of each chunk read, then those end() gives back (the torn tail): one loop handles both.
      let ended: readonly ParsedLine[] | undefined;
      let endedAt = 0;
      for (;;) {
        const item = ended === undefined ? lines.next() : ended[endedAt++];
        if (item === undefined) {
          if (ended !== undefined) break;
          signal?.throwIfAborted();
          const more = await lines.read();
          onRead?.({ bytes: before + lines.position, totalBytes });
          if (!more) ended = lines.end();
        } else if (item.type === "invalid") {
          if (options.strict || options.onInvalid) invalid(await lines.exactIssue(item.issue));
        } else if (matches(item.event)) {
          yield item.event;
          if (++found >= limit) return;
          signal?.throwIfAborted();
        }
      }
      before += lines.position;
    }
  } finally {
    await closeAll(files);
  }
}
