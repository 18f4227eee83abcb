// `tail -f -n N`: the last N matching events already in the log, then every
// new one, with no gap and no repeat between the two. One follower from the
// start of the log does both: it holds the last N matches in a ring until it
// has caught up with the log as it was when we started, prints them, then
// prints each new event as it arrives.
import { stat } from "node:fs/promises";
import { followEvents, type InvalidLine } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";

export interface FollowWithHistoryOptions {
  /** Existing events to show first; 0 starts at the end of the log. */
  readonly lines: number;
  readonly signal: AbortSignal;
  readonly matches: (event: TelemetryEvent) => boolean;
  readonly print: (event: TelemetryEvent) => void;
  readonly onInvalid: (issue: InvalidLine) => void;
  /** Test seam for the follower's poll interval. */
  readonly pollIntervalMs?: number;
}

// The follower reads existing events back to back; a pause this long means
// it has caught up (a fallback for logs whose live file ends in a torn or
// invalid line, where no event lands exactly on the size we saw at start).
const CAUGHT_UP_IDLE_MS = 300;

/** Runs until `signal` aborts. */
export async function followWithHistory(path: string, options: FollowWithHistoryOptions): Promise<void> {
  const { lines, signal, matches, print, onInvalid } = options;
  // Where "existing" ends: the live file's identity and size before we start.
  const live = await stat(path, { bigint: true }).catch(() => undefined);
  const follower = followEvents(path, {
    signal,
    from: lines === 0 ? "end" : "start",
    onInvalid,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  })[Symbol.asyncIterator]();

  let ring: TelemetryEvent[] | undefined = lines === 0 ? undefined : [];
  const flush = (): void => {
    if (ring === undefined) return;
    for (const event of ring) print(event);
    ring = undefined;
  };

  for (;;) {
    const next = follower.next();
    let result: IteratorResult<{ event: TelemetryEvent; checkpoint: { file: { dev: string; ino: string }; offset: number } }>;
    if (ring === undefined) {
      result = await next;
    } else {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<"idle">((resolve) => (timer = setTimeout(() => resolve("idle"), CAUGHT_UP_IDLE_MS)));
      const first = await Promise.race([next, idle]);
      clearTimeout(timer);
      if (first === "idle") flush();
      result = first === "idle" ? await next : first;
    }
    if (result.done === true) break;

    const { event, checkpoint } = result.value;
    const inLiveFile = live !== undefined && checkpoint.file.dev === String(live.dev) && checkpoint.file.ino === String(live.ino);
    if (inLiveFile && checkpoint.offset > Number(live.size)) flush();
    if (matches(event)) {
      if (ring === undefined) print(event);
      else {
        ring.push(event);
        if (ring.length > lines) ring.shift();
      }
    }
    if (inLiveFile && checkpoint.offset === Number(live.size)) flush();
  }
  flush();
}
