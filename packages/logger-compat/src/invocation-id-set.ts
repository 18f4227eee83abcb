// The ids already in a log, in a fixed 16 bytes each: a Set of 1,000,000
// UUID strings costs ~100 MB of heap, which alone would break the import's
// memory bound. An id is kept as a 128-bit hash; two different ids are
// taken for one only on a full 128-bit collision (for a million ids on
// each side, odds of about 1 in 10^26).

/** Slot words: four 32-bit hash words; all-zero marks an empty slot. */
const WORDS = 4;
/** Open addressing stays fast up to this share of slots in use. */
const MAX_LOAD = 0.7;

/** Slots for `count` ids at the load bound; not a power of two, so 1,000,000 ids take 23 MB, not 32. */
function slotsFor(count: number): number {
  return Math.max(1024, Math.ceil(count / MAX_LOAD) + 1);
}

export class InvocationIdSet {
  #slots: Uint32Array;
  #capacity: number;
  #size = 0;
  readonly #h = new Uint32Array(WORDS);

  /** `expected`: how many ids will be added (more is fine: the table grows). */
  constructor(expected = 0) {
    this.#capacity = slotsFor(expected);
    this.#slots = new Uint32Array(this.#capacity * WORDS);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds `id`; returns false if it was already there. */
  add(id: string): boolean {
    hash128(id, this.#h);
    if (this.#find(this.#h) >= 0) return false;
    if (this.#size + 1 > this.#capacity * MAX_LOAD) this.#grow();
    this.#insert(this.#h);
    this.#size++;
    return true;
  }

  has(id: string): boolean {
    hash128(id, this.#h);
    return this.#find(this.#h) >= 0;
  }

  /** The slot index holding `h`, or -1. Linear probing from the first word. */
  #find(h: Uint32Array): number {
    const slots = this.#slots;
    for (let i = h[0]! % this.#capacity; ; i = i + 1 === this.#capacity ? 0 : i + 1) {
      const at = i * WORDS;
      const w0 = slots[at]!;
      if (w0 === 0 && slots[at + 1] === 0 && slots[at + 2] === 0 && slots[at + 3] === 0) return -1;
      if (w0 === h[0] && slots[at + 1] === h[1] && slots[at + 2] === h[2] && slots[at + 3] === h[3]) return i;
    }
  }

  #insert(h: Uint32Array): void {
    const slots = this.#slots;
    for (let i = h[0]! % this.#capacity; ; i = i + 1 === this.#capacity ? 0 : i + 1) {
      const at = i * WORDS;
      if (slots[at] === 0 && slots[at + 1] === 0 && slots[at + 2] === 0 && slots[at + 3] === 0) {
        slots.set(h, at);
        return;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity = slotsFor(this.#size * 2);
    this.#slots = new Uint32Array(this.#capacity * WORDS);
    const h = new Uint32Array(WORDS);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at] === 0 && old[at + 1] === 0 && old[at + 2] === 0 && old[at + 3] === 0) continue;
      h.set(old.subarray(at, at + WORDS));
      this.#insert(h);
    }
  }
}

/**
 * Two independently seeded cyrb53 passes (a well-mixed 2 x 32-bit
 * multiplicative hash), keeping all four 32-bit words. Runs on UTF-16 code
 * units, so no encoding step. Never all-zero (that marks an empty slot).
 */
export function hash128(id: string, out: Uint32Array): void {
  let a1 = 0xdeadbeef ^ 0x9e3779b9;
  let a2 = 0x41c6ce57 ^ 0x9e3779b9;
  let b1 = 0xdeadbeef ^ 0x85ebca6b;
  let b2 = 0x41c6ce57 ^ 0x85ebca6b;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2246822519);
    b2 = Math.imul(b2 ^ ch, 3266489917);
  }
  a1 = Math.imul(a1 ^ (a1 >>> 16), 2246822507);
  a1 ^= Math.imul(a2 ^ (a2 >>> 13), 3266489909);
  a2 = Math.imul(a2 ^ (a2 >>> 16), 2246822507);
  a2 ^= Math.imul(a1 ^ (a1 >>> 13), 3266489909);
  b1 = Math.imul(b1 ^ (b1 >>> 16), 2246822507);
  b1 ^= Math.imul(b2 ^ (b2 >>> 13), 3266489909);
  b2 = Math.imul(b2 ^ (b2 >>> 16), 2246822507);
  b2 ^= Math.imul(b1 ^ (b1 >>> 13), 3266489909);
  out[0] = a1;
  out[1] = a2;
  out[2] = b1;
  out[3] = b2 === 0 && a1 === 0 && a2 === 0 && b1 === 0 ? 1 : b2;
}
