// `tail -f -n N`: the last N matching events already in the log, then every
// new one, with no gap and no repeat between the two. One log cursor does
// both: while it has not caught up it is reading history (the last N
// matches are kept in a ring); the first time it says `caughtUp`, the ring
// is printed and every later event is printed as it arrives.
import { setTimeout as sleep } from "node:timers/promises";
import { LogNotFoundError, openLogCursor, type InvalidLine, type LogCursor } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";

export interface FollowWithHistoryOptions {
  /** Existing events to show first; 0 starts at the end of the log. */
  readonly lines: number;
  readonly signal: AbortSignal;
  readonly matches: (event: TelemetryEvent) => boolean;
  readonly print: (event: TelemetryEvent) => void;
  readonly onInvalid: (issue: InvalidLine) => void;
  /** `tail -F`: a log that does not exist yet is waited for, then followed from its first event. */
  readonly waitForLog?: boolean;
  /** How long to wait after catching up before looking again, in ms. Default 200. */
  readonly pollIntervalMs?: number;
}

/** The last `size` items pushed, oldest first. */
class Ring<T> {
  readonly #items: T[] = [];
  #start = 0;

  constructor(readonly size: number) {}

  push(item: T): void {
    if (this.#items.length < this.size) this.#items.push(item);
    else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.size;
    }
  }

  toArray(): T[] {
    return [...this.#items.slice(this.#start), ...this.#items.slice(0, this.#start)];
  }
}

/** Waits, or returns false at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if ((error as Error).name === "AbortError") return false;
    throw error;
  }
}

/** Runs until `signal` aborts. */
export async function followWithHistory(path: string, options: FollowWithHistoryOptions): Promise<void> {
  const { signal, matches, print, onInvalid } = options;
  const pollMs = options.pollIntervalMs ?? 200;
  let history = options.lines;
  let cursor: LogCursor | undefined;
  while (cursor === undefined) {
    if (signal.aborted) return;
    try {
      cursor = await openLogCursor(path, { from: history === 0 ? "end" : "start", onInvalid });
    } catch (error) {
      if (!(options.waitForLog === true && error instanceof LogNotFoundError)) throw error;
      // Everything in a log that appears later is new: print it all.
      history = -1;
      if (!(await pause(pollMs, signal))) return;
    }
  }
  let ring = history > 0 ? new Ring<TelemetryEvent>(history) : undefined;
  try {
    for (;;) {
      const { events, caughtUp } = await cursor.poll();
      for (const { event } of events) {
        if (!matches(event)) continue;
        if (ring === undefined) print(event);
        else ring.push(event);
      }
      if (caughtUp && ring !== undefined) {
        // History ends here: everything after this was appended while we watched.
        for (const event of ring.toArray()) print(event);
        ring = undefined;
      }
      if (signal.aborted) return;
      if (caughtUp && !(await pause(pollMs, signal))) return;
    }
  } finally {
    await cursor.close();
  }
}
