// What the server reads: named sources of events, each opened as a cursor
// through a factory, so a log file and a NATS stream are served alike.
import type { CursorEntry, EventCursor } from "@telemetry/reader";

/** Where a cursor starts: the first event, after the last one, or just after a checkpoint the same source produced. */
export type CursorStart = "start" | "end" | { readonly checkpoint: unknown };

/**
 * What a source's cursor yields: the reader's entry, and for events that came
 * from another machine (a fleet cursor's entries) the host that wrote them,
 * which the runs list shows. A cursor's entries are read as this.
 */
export interface SourceEntry extends CursorEntry<unknown> {
  readonly host?: string;
}

/** Opens a cursor on one source. The server never interprets checkpoints: it stores them in tokens and hands them back. */
export type CursorFactory = (from: CursorStart) => Promise<EventCursor<unknown>>;

export interface EventSource {
  /**
   * Stable name of the source, unique within a server (a log path relative
   * to the served directory, a file path, `nats://host/STREAM`). Position
   * tokens are keyed by it, so it must not change across restarts.
   */
  readonly key: string;
  readonly open: CursorFactory;
}

/**
 * The sources to serve. Called at start and then every `discoverIntervalMs`,
 * so sources that appear later (a new `runs/<RUN-ID>/events.jsonl`) are
 * picked up while serving; a source that disappears from the list keeps
 * being served (its events stay part of the aggregates).
 */
export type SourceList = () => Promise<readonly EventSource[]>;
