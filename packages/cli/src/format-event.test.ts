import { createEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { createColors } from "./color.js";
import { formatEvent, formatTimestamp, oneLine } from "./format-event.js";

const plain = createColors({ stream: { write: () => true, isTTY: false }, env: {}, flag: "auto" });
const colored = createColors({ stream: { write: () => true, isTTY: true }, env: {}, flag: "auto" });

const failed = createEvent({
  event: "task_failed",
  ts: "2026-02-13T10:05:23.330081+00:00",
  run_id: "RUN-1",
  task_id: "task-3",
  agent_role: "coder",
  tool: "codex",
  status: "failed",
  summary: "tests failed",
});

describe("formatEvent", () => {
  it("shows time, type, run/task, agent, tool, status and summary on one line", () => {
    expect(formatEvent(failed, plain)).toBe(
      "2026-02-13 10:05:23.330 task_failed        RUN-1/task-3 agent=coder tool=codex status=failed  tests failed",
    );
  });

  it("leaves absent fields out instead of printing empty ones", () => {
    const bare = createEvent({ event: "task_started", ts: "2026-02-13T10:00:00Z" });
    expect(formatEvent(bare, plain)).toBe("2026-02-13 10:00:00.000 task_started");
  });

  it("shows model, tokens, cost and latency of a cost_update", () => {
    const cost = createEvent({
      event: "cost_update",
      ts: "2026-02-13T10:00:00Z",
      run_id: "RUN-1",
      metrics: { model: "gpt-4o", prompt_tokens: 1000, completion_tokens: 234, cost_usd: 0.01234, latency_ms: 850 },
    });
    expect(formatEvent(cost, plain)).toBe("2026-02-13 10:00:00.000 cost_update        RUN-1 [gpt-4o 1,234 tok $0.0123 850ms]");
  });

  it("never breaks the line: newlines, U+2028 and terminal escapes in a summary are shown escaped", () => {
    const hostile = createEvent({ event: "task_started", ts: "2026-02-13T10:00:00Z", summary: "a\nb\u2028c\u001b[2Jd\te" });
    const line = formatEvent(hostile, plain);
    for (const raw of ["\n", "\r", "\u2028", "\u001b", "\t"]) expect(line).not.toContain(raw);
    expect(line).toContain("a\\nb\\u2028c\\u001b[2Jd\\te");
  });

  it("colors failures red when colors are on, and adds no escapes when they are off", () => {
    expect(formatEvent(failed, colored)).toContain("\u001b[31m");
    expect(formatEvent(failed, plain)).not.toContain("\u001b");
  });
});

describe("formatTimestamp", () => {
  it("shows every instant in UTC whatever offset it was stored with", () => {
    expect(formatTimestamp("2026-02-13T12:05:23.330+02:00")).toBe("2026-02-13 10:05:23.330");
  });
});

describe("oneLine", () => {
  it("keeps printable Unicode as it is", () => {
    expect(oneLine("emoji 🚀 é")).toBe("emoji 🚀 é");
  });
});
