// Follow mode as an async iterable: a log cursor polled until the signal
// aborts, waiting only when the cursor has caught up.
import { setTimeout as sleep } from "node:timers/promises";
import type { Checkpoint } from "./checkpoint.js";
import type { CursorEntry } from "./event-cursor.js";
import { openLogCursor, type LogCursorOptions } from "./log-cursor.js";

export interface FollowOptions extends LogCursorOptions {
  /** Aborting ends the iteration cleanly (no error), closing every file. */
  readonly signal?: AbortSignal;
  /**
   * The longest wait after catching up before looking again, in ms. Default 200.
   * While events are flowing the follower looks again sooner (from
   * {@link FLOWING_POLL_MS}, doubling on each empty look up to this), so a busy
   * log is followed with a few ms of lag and an idle one costs no more than before.
   */
  readonly pollIntervalMs?: number;
}

/**
 * The first wait after a poll that found events: a log written to steadily is
 * looked at again this soon. A poll that finds nothing costs an fstat, a stat
 * and a small pread, so even 100 looks a second stay well under 1% of a core.
 */
export const FLOWING_POLL_MS = 10;

/** An event with the checkpoint to resume after it and its stored line. */
export type FollowedEvent = CursorEntry<Checkpoint>;

/**
 * Yields the log's events with a checkpoint each, then waits for more, until
 * `signal` aborts or the loop breaks. Everything about rotation, truncation,
 * checkpoints and torn tails is the log cursor's (see openLogCursor).
 * @throws {LogNotFoundError} when the log does not exist at the start (from "start" or "end").
 */
export async function* followEvents(path: string, options: FollowOptions = {}): AsyncGenerator<FollowedEvent, void, undefined> {
  const { signal, pollIntervalMs = 200, ...cursorOptions } = options;
  if (signal?.aborted) return;
  const cursor = await openLogCursor(path, cursorOptions);
  let wait = Math.min(FLOWING_POLL_MS, pollIntervalMs);
  try {
    for (;;) {
      const { events, caughtUp } = await cursor.poll();
      // Adaptive: soon again while events flow, backing off to pollIntervalMs when idle.
      wait = events.length > 0 ? Math.min(FLOWING_POLL_MS, pollIntervalMs) : Math.min(wait * 2, pollIntervalMs);
      for (const entry of events) {
        // Nothing more once aborted, even from a poll already read.
        if (signal?.aborted) return;
        yield entry;
      }
      if (signal?.aborted) return;
      if (caughtUp && !(await pause(wait, signal))) return;
    }
  } finally {
    await cursor.close();
  }
}

/** Waits, or returns false at once if `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch (error) {
    if ((error as Error).name === "AbortError") return false;
    throw error;
  }
}
