// Follow mode as an async iterable: a log cursor followed until the signal
// aborts, waiting only when the cursor has caught up.
import type { Checkpoint } from "./checkpoint.js";
import type { CursorEntry } from "./event-cursor.js";
import { followCursor, type FollowCursorOptions } from "./follow-cursor.js";
import { openLogCursor, type LogCursorOptions } from "./log-cursor.js";

export interface FollowOptions extends LogCursorOptions, FollowCursorOptions {}

/** An event with the checkpoint to resume after it and its stored line. */
export type FollowedEvent = CursorEntry<Checkpoint>;

/**
 * Yields the log's events with a checkpoint each, then waits for more, until
 * `signal` aborts or the loop breaks. Everything about rotation, truncation,
 * checkpoints and torn tails is the log cursor's (see openLogCursor); the
 * waiting is followCursor's.
 * @throws {LogNotFoundError} when the log does not exist at the start (from "start" or "end").
 */
export async function* followEvents(path: string, options: FollowOptions = {}): AsyncGenerator<FollowedEvent, void, undefined> {
  const { signal, pollIntervalMs, onCaughtUp, ...cursorOptions } = options;
  if (signal?.aborted) return;
  const cursor = await openLogCursor(path, cursorOptions);
  try {
    yield* followCursor(cursor, { ...(signal === undefined ? {} : { signal }), ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }), ...(onCaughtUp === undefined ? {} : { onCaughtUp }) });
  } finally {
    await cursor.close();
  }
}
