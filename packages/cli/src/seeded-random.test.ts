import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.js";

describe("seededRandom", () => {
  it("gives the same sequence for the same seed, so demo data and bench logs repeat exactly", () => {
    const a = seededRandom(20260213);
    const b = seededRandom(20260213);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
  });

  it("keeps mulberry32's exact sequence, so a seed still means the same demo data after an upgrade", () => {
    expect(Array.from({ length: 3 }, seededRandom(1))).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it("gives different sequences for different seeds and stays within [0, 1)", () => {
    const a = Array.from({ length: 1000 }, seededRandom(1));
    const b = Array.from({ length: 1000 }, seededRandom(2));
    expect(a).not.toEqual(b);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });
});
