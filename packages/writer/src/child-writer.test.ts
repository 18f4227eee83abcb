// writer.child(bindings): contextual fields merged under each event's own,
// validated once at creation, sharing the parent's file and queue.
import { join } from "node:path";
import { EventValidationError } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { openEventWriter, writerStats } from "./open-event-writer.js";
import { readLog } from "./log-lines.fixture.js";

describe("child writers", () => {
  it("merges bindings under each event's own fields; the event wins, attributes merge member by member", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const run = writer.child({ run_id: "RUN-1", agent_role: "planner", attributes: { tenant: "acme", tier: 1 } });
    const stored = await run.emit({ event: "task_started", task_id: "T-1", agent_role: "coder", attributes: { tier: 2, retry: true } });
    await writer.close();
    expect(stored).toMatchObject({ run_id: "RUN-1", task_id: "T-1", agent_role: "coder", attributes: { tenant: "acme", tier: 2, retry: true } });
    expect(readLog(path).events).toEqual([stored]);
  });

  it("merges children of children in order, innermost last", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const task = writer.child({ run_id: "RUN-1", tool: "cursor" }).child({ task_id: "T-9", tool: "claude-code" });
    task.record({ event: "execution_start" });
    await task.emit({ event: "task_completed", status: "ok" });
    await writer.close();
    expect(readLog(path).events.map(({ event, run_id, task_id, tool, status }) => ({ event, run_id, task_id, tool, status }))).toEqual([
      { event: "execution_start", run_id: "RUN-1", task_id: "T-9", tool: "claude-code", status: undefined },
      { event: "task_completed", run_id: "RUN-1", task_id: "T-9", tool: "claude-code", status: "ok" },
    ]);
  });

  it("validates bindings once, when the child is created: an unknown key throws EventValidationError there", async () => {
    const writer = await openEventWriter({ path: join(testdir(), "events.jsonl") });
    const bad = { runId: "x" } as unknown as Parameters<typeof writer.child>[0];
    expect(() => writer.child(bad)).toThrow(EventValidationError);
    expect(() => writer.child(bad)).toThrow('runId: unknown field (did you mean "run_id"?)');
    expect(() => writer.child({ run_id: 42 } as unknown as Parameters<typeof writer.child>[0])).toThrow(/run_id: expected string/);
    // Per-event fields cannot be bound: every event needs its own.
    for (const field of ["event", "ts", "event_id"]) {
      expect(() => writer.child({ [field]: "x" })).toThrow(`${field}: unknown field`);
    }
    await writer.close();
  });

  it("keeps a child's bindings from being changed by the caller afterwards", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const bindings = { run_id: "RUN-1", attributes: { a: "1" } };
    const child = writer.child(bindings);
    bindings.run_id = "RUN-2";
    bindings.attributes.a = "2";
    const stored = await child.emit({ event: "task_started" });
    await writer.close();
    expect(stored).toMatchObject({ run_id: "RUN-1", attributes: { a: "1" } });
  });

  it("shares the parent's file, queue and counts: one file order, flush on a child is the shared barrier", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path, durability: "write" });
    const a = writer.child({ run_id: "A" });
    const b = writer.child({ run_id: "B" });
    a.record({ event: "task_started" });
    b.record({ event: "task_started" });
    writer.record({ event: "task_started" });
    await b.flush();
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(["A", "B", undefined]);
    expect(writerStats(a)).toEqual(writerStats(writer));
    expect(writerStats(writer)).toMatchObject({ recorded: 3 });
    await writer.close();
  });

  it("close() on a child flushes and closes that child and its children only; closing the root closes every child", async () => {
    const path = join(testdir(), "events.jsonl");
    const writer = await openEventWriter({ path });
    const child = writer.child({ run_id: "C" });
    const grandchild = child.child({ task_id: "G" });
    const sibling = writer.child({ run_id: "S" });
    child.record({ event: "task_started" });
    await child.close();
    expect(readLog(path).events).toHaveLength(1);
    expect([child.closed, grandchild.closed, sibling.closed, writer.closed]).toEqual([true, true, false, false]);
    await expect(grandchild.emit({ event: "task_started" })).rejects.toMatchObject({ code: "WRITER_CLOSED" });
    await sibling.emit({ event: "task_completed" });
    await writer.close();
    expect(sibling.closed).toBe(true);
    await expect(sibling.emit({ event: "task_started" })).rejects.toMatchObject({ code: "WRITER_CLOSED" });
    expect(readLog(path).events.map((e) => e.run_id)).toEqual(["C", "S"]);
  });
});
