// How long a follower waits before looking at a cursor again: soon while
// events flow, backing off while the source is idle. Every follower (followEvents,
// the CLI's tail -f and tail -F) waits through this, so none keeps its own timer.
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The first wait after a look that found events: a log written to steadily is
 * looked at again this soon. A poll that finds nothing costs an fstat, a stat
 * and a small pread, so even 100 looks a second stay well under 1% of a core.
 */
export const FLOWING_POLL_MS = 10;

/** Default longest wait, in ms, when nothing is happening. */
export const IDLE_POLL_MS = 200;

/**
 * Paces one follower's looks: `wait(found)` after each look sleeps
 * {@link FLOWING_POLL_MS} after a look that found something, then twice as long
 * after each empty look, up to `maxMs`.
 */
export class PollPacer {
  readonly #maxMs: number;
  #nextMs: number;

  /** @param maxMs the longest wait (default {@link IDLE_POLL_MS}). */
  constructor(maxMs: number = IDLE_POLL_MS) {
    if (!(maxMs >= 0)) throw new RangeError(`the poll interval must be >= 0 ms, received ${maxMs}`);
    this.#maxMs = maxMs;
    this.#nextMs = Math.min(FLOWING_POLL_MS, maxMs);
  }

  /** How long to wait (ms) after a look that `found` something (or not); each call counts as one look. */
  next(found: boolean): number {
    const ms = found ? Math.min(FLOWING_POLL_MS, this.#maxMs) : this.#nextMs;
    this.#nextMs = Math.min(Math.max(ms, 1) * 2, this.#maxMs);
    return ms;
  }

  /**
   * Waits as long as the last look warrants; false at once (and without
   * waiting) when `signal` aborts.
   */
  async wait(found: boolean, signal?: AbortSignal): Promise<boolean> {
    return pause(this.next(found), signal);
  }
}

/** Waits `ms`, or returns false at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch (error) {
    if ((error as Error).name === "AbortError") return false;
    throw error;
  }
}
