import { describe, expect, it } from "vitest";
import { hash128, InvocationIdSet } from "./invocation-id-set.js";

describe("InvocationIdSet", () => {
  it("remembers every id added, across growth, and nothing else", () => {
    const ids = new InvocationIdSet(10);
    let added = 0;
    let found = 0;
    let foundAbsent = 0;
    for (let i = 0; i < 50_000; i++) if (ids.add(`inv-${i}`)) added++;
    for (let i = 0; i < 50_000; i++) if (ids.has(`inv-${i}`)) found++;
    for (let i = 50_000; i < 100_000; i++) if (ids.has(`inv-${i}`)) foundAbsent++;
    expect({ added, found, foundAbsent }).toEqual({ added: 50_000, found: 50_000, foundAbsent: 0 });
    expect(ids.size).toBe(50_000);
    expect(ids.add("inv-7")).toBe(false);
    expect(ids.size).toBe(50_000);
  });

  it("tells ids apart that differ in one character, in length, or only beyond the BMP", () => {
    const ids = new InvocationIdSet();
    ids.add("a");
    ids.add("ab");
    ids.add("caf\u00e9-\u{1F600}");
    expect(ids.has("b")).toBe(false);
    expect(ids.has("ab\u0000")).toBe(false);
    expect(ids.has("")).toBe(false);
    expect(ids.has("caf\u00e9-\u{1F601}")).toBe(false);
    expect(ids.has("caf\u00e9-\u{1F600}")).toBe(true);
  });

  it("gives 200,000 UUIDs 200,000 distinct 128-bit hashes", () => {
    const seen = new Set<string>();
    const h = new Uint32Array(4);
    for (let i = 0; i < 200_000; i++) {
      hash128(crypto.randomUUID(), h);
      seen.add(`${h[0]}.${h[1]}.${h[2]}.${h[3]}`);
    }
    expect(seen.size).toBe(200_000);
  });
});
