import { describe, expect, it } from "vitest";
import { CliUsageError } from "./cli-error.js";
import { parseTimeArgument } from "./relative-time.js";

const now = new Date("2026-02-13T12:00:00.000Z");

describe("parseTimeArgument", () => {
  it.each([
    ["30s", "2026-02-13T11:59:30.000Z"],
    ["30m", "2026-02-13T11:30:00.000Z"],
    ["2h", "2026-02-13T10:00:00.000Z"],
    ["1.5h", "2026-02-13T10:30:00.000Z"],
    ["7d", "2026-02-06T12:00:00.000Z"],
    ["1w", "2026-02-06T12:00:00.000Z"],
  ])("reads %s as that long before now", (text, expected) => {
    expect(parseTimeArgument(text, now).toISOString()).toBe(expected);
  });

  it.each([
    ["2026-02-10", "2026-02-10T00:00:00.000Z"],
    ["2026-02-10T08:15:00Z", "2026-02-10T08:15:00.000Z"],
    ["2026-02-10T08:15:00.123456+00:00", "2026-02-10T08:15:00.123Z"],
    ["2026-02-10T10:15:00+02:00", "2026-02-10T08:15:00.000Z"],
    ["2026-02-10 08:15", "2026-02-10T08:15:00.000Z"],
    ["2026-02-10T08:15:00", "2026-02-10T08:15:00.000Z"],
  ])("reads the ISO time %s as the instant it names (no offset means UTC)", (text, expected) => {
    expect(parseTimeArgument(text, now).toISOString()).toBe(expected);
  });

  it("reads now as now", () => {
    expect(parseTimeArgument("now", now).getTime()).toBe(now.getTime());
  });

  it.each(["yesterday", "2h ago", "-2h", "2x", "", "2026-02-30", "2026-13-01", "2026-02-10T25:00:00Z", "March 7"])(
    "rejects %j with a usage error that names the option and the accepted forms",
    (text) => {
      let caught: unknown;
      try {
        parseTimeArgument(text, now, "--since");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CliUsageError);
      expect((caught as Error).message).toContain("--since");
      expect((caught as Error).message).toContain("2h");
      expect((caught as Error).message).not.toContain("\n");
    },
  );
});
