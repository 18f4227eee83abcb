import { EventValidationError } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { CliUsageError } from "./cli-error.js";
import { describeError } from "./report-error.js";

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT", path, syscall: "open" });
}

describe("describeError", () => {
  it("reports a usage error as one line with exit code 2", () => {
    expect(describeError("tail", new CliUsageError("unknown option --x"), {})).toEqual({
      line: "telemetry tail: unknown option --x",
      exitCode: 2,
    });
  });

  it("reports a missing file as a usage error naming the path", () => {
    expect(describeError("query", enoent("logs/x.jsonl"), {})).toEqual({
      line: "telemetry query: no such file or directory: logs/x.jsonl (ENOENT)",
      exitCode: 2,
    });
  });

  it("keeps a library's own message when it wraps an OS error as cause", () => {
    const wrapped = Object.assign(new Error("cannot open log file /ro/x.jsonl for appending: permission denied"), {
      code: "EACCES",
      cause: enoent("/ro/x.jsonl"),
    });
    expect(describeError("emit", wrapped, {}).line).toBe(
      "telemetry emit: cannot open log file /ro/x.jsonl for appending: permission denied (EACCES)",
    );
  });

  it("finds an OS error code in the cause chain", () => {
    const report = describeError("emit", new Error("emit failed", { cause: enoent("/nope/x") }), {});
    expect(report.exitCode).toBe(2);
    expect(report.line).toContain("(ENOENT)");
  });

  it("reports an invalid event as a usage error listing the bad fields", () => {
    const error = new EventValidationError([{ path: "metrics.cost_usd", message: "must be >= 0" }]);
    expect(describeError("emit", error, {})).toEqual({
      line: "telemetry emit: Invalid telemetry event: metrics.cost_usd: must be >= 0",
      exitCode: 2,
    });
  });

  it("reports an unexpected error in one line with a hint to get the stack, exit 1", () => {
    const report = describeError("stats", new TypeError("boom\n  at somewhere"), {});
    expect(report.exitCode).toBe(1);
    expect(report.line).toBe("telemetry stats: TypeError: boom at somewhere [set TELEMETRY_DEBUG=1 to see the stack trace]");
    expect(describeError("stats", new Error("boom"), { TELEMETRY_DEBUG: "1" }).line).toBe("telemetry stats: boom");
  });
});
