import { expect, it } from "vitest";
import { connect, headers } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createEvent, serializeEvent } from "@telemetry/schema";
import { openFleetCursor, type FleetPosition } from "./fleet-cursor.js";
import { HOST_HEADER } from "./fleet-headers.js";
import { ensureFleetStream } from "./fleet-stream.js";
import { FleetStreamNotFoundError } from "./ship-errors.js";
import { describeWithNats, natsServerForTest } from "./nats-test-server.fixture.js";
import { followFleet, readFleet } from "./read-fleet.js";

async function publishEvents(url: string, host: string, ids: string[]): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const subject = `telemetry.events.${host}`;
    await ensureFleetStream(await jetstreamManager(nc), subject);
    const js = jetstream(nc);
    for (const id of ids) {
      const h = headers();
      h.set(HOST_HEADER, `${host}.example.com`);
      await js.publish(subject, serializeEvent(createEvent({ event: "task_started", run_id: "r", event_id: id })), { msgID: id, headers: h });
    }
  } finally {
    await nc.close();
  }
}

describeWithNats("reading the fleet's stream", () => {
  it("reads every event with its host and stream sequence, then ends when caught up", async () => {
    const server = await natsServerForTest();
    await publishEvents(server.url, "a", ["a1", "a2"]);
    await publishEvents(server.url, "b", ["b1"]);
    const read = [];
    for await (const entry of readFleet({ servers: server.url })) read.push(entry);
    expect(read.map((e) => [e.event.event_id, e.host, e.subject, e.seq])).toEqual([
      ["a1", "a.example.com", "telemetry.events.a", 1],
      ["a2", "a.example.com", "telemetry.events.a", 2],
      ["b1", "b.example.com", "telemetry.events.b", 3],
    ]);
    expect(JSON.parse(read[0]!.line)).toEqual(read[0]!.event);
    expect(read[2]!.checkpoint).toEqual({ stream: "TELEMETRY", seq: 3 });
  });

  it("resumes after a saved position with nothing repeated", async () => {
    const server = await natsServerForTest();
    await publishEvents(server.url, "a", ["a1", "a2", "a3"]);
    const cursor = await openFleetCursor({ servers: server.url });
    let saved: FleetPosition | undefined;
    try {
      // poll never waits: drain until the first event shows up.
      for (let i = 0; i < 500 && saved === undefined; i++) {
        const { events } = await cursor.poll({ maxEvents: 1 });
        if (events[0]) saved = events[0].checkpoint;
        else await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await cursor.close();
    }
    expect(saved).toEqual({ stream: "TELEMETRY", seq: 1 });
    if (saved === undefined) return;
    const rest = [];
    for await (const entry of readFleet({ servers: server.url, from: saved })) rest.push(entry.event.event_id);
    expect(rest).toEqual(["a2", "a3"]);
  });

  it("names the stream and the server when the stream does not exist", async () => {
    const server = await natsServerForTest();
    const error = await openFleetCursor({ servers: server.url, stream: "NOPE" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetStreamNotFoundError);
    expect((error as Error).message).toBe(`No JetStream stream "NOPE" on ${server.url} (has a shipper run against it yet? see: telemetry ship --help)`);
  });

  it("reports caught up on an empty stream without waiting", async () => {
    const server = await natsServerForTest();
    await publishEvents(server.url, "a", []);
    const cursor = await openFleetCursor({ servers: server.url });
    try {
      expect(await cursor.poll()).toEqual({ events: [], caughtUp: true });
      expect(cursor.checkpoint).toBeUndefined();
    } finally {
      await cursor.close();
    }
  });

  it("follows events stored after it started, until aborted", async () => {
    const server = await natsServerForTest();
    await publishEvents(server.url, "a", ["a1"]);
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of followFleet({ servers: server.url, signal: controller.signal, pollIntervalMs: 20 })) {
        seen.push(`${entry.host}:${entry.event.event_id}`);
        if (seen.length === 3) controller.abort();
      }
    })();
    await publishEvents(server.url, "b", ["b1"]);
    await publishEvents(server.url, "a", ["a2"]);
    await following;
    expect(seen).toEqual(["a.example.com:a1", "b.example.com:b1", "a.example.com:a2"]);
  });
});
