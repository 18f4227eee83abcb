import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BigramSearch } from "./bigram-search.js";

describe("BigramSearch", () => {
  it("finds the same first occurrence as Buffer.indexOf from any start", () => {
    // A small alphabet makes partial matches, repeats and overlaps common.
    const bytesArb = fc.array(fc.constantFrom(0x22, 0x30, 0x31, 0x41, 0x0a, 0xff), { maxLength: 300 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(bytesArb, fc.array(fc.constantFrom(0x22, 0x30, 0x31, 0x41, 0xff), { minLength: 2, maxLength: 12 }), fc.nat(300), (haystack, pattern, start) => {
        const needle = Buffer.from(pattern);
        const from = Math.min(start, haystack.length);
        expect(new BigramSearch(needle).indexIn(haystack, from)).toBe(haystack.indexOf(needle, from));
      }),
      { numRuns: 2000 },
    );
  });

  it("finds patterns longer than its 255-byte move cap", () => {
    const pattern = Buffer.from(`"${"ab".repeat(200)}x"`);
    const haystack = Buffer.concat([Buffer.from("ab".repeat(500)), pattern, Buffer.from("tail")]);
    expect(new BigramSearch(pattern).indexIn(haystack, 0)).toBe(1000);
    expect(new BigramSearch(pattern).indexIn(haystack, 1001)).toBe(-1);
  });
});
