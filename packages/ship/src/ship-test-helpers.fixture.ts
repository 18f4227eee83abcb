// Shared pieces of the shipper tests: write events, wait for a condition,
// and read back what the stream holds.
import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { readEvents } from "@telemetry/reader";
import { openEventWriter } from "@telemetry/writer";
import { readFleet } from "./read-fleet.js";
import type { FleetEvent } from "./read-fleet.js";

/** Polls `condition` until true; fails after `timeoutMs` with `what` (generous: the machine is shared). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Appends `count` events `<prefix>-<i>` to the log through the real writer. */
export async function writeEvents(path: string, prefix: string, first: number, count: number): Promise<void> {
  const writer = await openEventWriter({ path, durability: "write" });
  try {
    const pending: Promise<unknown>[] = [];
    for (let i = first; i < first + count; i++) {
      pending.push(writer.emit({ event: "task_started", run_id: prefix, task_id: `t-${i}`, event_id: `${prefix}-${i}` }));
    }
    await Promise.all(pending);
  } finally {
    await writer.close();
  }
}

export async function logEventIds(path: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of readEvents(path)) ids.push(event.event_id);
  return ids;
}

export async function streamEvents(server: string, stream?: string): Promise<FleetEvent[]> {
  const events: FleetEvent[] = [];
  for await (const entry of readFleet(stream === undefined ? { servers: server } : { servers: server, stream })) events.push(entry);
  return events;
}

/** Every id that appears more than once, with its count. */
export function repeated(ids: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/** Messages in the stream now (0 while the server or the stream is not there). */
export async function storedCount(url: string, stream = "TELEMETRY"): Promise<number> {
  const nc = await connect({ servers: url, timeout: 2_000 });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } catch {
    return 0;
  } finally {
    await nc.close();
  }
}
