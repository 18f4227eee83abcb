import { describe, expect, it } from "vitest";
import { InvocationValidationError, normalizeTimestamp, validateInvocationRecord } from "./invocation-record.js";
import { aRecord } from "./records.fixture.js";

const defaults = { privacyLevel: "metadata" as const, now: () => new Date("2026-03-01T08:00:00.000Z") };

function issuesOf(record: unknown): { path: string; message: string }[] {
  try {
    validateInvocationRecord(record, defaults);
  } catch (error) {
    expect(error).toBeInstanceOf(InvocationValidationError);
    expect((error as InvocationValidationError).code).toBe("INVOCATION_INVALID");
    return [...(error as InvocationValidationError).issues];
  }
  throw new Error("expected the record to be rejected");
}

describe("validateInvocationRecord", () => {
  it("fills privacy_level from the logger and timestamp from the clock", () => {
    const { privacy_level: _p, timestamp: _t, ...rest } = aRecord();
    const row = validateInvocationRecord(rest, defaults);
    expect(row.privacy_level).toBe("metadata");
    expect(row.timestamp).toBe("2026-03-01T08:00:00.000Z");
  });

  it("treats a missing agent_name and error_message as null", () => {
    const { agent_name: _a, error_message: _e, ...rest } = aRecord();
    const row = validateInvocationRecord(rest, defaults);
    expect(row.agent_name).toBeNull();
    expect(row.error_message).toBeNull();
  });

  it("rejects negative tokens, naming the field", () => {
    expect(issuesOf(aRecord({ prompt_tokens: -1 }))).toEqual([{ path: "prompt_tokens", message: "must be >= 0, received -1" }]);
  });

  it("rejects fractional tokens and non-finite cost", () => {
    expect(issuesOf(aRecord({ total_tokens: 1.5 }))[0]!.path).toBe("total_tokens");
    expect(issuesOf(aRecord({ cost_usd: Number.NaN }))).toEqual([{ path: "cost_usd", message: "expected a finite number, received NaN" }]);
  });

  it("rejects an unknown status", () => {
    expect(issuesOf(aRecord({ status: "crashed" as never }))).toEqual([
      { path: "status", message: 'expected one of success, error, timeout, received "crashed"' },
    ]);
  });

  it("rejects a missing tool_name and an empty model_name", () => {
    const { tool_name: _t, ...rest } = aRecord({ model_name: "" });
    expect(issuesOf(rest)).toEqual([
      { path: "tool_name", message: "is required" },
      { path: "model_name", message: "must not be empty" },
    ]);
  });

  it("rejects the legacy SQLite id and other unknown fields", () => {
    const issues = issuesOf({ ...aRecord(), id: 68 });
    expect(issues).toEqual([{ path: "id", message: "unknown field (the legacy SQLite row id is not part of a record)" }]);
  });

  it("rejects an unknown privacy level and an unreadable timestamp", () => {
    const issues = issuesOf(aRecord({ privacy_level: "secret" as never, timestamp: "yesterday" }));
    expect(issues.map((i) => i.path)).toEqual(["privacy_level", "timestamp"]);
    expect(issuesOf(aRecord({ timestamp: new Date(Number.NaN) }))[0]!.path).toBe("timestamp");
  });

  it("rejects something that is not a record", () => {
    expect(issuesOf(null)).toEqual([{ path: "", message: "expected an invocation record object, received null" }]);
  });

  it("names every bad field in the message", () => {
    expect(() => validateInvocationRecord(aRecord({ latency_ms: -5, status: "nope" as never }), defaults)).toThrow(
      /latency_ms: must be >= 0.*; status: expected one of/,
    );
  });
});

describe("normalizeTimestamp", () => {
  it("reads a naive legacy timestamp as UTC and keeps its microseconds", () => {
    expect(normalizeTimestamp("2026-01-08T00:08:17.341430")).toBe("2026-01-08T00:08:17.341430+00:00");
  });

  it("accepts SQLite's CURRENT_TIMESTAMP form", () => {
    expect(normalizeTimestamp("2026-01-08 00:08:17")).toBe("2026-01-08T00:08:17+00:00");
  });

  it("keeps an explicit offset and writes a Date in UTC", () => {
    expect(normalizeTimestamp("2026-01-08T02:08:17+0200")).toBe("2026-01-08T02:08:17+02:00");
    expect(normalizeTimestamp("2026-01-08T00:08:17Z")).toBe("2026-01-08T00:08:17Z");
    expect(normalizeTimestamp(new Date(Date.UTC(2026, 0, 8, 0, 8, 17, 5)))).toBe("2026-01-08T00:08:17.005Z");
  });

  it("rejects text that is not a date-time", () => {
    expect(normalizeTimestamp("2026-01-08")).toBeUndefined();
    expect(normalizeTimestamp("2026-13-08T00:00:00")).toBeUndefined();
  });
});
