// `/api/stream`: every event once and in order, resumable from any id, across
// rotation and a restart of the server, live from several logs and from
// logs that appear in a served directory.
import { mkdir, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { readEvents } from "@telemetry/reader";
import type { EventInput } from "@telemetry/schema";
import { connectSse, testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import type { RunsPage } from "@telemetry/web";
import { directorySources, logFileSources } from "./log-sources.js";
import { apiUrl, emitAll, eventually, getJson, serveForTest, taskEvents, testLog } from "./served-log.fixture.js";

function numbered(from: number, count: number, runId = "RUN-S"): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({ event: "cost_update", ts: "2026-11-30T10:00:00.000Z", run_id: runId, summary: `n${from + i}`, metrics: { cost_usd: 0.001 } }));
}

function summaries(messages: readonly { data: string }[]): string[] {
  return messages.map((m) => (JSON.parse(m.data) as { summary: string }).summary);
}

async function storedIds(path: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const event of readEvents(path)) ids.push(event.event_id);
  return ids;
}


/**
 * The HTTP chunks of a stream's response body, as sent (a raw socket, so the
 * chunked framing is visible): resolves once `events` events have arrived.
 */
async function rawChunks(server: { port: number }, path: string, events: number, whenConnected?: () => Promise<void>): Promise<string[]> {
  const socket = connect(server.port, "127.0.0.1");
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  let raw = Buffer.alloc(0);
  const chunks: string[] = [];
  let body = -1;
  let connected = false;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("data", (data: Buffer) => {
        raw = Buffer.concat([raw, data]);
        if (body === -1) {
          const end = raw.indexOf("\r\n\r\n");
          if (end === -1) return;
          body = end + 4;
        }
        for (;;) {
          const sizeEnd = raw.indexOf("\r\n", body);
          if (sizeEnd === -1) break;
          const size = Number.parseInt(raw.subarray(body, sizeEnd).toString("latin1"), 16);
          if (raw.length < sizeEnd + 2 + size + 2) break;
          chunks.push(raw.subarray(sizeEnd + 2, sizeEnd + 2 + size).toString("utf8"));
          body = sizeEnd + 2 + size + 2;
        }
        if (!connected && chunks.length > 0 && whenConnected !== undefined) {
          connected = true;
          whenConnected().catch(reject);
        }
        if (chunks.join("").split("\ndata: ").length - 1 >= events) resolve();
      });
    });
  } finally {
    socket.destroy();
  }
  return chunks;
}

