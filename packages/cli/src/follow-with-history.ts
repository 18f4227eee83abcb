// `tail -f -n N`: the last N matching events already in the log (or a
// fleet's stream), then every new one, with no gap and no repeat between the
// two. One cursor does both: while it has not caught up it is reading history (the last N
// matches are kept in a ring); the first time it says `caughtUp`, the ring
// is printed and every later event is printed as it arrives. All waiting is
// the reader's (followCursor and its PollPacer): no timer here.
import { followCursor, LogNotFoundError, openLogCursor, PollPacer, type CursorEntry, type EventCursor, type InvalidLine, type LogCursor } from "@telemetry/reader";
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
  const { signal, onInvalid } = options;
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
  try {
    await historyThenLive(cursor, { lines: history, follow: true, signal, matches: options.matches, print: (entry) => options.print(entry.event) });
  } finally {
    await cursor.close();
  }
}

export interface HistoryThenLiveOptions<E> {
  /** Matches already there to print first (the newest N); 0 or less: none held back, every match printed as read. */
  readonly lines: number;
  /** false: stop once the history is printed (plain `tail`). */
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly matches: (event: TelemetryEvent) => boolean;
  readonly print: (entry: E) => void;
}

/**
 * The last `lines` matches of what any cursor (a log's or a fleet's) holds
 * now, then, with `follow`, every new match as it arrives: history ends the
 * first time the cursor says it has caught up. The cursor stays the caller's.
 */
export async function historyThenLive<C, E extends CursorEntry<C> = CursorEntry<C>>(cursor: EventCursor<C>, options: HistoryThenLiveOptions<E>): Promise<void> {
  const { matches, print } = options;
  const stop = new AbortController();
  let ring = options.lines > 0 ? new Ring<E>(options.lines) : undefined;
  const onCaughtUp = (): void => {
    if (ring !== undefined) {
      // History ends here: everything after this was appended while we watched.
      for (const entry of ring.toArray()) print(entry);
      ring = undefined;
    }
    if (!options.follow) stop.abort();
  };
  // Entries are the cursor's own: a fleet cursor's carry their host.
  for await (const entry of followCursor(cursor, { signal: AbortSignal.any([options.signal, stop.signal]), onCaughtUp }) as AsyncIterable<E>) {
    if (!matches(entry.event)) continue;
    if (ring === undefined) print(entry);
    else ring.push(entry);
  }
}
