// The fleet's events as async iterables, over the one fleet cursor: readFleet
// ends when it has caught up; followFleet waits for more until aborted.
import { setTimeout as sleep } from "node:timers/promises";
import { openFleetCursor, type FleetCursorEntry, type FleetReadOptions } from "./fleet-cursor.js";

export type FleetEvent = FleetCursorEntry;

export interface FollowFleetOptions extends FleetReadOptions {
  /** Aborting ends the iteration cleanly (no error) and closes the connection. */
  readonly signal?: AbortSignal;
  /** How often to look for new events once caught up, in ms. Default 100. */
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

/** The stream's events from `from` on, then each new one as it is stored, until `signal` aborts. */
export async function* followFleet(options: FollowFleetOptions): AsyncGenerator<FleetEvent> {
  const { signal } = options;
  if (signal?.aborted) return;
  const cursor = await openFleetCursor(options);
  try {
    while (!signal?.aborted) {
      const { events, caughtUp } = await cursor.poll({ maxEvents: 1_000 });
      yield* events;
      if (caughtUp || events.length === 0) {
        await sleep(caughtUp ? (options.pollIntervalMs ?? 100) : 10, undefined, signal ? { signal } : {}).catch(() => undefined);
      }
    }
  } finally {
    await cursor.close();
  }
}
