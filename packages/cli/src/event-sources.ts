// Where a command's events come from: a log path, or `nats://host:port/STREAM`
// (the fleet's JetStream stream, read through @telemetry/ship). The one place
// the CLI tells the two apart. The NATS client is loaded only for a nats://
// source: every other command starts without it.
import { createEventMatcher, queryEvents, type InvalidLine, type QueryOptions } from "@telemetry/reader";
import type { FleetEvent, FleetPosition, InvalidFleetMessage } from "@telemetry/ship";
import { isNatsSource, parseNatsSource } from "@telemetry/ship/nats-source";
import type { TelemetryEvent } from "@telemetry/schema";
import type { EventSource } from "@telemetry/server";

export { isNatsSource };

/** A fleet stream as a server source; the key carries no credentials (it appears in position tokens). */
export function natsEventSource(url: string): EventSource {
  const { server, stream } = parseNatsSource(url);
  const safe = new URL(server);
  return {
    key: `nats://${safe.host}/${stream}`,
    open: async (from) => {
      const { openFleetCursor } = await import("@telemetry/ship");
      return openFleetCursor({ servers: server, stream, from: from === "start" || from === "end" ? from : (from.checkpoint as FleetPosition) });
    },
  };
}

export interface SourceQueryOptions extends Omit<QueryOptions, "onInvalid"> {
  /** A log line that is not a valid event (skipped). */
  readonly onInvalid?: (issue: InvalidLine) => void;
  /** A stream message that is not a valid event (skipped). */
  readonly onInvalidMessage?: (issue: InvalidFleetMessage) => void;
}

/**
 * The events of a source that match, streamed: a log through `queryEvents`
 * (with its byte-level pre-filter and backward reading for `--desc`), a fleet
 * stream through `queryFleet`. Breaking out of the loop closes the file or
 * the connection.
 */
export function sourceEvents(source: string, options: SourceQueryOptions): AsyncIterable<TelemetryEvent> {
  if (!isNatsSource(source)) return queryEvents(source, options);
  return eventsOf(queryFleet(source, options));
}

async function* eventsOf(entries: AsyncIterable<FleetEvent>): AsyncGenerator<TelemetryEvent> {
  for await (const entry of entries) yield entry.event;
}

/**
 * The matching events of a fleet stream with their host, read from its first
 * message through one fleet cursor and filtered by the same matcher as a log
 * query; `order: "desc"` keeps only the newest `limit` on the way (a stream is
 * read forwards).
 */
export async function* queryFleet(source: string, options: SourceQueryOptions): AsyncGenerator<FleetEvent> {
  // Validated before anything connects, as queryEvents validates before it opens a file.
  const matches = createEventMatcher(options);
  const { server, stream } = parseNatsSource(source);
  const read = { servers: server, stream, ...(options.onInvalidMessage ? { onInvalid: options.onInvalidMessage } : {}) };
  const limit = options.limit ?? Infinity;
  if (limit <= 0) return;
  const { readFleet } = await import("@telemetry/ship");
  if (options.order !== "desc") {
    let count = 0;
    for await (const entry of readFleet(read)) {
      if (!matches(entry.event)) continue;
      yield entry;
      if (++count >= limit) return;
    }
    return;
  }
  const newest: FleetEvent[] = [];
  for await (const entry of readFleet(read)) {
    if (!matches(entry.event)) continue;
    newest.push(entry);
    if (newest.length > limit * 2) newest.splice(0, newest.length - limit);
  }
  yield* newest.slice(-Math.min(limit, newest.length)).reverse();
}
