// The fleet's events as async iterables, over the one fleet cursor: readFleet
// ends when it has caught up; followFleet waits for more until aborted, with
// the reader's follow loop (the same as a log's).
import { setTimeout as sleep } from "node:timers/promises";
import { followCursor } from "@telemetry/reader";
import { openFleetCursor, type FleetCursorEntry, type FleetReadOptions } from "./fleet-cursor.js";

export type FleetEvent = FleetCursorEntry;

export interface FollowFleetOptions extends FleetReadOptions {
  /** Aborting ends the iteration cleanly (no error) and closes the connection. */
  readonly signal?: AbortSignal;
  /** The longest wait for new events once caught up, in ms (shorter while events flow: the reader's PollPacer). Default 100. */
  readonly pollIntervalMs?: number;
}

/** Every event in the stream from `from` (default the start) up to what is stored now, with host and stream sequence. */
export async function* readFleet(options: FleetReadOptions): AsyncGenerator<FleetEvent> {
  const cursor = await openFleetCursor(options);
  try {
    for (;;) {
      const { events, caughtUp } = await cursor.poll({ maxEvents: 1_000 });
      yield* events;
      if (caughtUp) return;
      if (events.length === 0) await sleep(10);
    }
  } finally {
    await cursor.close();
  }
}

/** The stream's events from `from` on, then each new one as it is stored, until `signal` aborts: the reader's follow loop over a fleet cursor. */
export async function* followFleet(options: FollowFleetOptions): AsyncGenerator<FleetEvent> {
  const { signal } = options;
  if (signal?.aborted) return;
  const cursor = await openFleetCursor(options);
  try {
    const follow = followCursor(cursor, { ...(signal ? { signal } : {}), pollIntervalMs: options.pollIntervalMs ?? 100 });
    // The fleet cursor's entries carry host, subject and seq.
    yield* follow as AsyncGenerator<FleetEvent>;
  } finally {
    await cursor.close();
  }
}
