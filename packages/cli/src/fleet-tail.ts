// `tail [-f] nats://host:port/STREAM`: the last N matching events of the
// fleet's stream, then (with -f) each new one, through one fleet cursor and
// the same history-then-live loop as a log's tail, so there is no gap and no
// repeat between history and live events.
import type { FleetCursorEntry } from "@telemetry/ship";
import { parseNatsSource } from "@telemetry/ship/nats-source";
import type { TelemetryEvent } from "@telemetry/schema";
import { historyThenLive } from "./follow-with-history.js";

export interface FleetTailOptions {
  readonly lines: number;
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly matches: (event: TelemetryEvent) => boolean;
  readonly print: (entry: FleetCursorEntry) => void;
}

export async function tailFleet(url: string, options: FleetTailOptions): Promise<void> {
  const { server, stream } = parseNatsSource(url);
  if (options.lines === 0 && !options.follow) return;
  const { openFleetCursor } = await import("@telemetry/ship");
  const cursor = await openFleetCursor({ servers: server, stream, from: options.lines === 0 ? "end" : "start" });
  try {
    await historyThenLive<FleetCursorEntry["checkpoint"], FleetCursorEntry>(cursor, options);
  } finally {
    await cursor.close();
  }
}
