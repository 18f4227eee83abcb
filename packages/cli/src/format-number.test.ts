import { describe, expect, it } from "vitest";
import { formatCount, formatDuration, formatUsd } from "./format-number.js";

describe("figures in tables", () => {
  it("groups thousands the same way on every machine", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
  });

  it("shows dollars with four decimals, since one invocation costs fractions of a cent", () => {
    expect(formatUsd(0.0123456)).toBe("$0.0123");
    expect(formatUsd(12)).toBe("$12.0000");
  });

  it.each([
    [850, "850ms"],
    [12_340, "12.3s"],
    [245_000, "4m 05s"],
    [7_380_000, "2h 03m"],
    [90_000_000, "1d 1h 00m"],
    [-1, "-"],
  ])("shows %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
