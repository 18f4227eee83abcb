// `tail -f -n N`: the last N matching events already in the log, then every
// new one, with no gap and no repeat between the two. One log cursor does
// both: while it has not caught up it is reading history (the last N
// matches are kept in a ring); the first time it says `caughtUp`, the ring
// is printed and every later event is printed as it arrives. All waiting is
// the reader's (followCursor and its PollPacer): no timer here.
import { followCursor, LogNotFoundError, openLogCursor, PollPacer, type InvalidLine, type LogCursor } from "@telemetry/reader";
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

/** Runs until `signal` aborts. */
export async function followWithHistory(path: string, options: FollowWithHistoryOptions): Promise<void> {
  const { signal, matches, print, onInvalid } = options;
  let history = options.lines;
  let cursor: LogCursor | undefined;
  const waiting = new PollPacer();
  while (cursor === undefined) {
    if (signal.aborted) return;
    try {
      cursor = await openLogCursor(path, { from: history === 0 ? "end" : "start", onInvalid });
    } catch (error) {
      if (!(options.waitForLog === true && error instanceof LogNotFoundError)) throw error;
      // Everything in a log that appears later is new: print it all.
      history = -1;
      if (!(await waiting.wait(false, signal))) return;
    }
  }
  let ring = history > 0 ? new Ring<TelemetryEvent>(history) : undefined;
  const onCaughtUp = (): void => {
    if (ring === undefined) return;
    // History ends here: everything after this was appended while we watched.
    for (const event of ring.toArray()) print(event);
    ring = undefined;
  };
  try {
    for await (const { event } of followCursor(cursor, { signal, onCaughtUp })) {
      if (!matches(event)) continue;
      if (ring === undefined) print(event);
      else ring.push(event);
    }
  } finally {
    await cursor.close();
  }
}
