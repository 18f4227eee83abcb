// Following any event cursor (a log's, or a fleet's): poll, hand out the
// events, and wait through the PollPacer only when it has caught up.
import type { CursorEntry, EventCursor } from "./event-cursor.js";
import { IDLE_POLL_MS, PollPacer } from "./poll-pacer.js";

export interface FollowCursorOptions {
  /** Aborting ends the iteration cleanly (no error). */
  readonly signal?: AbortSignal;
  /**
   * The longest wait after catching up before looking again, in ms. Default 200.
   * While events are flowing the follower looks again sooner (from 10 ms,
   * doubling on each empty look up to this), so a busy log is followed with a
   * few ms of lag and an idle one costs no more than before.
   */
  readonly pollIntervalMs?: number;
  /**
   * Called each time a poll has read everything there is now, after that
   * poll's events were handed out: where history ends and live events begin
   * (`tail -f -n N` prints its last N here).
   */
  readonly onCaughtUp?: () => void;
}

/**
 * Yields the cursor's events until `signal` aborts or the loop breaks,
 * waiting only when the cursor has caught up. The cursor stays the caller's
 * to close.
 */
export async function* followCursor<C>(cursor: EventCursor<C>, options: FollowCursorOptions = {}): AsyncGenerator<CursorEntry<C>, void, undefined> {
  const { signal, onCaughtUp } = options;
  const pacer = new PollPacer(options.pollIntervalMs ?? IDLE_POLL_MS);
  while (signal?.aborted !== true) {
    const { events, caughtUp } = await cursor.poll();
    for (const entry of events) {
      // Nothing more once aborted, even from a poll already read.
      if (signal?.aborted) return;
      yield entry;
    }
    if (signal?.aborted) return;
    if (caughtUp) {
      onCaughtUp?.();
      if (!(await pacer.wait(events.length > 0, signal))) return;
    }
  }
}
