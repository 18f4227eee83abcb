import { describe, expect, it } from "vitest";
import { connect, nanos } from "@nats-io/transport-node";
import { jetstreamManager, RetentionPolicy, StorageType } from "@nats-io/jetstream";
import { ensureFleetStream, subjectMatches } from "./fleet-stream.js";
import { StreamConfigMismatchError } from "./ship-errors.js";
import { describeWithNats, natsServerForTest } from "./nats-test-server.fixture.js";

describe("subjectMatches", () => {
  it("matches NATS wildcards the way the server does", () => {
    expect(subjectMatches("telemetry.events.>", "telemetry.events.web-1")).toBe(true);
    expect(subjectMatches("telemetry.events.>", "telemetry.events")).toBe(false);
    expect(subjectMatches("telemetry.*.web", "telemetry.events.web")).toBe(true);
    expect(subjectMatches("telemetry.*", "telemetry.events.web")).toBe(false);
    expect(subjectMatches("a.b", "a.b")).toBe(true);
    expect(subjectMatches("a.b", "a.c")).toBe(false);
  });
});

describeWithNats("ensureFleetStream against a real nats-server", () => {
  it("creates a missing stream with file storage, the duplicate window and retention limits asked for", async () => {
    const server = await natsServerForTest();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await ensureFleetStream(jsm, "telemetry.events.h1", { stream: "FLEET", duplicateWindowMs: 30_000, maxAgeMs: 3_600_000, maxBytes: 10_000_000 });
      const { config } = await jsm.streams.info("FLEET");
      expect(config.subjects).toEqual(["telemetry.events.>"]);
      expect(config.storage).toBe(StorageType.File);
      expect(config.retention).toBe(RetentionPolicy.Limits);
      expect(config.duplicate_window).toBe(nanos(30_000));
      expect(config.max_age).toBe(nanos(3_600_000));
      expect(config.max_bytes).toBe(10_000_000);
      // A second shipper with the same options accepts the stream as it is.
      await ensureFleetStream(jsm, "telemetry.events.h2", { stream: "FLEET", duplicateWindowMs: 30_000, maxAgeMs: 3_600_000, maxBytes: 10_000_000 });
    } finally {
      await nc.close();
    }
  });

  it("refuses an existing stream that differs, naming every differing field, and changes nothing", async () => {
    const server = await natsServerForTest();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "FLEET", subjects: ["other.>"], storage: StorageType.Memory, duplicate_window: nanos(5_000) });
      const error = await ensureFleetStream(jsm, "telemetry.events.h1", { stream: "FLEET" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamConfigMismatchError);
      const mismatch = error as StreamConfigMismatchError;
      expect(mismatch.code).toBe("STREAM_CONFIG_MISMATCH");
      expect(mismatch.differences.map((d) => d.field)).toEqual(["subjects", "storage", "duplicate_window (ms)"]);
      expect(mismatch.message).toContain('stream "FLEET"');
      expect(mismatch.message).toContain("duplicate_window (ms): expected 120000, found 5000");
      const { config, state } = await jsm.streams.info("FLEET");
      expect(config.storage).toBe(StorageType.Memory);
      expect(state.messages).toBe(0);
    } finally {
      await nc.close();
    }
  });

  it("refuses a work-queue stream, whose messages (and the shipper's position) vanish once read", async () => {
    const server = await natsServerForTest();
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "FLEET", subjects: ["telemetry.events.>"], storage: StorageType.File, retention: RetentionPolicy.Workqueue, duplicate_window: nanos(120_000) });
      const error = (await ensureFleetStream(jsm, "telemetry.events.h1", { stream: "FLEET" }).catch((e: unknown) => e)) as StreamConfigMismatchError;
      expect(error.differences).toEqual([{ field: "retention", expected: "limits", actual: "workqueue" }]);
    } finally {
      await nc.close();
    }
  });
});
