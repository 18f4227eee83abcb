import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { connect, nanos } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, StorageType } from "@nats-io/jetstream";
import { expandCheckpoint } from "@telemetry/reader";
import { testdir } from "@telemetry/test-utils";
import { openEventWriter } from "@telemetry/writer";
import { CHECKPOINT_HEADER } from "./fleet-headers.js";
import { describeWithNats, natsServerForTest } from "./nats-test-server.fixture.js";
import { EventTooLargeError, StreamConfigMismatchError, SubjectConflictError } from "./ship-errors.js";
import { shipLog, type ShipOptions, type Shipper, type ShipStateChange } from "./ship-log.js";
import { logEventIds, repeated, storedCount, streamEvents, waitFor, writeEvents } from "./ship-test-helpers.fixture.js";

interface Running {
  readonly shipper: Shipper;
  readonly states: ShipStateChange[];
  stop(): Promise<void>;
}

function startShipper(options: Omit<ShipOptions, "signal">): Running {
  const controller = new AbortController();
  const states: ShipStateChange[] = [];
  const shipper = shipLog({ host: "host-a", ...options, signal: controller.signal, onStateChange: (s) => states.push(s) });
  return {
    shipper,
    states,
    async stop() {
      controller.abort();
      await shipper.done;
    },
  };
}

