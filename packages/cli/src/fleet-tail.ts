// `tail [-f] nats://host:port/STREAM`: the last N matching events of the
// fleet's stream, then (with -f) each new one, through one fleet cursor, so
// there is no gap and no repeat between history and live events.
import { setTimeout as sleep } from "node:timers/promises";
import { openFleetCursor, parseNatsSource, type FleetCursorEntry } from "@telemetry/ship";
import type { TelemetryEvent } from "@telemetry/schema";

export interface FleetTailOptions {
  readonly lines: number;
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly matches: (event: TelemetryEvent) => boolean;
  readonly print: (entry: FleetCursorEntry) => void;
}

export async function tailFleet(url: string, options: FleetTailOptions): Promise<void> {
  const { server, stream } = parseNatsSource(url);
  const cursor = await openFleetCursor({ servers: server, stream, from: options.lines === 0 && options.follow ? "end" : "start" });
  try {
    // History: keep the last N matches until the cursor has caught up with the stream.
    let ring: FleetCursorEntry[] = [];
    for (;;) {
      const { events, caughtUp } = await cursor.poll({ maxEvents: 1_000 });
      for (const entry of events) {
        if (!options.matches(entry.event)) continue;
        ring.push(entry);
        if (ring.length > options.lines) ring = ring.slice(-options.lines);
      }
      if (caughtUp) break;
      if (events.length === 0) await sleep(10);
    }
    for (const entry of ring) options.print(entry);
    if (!options.follow) return;
    while (!options.signal.aborted) {
      const { events, caughtUp } = await cursor.poll({ maxEvents: 1_000 });
      for (const entry of events) if (options.matches(entry.event)) options.print(entry);
      if (caughtUp) await sleep(100, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    await cursor.close();
  }
}
