// The one seeded generator behind every piece of fake data: the demo's runs and
// the bench's logs. Seeded, so a figure or a screenshot is the same on every machine.

/**
 * mulberry32: a tiny, well-distributed 32-bit PRNG; enough for plausible fake
 * data, not for anything secret. Returns floats in [0, 1), like `Math.random`.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