describeWithNats("shipLog against a real nats-server", () => {
  it("ships every event of the log once, in log order, on this host's subject", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 500);
    const run = startShipper({ path, servers: server.url });
    await waitFor("500 events shipped", () => run.shipper.stats.shipped === 500);
    await waitFor("lag of zero", () => run.shipper.stats.lagEvents === 0 && run.shipper.stats.lagBytes === 0, 15_000);
    await run.stop();
    const stored = await streamEvents(server.url);
    expect(stored.map((e) => e.event.event_id)).toEqual(await logEventIds(path));
    expect(new Set(stored.map((e) => e.subject))).toEqual(new Set(["telemetry.events.host-a"]));
    expect(stored[0]!.host).toBe("host-a");
    expect(run.shipper.stats.duplicates).toBe(0);
  });

  it("resumes after a restart from the position stored in the stream, repeating nothing", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 200);
    const first = startShipper({ path, servers: server.url });
    await waitFor("200 shipped", () => first.shipper.stats.shipped === 200);
    await first.stop();
    await writeEvents(path, "e", 200, 100);
    const second = startShipper({ path, servers: server.url });
    await waitFor("100 more shipped", () => second.shipper.stats.shipped === 100);
    await second.stop();
    const ids = (await streamEvents(server.url)).map((e) => e.event.event_id);
    expect(ids).toEqual(await logEventIds(path));
    expect(second.shipper.stats.duplicates).toBe(0);
  });

  it("stores the log position after each event in the message, compactly, so the stream alone says where to resume", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 3);
    const run = startShipper({ path, servers: server.url });
    await waitFor("3 shipped", () => run.shipper.stats.shipped === 3);
    await run.stop();
    const nc = await connect({ servers: server.url });
    try {
      const last = await (await jetstreamManager(nc)).streams.getMessage("TELEMETRY", { last_by_subj: "telemetry.events.host-a" });
      const header = last!.header.get(CHECKPOINT_HEADER);
      // Compact (the head bytes as a digest), and it resolves against the log to exactly the position.
      expect(header.length).toBeLessThan(200);
      expect(await expandCheckpoint(path, JSON.parse(header))).toEqual(run.shipper.stats.position);
      expect(last!.header.get("Nats-Msg-Id")).toBe("e-2");
    } finally {
      await nc.close();
    }
  });

  it("refuses a stream with a different configuration with a clear error and publishes nothing", async () => {
    const server = await natsServerForTest();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "TELEMETRY", subjects: ["telemetry.events.>"], storage: StorageType.File, duplicate_window: nanos(10_000) });
      const path = join(testdir(), "events.jsonl");
      await writeEvents(path, "e", 0, 10);
      const shipper = shipLog({ path, servers: server.url, host: "host-a" });
      const error = await shipper.done.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamConfigMismatchError);
      expect((error as Error).message).toContain("duplicate_window (ms): expected 120000, found 10000");
      expect(shipper.stats.state).toBe("failed");
      expect((await jsm.streams.info("TELEMETRY")).state.messages).toBe(0);
    } finally {
      await nc.close();
    }
  });

  it("stops with EVENT_TOO_LARGE naming the event and its line, rather than skip an event the server cannot take", async () => {
    const dir = testdir();
    const config = join(dir, "nats.conf");
    writeFileSync(config, "max_payload: 4096\n");
    const server = await natsServerForTest({ args: ["-c", config] });
    const path = join(dir, "events.jsonl");
    await writeEvents(path, "e", 0, 2);
    const writer = await openEventWriter({ path, durability: "write" });
    await writer.emit({ event: "task_started", run_id: "e", event_id: "huge", summary: "x".repeat(8_000) });
    await writer.close();
    await writeEvents(path, "e", 2, 2);
    const shipper = shipLog({ path, servers: server.url, host: "host-a" });
    const error = await shipper.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({ code: "EVENT_TOO_LARGE", eventId: "huge", maxPayload: 4096 });
    expect((error as Error).message).toContain(`${path} line 3`);
    expect(shipper.stats.state).toBe("failed");
    // Everything before it is stored, nothing after it: the stream never has a gap.
    expect((await streamEvents(server.url)).map((e) => e.event.event_id)).toEqual(["e-0", "e-1"]);
  });

  it("stops with SUBJECT_CONFLICT, publishing nothing, when something else wrote to this host's subject", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 2);
    const first = startShipper({ path, servers: server.url });
    await waitFor("2 shipped", () => first.shipper.stats.shipped === 2);
    await first.stop();
    const nc = await connect({ servers: server.url });
    try {
      await jetstream(nc).publish("telemetry.events.host-a", new TextEncoder().encode("from another publisher"));
    } finally {
      await nc.close();
    }
    await writeEvents(path, "e", 2, 2);
    const second = shipLog({ path, servers: server.url, host: "host-a" });
    const error = await second.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectConflictError);
    expect(error).toMatchObject({ code: "SUBJECT_CONFLICT", subject: "telemetry.events.host-a", stream: "TELEMETRY" });
    expect((error as Error).message).toContain("give each host's shipper its own subject");
    expect(await storedCount(server.url)).toBe(3);
  });

  it("loses and repeats nothing when the server is stopped for 3 s and started again while the log grows", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 300);
    const run = startShipper({ path, servers: server.url, ackTimeoutMs: 1_000 });
    await waitFor("first events shipped", () => run.shipper.stats.shipped > 0);
    await server.stop();
    await writeEvents(path, "e", 300, 300);
    await new Promise((r) => setTimeout(r, 3_000));
    await server.restart();
    await writeEvents(path, "e", 600, 300);
    await waitFor("all 900 in the stream", async () => run.shipper.stats.lagEvents === 0 && (await storedCount(server.url)) >= 900, 60_000);
    await run.stop();
    const ids = (await streamEvents(server.url)).map((e) => e.event.event_id);
    expect(repeated(ids)).toEqual({});
    expect(ids).toEqual(await logEventIds(path));
    expect(run.states.map((s) => s.state)).toContain("disconnected");
  });

  it("loses and repeats nothing when the server is SIGKILLed mid-stream and restarted", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 30_000);
    const run = startShipper({ path, servers: server.url, ackTimeoutMs: 1_000 });
    await waitFor("shipping under way", () => run.shipper.stats.shipped > 200);
    await server.kill();
    const shippedBeforeKill = run.shipper.stats.shipped;
    await writeEvents(path, "e", 30_000, 500);
    await server.restart();
    await waitFor("all 30500 in the stream", async () => run.shipper.stats.lagEvents === 0 && (await storedCount(server.url)) >= 30_500, 90_000);
    await run.stop();
    // Killed mid-stream, with publishes in flight that had to be rewound and re-sent.
    expect(shippedBeforeKill).toBeLessThan(30_000);
    expect(run.shipper.stats.rewinds).toBeGreaterThan(0);
    const ids = (await streamEvents(server.url)).map((e) => e.event.event_id);
    expect(repeated(ids)).toEqual({});
    expect(ids).toEqual(await logEventIds(path));
  });

  it("passes token authentication through to the client unchanged", async () => {
    const server = await natsServerForTest({ args: ["--auth", "s3cret-token"] });
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 5);
    const run = startShipper({ path, servers: server.url, connection: { token: "s3cret-token" } });
    await waitFor("5 shipped", () => run.shipper.stats.shipped === 5);
    await run.stop();
  });

  it("reports each state change once, not once per retry", async () => {
    const server = await natsServerForTest();
    const path = join(testdir(), "events.jsonl");
    await writeEvents(path, "e", 0, 5);
    const run = startShipper({ path, servers: server.url, ackTimeoutMs: 500 });
    await waitFor("5 shipped", () => run.shipper.stats.shipped === 5);
    await server.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await run.stop();
    const states = run.states.map((s) => s.state);
    for (let i = 1; i < states.length; i++) expect(states[i]).not.toBe(states[i - 1]);
    expect(states.filter((s) => s === "disconnected")).toHaveLength(1);
  });
});
