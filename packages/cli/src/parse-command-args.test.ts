import { describe, expect, it } from "vitest";
import { CliUsageError } from "./cli-error.js";
import { parseCommandArgs, parseInteger, parseNonNegativeNumber } from "./parse-command-args.js";

const options = { limit: { type: "string", short: "n" }, follow: { type: "boolean", short: "f" } } as const;
const one = { min: 1, max: 1, names: "<path>" } as const;

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error("expected a CliUsageError");
}

describe("parseCommandArgs", () => {
  it("returns typed values and positionals", () => {
    const parsed = parseCommandArgs("tail", ["log.jsonl", "-n", "5", "-f"], options, one);
    expect(parsed.values.limit).toBe("5");
    expect(parsed.values.follow).toBe(true);
    expect(parsed.positionals).toEqual(["log.jsonl"]);
  });

  it("names an unknown option and points at --help", () => {
    expect(messageOf(() => parseCommandArgs("tail", ["x", "--bogus"], options, one))).toBe(
      "unknown option --bogus (see: telemetry tail --help)",
    );
  });

  it("says which option is missing its value", () => {
    expect(messageOf(() => parseCommandArgs("tail", ["x", "--limit"], options, one))).toBe(
      "option --limit needs a value (see: telemetry tail --help)",
    );
  });

  it("says a boolean option takes no value", () => {
    expect(messageOf(() => parseCommandArgs("tail", ["x", "--follow=yes"], options, one))).toBe(
      "option --follow does not take a value (see: telemetry tail --help)",
    );
  });

  it("explains how to pass a value that starts with a dash", () => {
    expect(messageOf(() => parseCommandArgs("tail", ["x", "--limit", "-3"], options, one))).toBe(
      'option --limit needs a value; for one starting with "-" write --limit=<value> (see: telemetry tail --help)',
    );
  });

  it("rejects a missing positional and a surplus one", () => {
    expect(messageOf(() => parseCommandArgs("tail", [], options, one))).toBe("missing <path> (see: telemetry tail --help)");
    expect(messageOf(() => parseCommandArgs("tail", ["a", "b"], options, one))).toBe(
      'unexpected argument "b" (see: telemetry tail --help)',
    );
  });

  it("treats everything after -- as positional, so a file named like a flag is reachable", () => {
    expect(parseCommandArgs("tail", ["--", "--weird.jsonl"], options, one).positionals).toEqual(["--weird.jsonl"]);
  });
});

describe("number options", () => {
  it("accepts whole numbers at or above the minimum", () => {
    expect(parseInteger("20", "--limit")).toBe(20);
    expect(parseInteger("0", "--lines", 0)).toBe(0);
  });

  it.each(["0", "-1", "1.5", "ten", "", "1e3"])("rejects %j as a --limit", (value) => {
    expect(messageOf(() => parseInteger(value, "--limit"))).toContain(`invalid --limit "${value}"`);
  });

  it("accepts decimal amounts and rejects negative or non-numeric ones", () => {
    expect(parseNonNegativeNumber("0.0123", "--cost")).toBe(0.0123);
    expect(parseNonNegativeNumber("2e-3", "--cost")).toBe(0.002);
    expect(messageOf(() => parseNonNegativeNumber("-1", "--cost"))).toContain("--cost");
    expect(messageOf(() => parseNonNegativeNumber("NaN", "--cost"))).toContain("--cost");
  });
});
