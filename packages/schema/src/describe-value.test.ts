import { describe, expect, it } from "vitest";
import { describeValue } from "./index.js";

describe("describeValue", () => {
  it("shows scalars as written, long strings cut, and other values by type", () => {
    expect([describeValue("a"), describeValue(5), describeValue(Number.NaN), describeValue(false), describeValue(null), describeValue(undefined)]).toEqual([
      '"a"',
      "5",
      "NaN",
      "false",
      "null",
      "undefined",
    ]);
    expect(describeValue("x".repeat(100))).toBe(JSON.stringify(`${"x".repeat(40)}...`));
    expect([describeValue({}), describeValue([1]), describeValue(() => 1)]).toEqual(["object", "array", "function"]);
  });
});