describe("event stream", () => {
  it("from=start sends every event as its stored line, each with a compact id; the default sends only new ones", async () => {
    const log = await testLog();
    await emitAll(log.writer, numbered(0, 5));
    const server = await serveForTest({ paths: [log.path] });
    const all = await connectSse(apiUrl(server, "/api/stream?from=start"));
    expect(all.status).toBe(200);
    expect(all.headers["content-type"]).toMatch(/^text\/event-stream/);
    const fresh = await connectSse(apiUrl(server, "/api/stream"));
    await all.waitFor(5);
    const lines = (await readFile(log.path, "utf8")).trim().split("\n");
    expect(all.messages.map((m) => m.data)).toEqual(lines);
    expect(new Set(all.messages.map((m) => m.id)).size).toBe(5);
    // The id carries a compact position: the source's key, offset, line and the digest of the file's first
    // line, not a copy of it (which made ids of 500+ bytes for these 166-byte events).
    for (const m of all.messages) expect(m.id!.length).toBeLessThan(300);
    expect(Buffer.from(all.messages[0]!.id!, "base64url").toString()).not.toContain(Buffer.from(lines[0]!.slice(0, 60)).toString("base64").slice(0, 40));
    await emitAll(log.writer, numbered(5, 2));
    await fresh.waitFor(2);
    expect(summaries(fresh.messages)).toEqual(["n5", "n6"]);
    await all.waitFor(7);
    all.close();
    fresh.close();
  });

  for (const replayCapacity of [20_000, 0]) {
    it(`resumes after Last-Event-ID with no gap and no repeat across rotations (${replayCapacity === 0 ? "re-reading the log" : "from the replay buffer"})`, async () => {
      const log = await testLog({ maxSizeBytes: 2_000 });
      await emitAll(log.writer, numbered(0, 30));
      const server = await serveForTest({ paths: [log.path], replayCapacity });
      const first = await connectSse(apiUrl(server, "/api/stream?from=start"));
      await first.waitFor(12);
      first.close();
      const seen = summaries(first.messages);
      const lastId = first.messages.at(-1)!.id!;
      // Written while disconnected: several rotations happen.
      await emitAll(log.writer, numbered(30, 40));
      const again = await connectSse(apiUrl(server, "/api/stream?from=start"), { lastEventId: lastId });
      const rest = 70 - seen.length;
      await again.waitFor(rest);
      await emitAll(log.writer, numbered(70, 3));
      await again.waitFor(rest + 3);
      again.close();
      const got = [...seen, ...summaries(again.messages)];
      expect(got).toEqual(Array.from({ length: 73 }, (_, i) => `n${i}`));
    });
  }

  it("resumes with ?from=<token> after the server is stopped and started again, also beyond the replay buffer", async () => {
    const log = await testLog({ maxSizeBytes: 3_000 });
    await emitAll(log.writer, numbered(0, 20));
    const before = await serveForTest({ paths: [log.path] });
    const client = await connectSse(apiUrl(before, "/api/stream?from=start"));
    await client.waitFor(20);
    const token = client.messages[14]!.id!;
    client.close();
    await before.close();
    await emitAll(log.writer, numbered(20, 30));
    for (const replayCapacity of [20_000, 5]) {
      const after = await serveForTest({ paths: [log.path], replayCapacity });
      const resumed = await connectSse(apiUrl(after, `/api/stream?from=${token}`));
      await resumed.waitFor(35);
      await new Promise((resolve) => setTimeout(resolve, 100));
      resumed.close();
      expect(summaries(resumed.messages)).toEqual(Array.from({ length: 35 }, (_, i) => `n${i + 15}`));
      await after.close();
    }
  });

  it("filters the stream like /api/events, and a filtered client still resumes exactly", async () => {
    const log = await testLog();
    const server = await serveForTest({ paths: [log.path] });
    const failures = await connectSse(apiUrl(server, "/api/stream?event=task_failed&run_id=RUN-2"));
    await emitAll(log.writer, [...taskEvents("RUN-1", "t1", { fails: true }), ...taskEvents("RUN-2", "t1", { fails: true }), ...taskEvents("RUN-2", "t2")]);
    await failures.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    failures.close();
    expect(failures.messages.map((m) => JSON.parse(m.data) as { event: string; run_id: string }).map((e) => [e.event, e.run_id])).toEqual([["task_failed", "RUN-2"]]);
    // The id the client holds moved past the filtered-out events too (sent as id-only messages with heartbeats).
    const resumed = await connectSse(apiUrl(server, "/api/stream?event=task_failed"), { lastEventId: failures.messages[0]!.id! });
    await emitAll(log.writer, taskEvents("RUN-3", "t1", { fails: true }));
    await resumed.waitFor(1);
    expect(JSON.parse(resumed.messages[0]!.data)).toMatchObject({ run_id: "RUN-3", event: "task_failed" });
    resumed.close();
  });

  it("sends heartbeats while idle, carrying the position when filtered events moved it", async () => {
    const log = await testLog();
    const server = await serveForTest({ paths: [log.path], heartbeatMs: 100 });
    const client = await connectSse(apiUrl(server, "/api/stream?run_id=NONE"));
    const startId = await (async () => {
      await eventually(() => client.lastEventId !== undefined);
      return client.lastEventId;
    })();
    await emitAll(log.writer, numbered(0, 3));
    await eventually(() => client.comments >= 3 && client.lastEventId !== startId);
    expect(client.messages).toHaveLength(0);
    client.close();
  });

  it("merges several logs and resumes each exactly", async () => {
    const dir = testdir("telemetry-server-");
    const a = await testLog({ dir, name: "a.jsonl" });
    const b = await testLog({ dir, name: "b.jsonl" });
    const server = await serveForTest({ sources: logFileSources([a.path, b.path]) });
    const client = await connectSse(apiUrl(server, "/api/stream"));
    await emitAll(a.writer, numbered(0, 5, "RUN-A"));
    await emitAll(b.writer, numbered(0, 5, "RUN-B"));
    await client.waitFor(10);
    client.close();
    const token = client.messages[6]!.id!;
    await emitAll(a.writer, numbered(5, 2, "RUN-A"));
    const resumed = await connectSse(apiUrl(server, "/api/stream"), { lastEventId: token });
    await resumed.waitFor(5);
    await new Promise((resolve) => setTimeout(resolve, 150));
    resumed.close();
    const key = (m: { data: string }): string => {
      const e = JSON.parse(m.data) as { run_id: string; summary: string };
      return `${e.run_id}:${e.summary}`;
    };
    const all = [...client.messages.slice(0, 7), ...resumed.messages].map(key).sort();
    expect(all).toEqual([...Array.from({ length: 7 }, (_, i) => `RUN-A:n${i}`), ...Array.from({ length: 5 }, (_, i) => `RUN-B:n${i}`)].sort());
  });

  it("serves every */events.jsonl of a directory and picks up a run log created while serving", async () => {
    const dir = testdir("telemetry-runs-");
    await mkdir(join(dir, "RUN-1"));
    const first = await testLog({ dir: join(dir, "RUN-1") });
    await emitAll(first.writer, taskEvents("RUN-1", "t1"));
    const server = await serveForTest({ sources: directorySources(dir), discoverIntervalMs: 100 });
    const client = await connectSse(apiUrl(server, "/api/stream"));
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs"))).runs.map((r) => r.run_id)).toEqual(["RUN-1"]);
    await mkdir(join(dir, "RUN-2"));
    const second = await testLog({ dir: join(dir, "RUN-2") });
    await emitAll(second.writer, taskEvents("RUN-2", "t1", { day: "2026-12-01" }));
    await client.waitFor(5);
    expect(client.messages.map((m) => (JSON.parse(m.data) as { run_id: string }).run_id)).toEqual(Array(5).fill("RUN-2"));
    expect((await getJson<RunsPage>(apiUrl(server, "/api/runs"))).runs.map((r) => r.run_id)).toEqual(["RUN-2", "RUN-1"]);
    expect(new Set(client.messages.map((m) => JSON.parse(m.data) as { event_id: string }).map((e) => e.event_id))).toEqual(new Set(await storedIds(second.path)));
    client.close();
  });
  it("sends the events of one read as one HTTP chunk, not a chunk per event, in catch-up and live", async () => {
    const log = await testLog();
    await Promise.all(numbered(0, 300).map((event) => log.writer.emit(event)));
    const server = await serveForTest({ paths: [log.path] });
    // Catch-up from the replay buffer: all 300 in one chunk (they were one write per event: 300 chunks).
    const history = (await rawChunks(server, "/api/stream?from=start", 300)).filter((chunk) => chunk.includes("data: "));
    expect(history.join("").split("\ndata: ")).toHaveLength(301);
    expect(history).toHaveLength(1);
    // Live: 300 events stored by one write(2) reach the client in the chunks of the hub's polls that saw them.
    const live = await rawChunks(server, "/api/stream", 300, () => Promise.all(numbered(300, 300).map((event) => log.writer.emit(event))).then(() => undefined));
    const withEvents = live.filter((chunk) => chunk.includes("data: "));
    expect(withEvents.join("").split("\ndata: ")).toHaveLength(301);
    expect(withEvents.length).toBeLessThanOrEqual(3);
  });
});
