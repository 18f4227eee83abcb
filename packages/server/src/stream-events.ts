// `GET /api/events`: the matching lines of every source, byte for byte as
// stored, read through fresh cursors up to where each source ends now.
import type { ServerResponse } from "node:http";
import type { TelemetryEvent } from "@telemetry/schema";
import type { LiveHub } from "./live-hub.js";

export async function streamEvents(options: { hub: LiveHub; response: ServerResponse; matches: (event: TelemetryEvent) => boolean; limit: number }): Promise<void> {
  const { hub, response: res, matches } = options;
  let left = options.limit;
  let closed = false;
  res.once("close", () => (closed = true));
  for (const key of hub.sourceKeys().sort()) {
    if (closed || left === 0) break;
    const cursor = await hub.source(key)!.open("start");
    try {
      for (;;) {
        const result = await cursor.poll({ maxEvents: 2_000 });
        let chunk = "";
        for (const entry of result.events) {
          if (left === 0) break;
          if (!matches(entry.event)) continue;
          chunk += `${entry.line}\n`;
          left--;
        }
        if (chunk !== "" && !res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
        if (result.caughtUp || closed || left === 0) break;
      }
    } finally {
      await cursor.close();
    }
  }
  res.end();
}
