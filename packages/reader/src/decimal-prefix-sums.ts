// Running totals of decimal amounts that answer "the sum over rows [from,
// to)" exactly with one subtraction: integer units at a common decimal
// scale, in a Float64Array while they stay safe integers, in bigints after.
// A window's cost is then the same whatever was asked before and prints
// without binary noise.
import { exactDecimal, fastScale, MAX_FAST_SCALE, POW10 } from "./decimal-sum.js";

export class DecimalPrefixSums {
  /** Entry i is the sum of the first i values, in units of 10^-scale. */
  #small: Float64Array | undefined;
  #big: bigint[] | undefined;
  #scale = 0;

  constructor(capacity: number) {
    this.#small = new Float64Array(capacity + 1);
  }

  /** Room for `capacity` values (entries 0..capacity). */
  grow(capacity: number): void {
    if (this.#small !== undefined && this.#small.length < capacity + 1) {
      const next = new Float64Array(capacity + 1);
      next.set(this.#small);
      this.#small = next;
    }
  }

  /** Sets entry i + 1 to entry i plus `value` (entries after i + 1 become stale until set). */
  set(i: number, value: number): void {
    if (this.#small !== undefined) {
      const scale = Number.isFinite(value) ? fastScale(value) : 0;
      if (scale !== -1 && this.#rescaleSmall(i, Math.max(scale, this.#scale))) {
        const sum = this.#small[i]! + Math.round(value * POW10[scale]!) * POW10[this.#scale - scale]!;
        if (Number.isSafeInteger(sum)) {
          this.#small[i + 1] = sum;
          return;
        }
      }
      this.#toBig(i);
    }
    const big = this.#big!;
    const { units, scale } = Number.isFinite(value) ? exactDecimal(value) : { units: 0n, scale: 0 };
    if (scale > this.#scale) {
      const factor = 10n ** BigInt(scale - this.#scale);
      for (let j = 0; j <= i; j++) big[j] = big[j]! * factor;
      this.#scale = scale;
    }
    big[i + 1] = big[i]! + units * 10n ** BigInt(this.#scale - scale);
  }

  /** The exact sum of values [from, to), as the nearest double. */
  span(from: number, to: number): number {
    if (this.#small !== undefined) return (this.#small[to]! - this.#small[from]!) / POW10[this.#scale]!;
    const units = this.#big![to]! - this.#big![from]!;
    return Number(`${units}e-${this.#scale}`);
  }

  /** Brings entries 0..i to `scale` if they stay safe integers; false otherwise. */
  #rescaleSmall(i: number, scale: number): boolean {
    if (scale === this.#scale) return true;
    if (scale > MAX_FAST_SCALE) return false;
    const small = this.#small!;
    const factor = POW10[scale - this.#scale]!;
    // Costs are never negative, so the last entry is the largest.
    if (!Number.isSafeInteger(small[i]! * factor)) return false;
    for (let j = 0; j <= i; j++) small[j] = small[j]! * factor;
    this.#scale = scale;
    return true;
  }

  #toBig(i: number): void {
    const small = this.#small!;
    this.#big = Array.from({ length: i + 1 }, (_, j) => BigInt(small[j]!));
    this.#small = undefined;
  }
}
