import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecimalSum } from "./decimal-sum.js";

const sum = (values: readonly number[]): number => {
  const total = new DecimalSum();
  for (const value of values) total.add(value);
  return total.value;
};

describe("DecimalSum", () => {
  it("adds costs as the decimals the log holds, with no binary noise", () => {
    expect(sum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sum(Array.from({ length: 1000 }, () => 0.0087))).toBe(8.7);
    expect(sum([0.0000015, 0.0000025])).toBe(0.000004);
    expect(sum([1e-20, 1])).toBe(1);
    expect(sum([])).toBe(0);
  });

  it("gives the same total whatever the order of the additions", () => {
    const cost = fc.integer({ min: 0, max: 5_000_000 }).map((micro) => micro / 1e6);
    fc.assert(
      fc.property(fc.array(cost, { maxLength: 60 }), (values) => {
        const forward = sum(values);
        expect(sum([...values].reverse())).toBe(forward);
        expect(sum([...values].sort())).toBe(forward);
        // The exact decimal total, rounded once.
        const micros = values.reduce((total, value) => total + Math.round(value * 1e6), 0);
        expect(forward).toBe(micros / 1e6);
      }),
    );
  });

  it("stays exact past 2^53 units and for numbers with many digits", () => {
    expect(sum([0.30000000000000004, 0.1])).toBe(0.4);
    expect(sum([9007199254740991, 1, 1])).toBe(9007199254740992);
    expect(sum([1e300, 1e300])).toBe(2e300);
    expect(sum([5e-324, 5e-324])).toBe(1e-323);
  });
});
