// Where a command's events come from: a log path, or `nats://host:port/STREAM`
// (the fleet's JetStream stream, read through @telemetry/ship). The one place
// the CLI tells the two apart.
import { isNatsSource, openFleetCursor, parseNatsSource, type FleetPosition } from "@telemetry/ship";
import type { EventSource } from "@telemetry/server";

export { isNatsSource };

/** A fleet stream as a server source; the key carries no credentials (it appears in position tokens). */
export function natsEventSource(url: string): EventSource {
  const { server, stream } = parseNatsSource(url);
  const safe = new URL(server);
  return {
    key: `nats://${safe.host}/${stream}`,
    open: (from) => openFleetCursor({ servers: server, stream, from: from === "start" || from === "end" ? from : (from.checkpoint as FleetPosition) }),
  };
}
