// Finds a byte string in a buffer: the search under the queries' pre-filter.
// Browser-safe (plain typed arrays).

/**
 * A Wu-Manber style search keyed on byte pairs: the pair at the end of the
 * window says how far the pattern can move. In JSON lines Buffer.indexOf
 * (Boyer-Moore-Horspool keyed on single bytes) keeps meeting quotes and
 * digits that the pattern also holds and moves a byte or two at a time;
 * almost no pair of a line is in the pattern, so this moves the whole
 * pattern length nearly every step (~1.4x faster on the benchmark log).
 */
export class BigramSearch {
  readonly #pattern: Uint8Array;
  /** How far the window may move when its last two bytes are this pair (0: check the window). */
  readonly #shift = new Uint8Array(65536);

  constructor(pattern: Uint8Array) {
    if (pattern.length < 2) throw new RangeError("BigramSearch needs a pattern of at least 2 bytes");
    this.#pattern = new Uint8Array(pattern);
    const m = pattern.length;
    // Shifts are capped at 255: a shorter move than possible is still correct.
    this.#shift.fill(Math.min(m - 1, 255));
    // Left to right, so the rightmost occurrence of a pair (the smallest move) wins.
    for (let i = 0; i < m - 1; i++) this.#shift[(pattern[i]! << 8) | pattern[i + 1]!] = Math.min(m - 2 - i, 255);
  }

  get length(): number {
    return this.#pattern.length;
  }

  /** Position of the first occurrence at or after `start` in `bytes`, or -1. */
  indexIn(source: Uint8Array, start: number): number {
    // Element loads from a plain Uint8Array are ~15% faster than from a
    // Buffer (a subclass), and they keep this loop monomorphic.
    const bytes = source.constructor === Uint8Array ? source : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    const pattern = this.#pattern;
    const shift = this.#shift;
    const m = pattern.length;
    const last = bytes.length - 1;
    // `i` is where the window's last pair starts; the window is [i - m + 2, i + 1].
    for (let i = start + m - 2; i < last; ) {
      const move = shift[(bytes[i]! << 8) | bytes[i + 1]!]!;
      if (move !== 0) {
        i += move;
        continue;
      }
      const from = i - m + 2;
      let k = 0;
      while (k < m - 2 && bytes[from + k] === pattern[k]) k++;
      if (k === m - 2) return from;
      i++;
    }
    return -1;
  }
}
