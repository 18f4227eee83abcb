// The shape every follower reads through: a source of events in order with
// resumable positions. A log (openLogCursor) is one; a NATS stream
// (@telemetry/ship's fleet cursor) is another, so `serve` and `tail -f`
// take either.
import type { TelemetryEvent } from "@telemetry/schema";
import type { Checkpoint } from "./checkpoint.js";

export interface CursorEntry<C = Checkpoint> {
  readonly event: TelemetryEvent;
  /** The position just after this event (JSON-serializable): resume from it to get the events after this one. */
  readonly checkpoint: C;
  /** The event's line exactly as stored, without its line ending (and without a BOM at the start of a file). */
  readonly line: string;
}

export interface PollResult<C = Checkpoint> {
  /** The events read by this poll, in order (none when nothing new was there). */
  readonly events: readonly CursorEntry<C>[];
  /** True exactly when no complete line is left to read now: the next event has not been written yet. */
  readonly caughtUp: boolean;
}

export interface PollOptions {
  /** At most this many events per poll. Default 1000. */
  readonly maxEvents?: number;
}

/** Any source of events in order with resumable positions. */
export interface EventCursor<C = Checkpoint> extends AsyncDisposable {
  /** Reads what is there now; never waits for new data. Polls run one at a time (a second call waits for the first). */
  poll(options?: PollOptions): Promise<PollResult<C>>;
  /**
   * Where the next poll starts: the checkpoint of the last event returned,
   * or the position the cursor was opened at. Undefined only while nothing
   * has been passed yet: opened `from: "start"` and no event returned, or
   * opened `from: "end"` of a log with no complete line.
   */
  readonly checkpoint: C | undefined;
  /** Closes the files. Idempotent; a poll after close rejects with `CURSOR_CLOSED`. */
  close(): Promise<void>;
}
