// Exact sums of decimal amounts (costs in dollars): each number is taken as
// the shortest decimal that reads back as it, which is what a log holds
// ("0.0087"), and those decimals are added as integers. The total is the
// same whatever the order or grouping of the additions, and prints without
// binary noise (0.6, never 0.6000000000000001).

/** 10^n for the scales a double's shortest decimal can need without an exponent. */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
export const MAX_FAST_SCALE = 15;

/** Decimal digits after the point `value` needs, if few enough for integer arithmetic in a double; else -1. */
export function fastScale(value: number): number {
  for (let scale = 0; scale <= MAX_FAST_SCALE; scale++) {
    const units = Math.round(value * POW10[scale]!);
    if (!Number.isSafeInteger(units)) return -1;
    if (units / (POW10[scale] ?? 1) === value) return scale;
  }
  return -1;
}

/** The shortest decimal of `value` as integer units and a scale (value = units / 10^scale). */
export function exactDecimal(value: number): { units: bigint; scale: number } {
  const [mantissa = "0", exponent = "0"] = String(value).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  const scale = fraction.length - Number(exponent);
  const units = BigInt(whole + fraction);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

export class DecimalSum {
  /** The sum is units / 10^scale: in a double while it stays a safe integer, else in a bigint. */
  #units = 0;
  #big: bigint | undefined;
  #scale = 0;

  add(value: number): void {
    if (value === 0 || !Number.isFinite(value)) return;
    if (this.#big === undefined) {
      const scale = fastScale(value);
      if (scale !== -1) {
        const target = Math.max(scale, this.#scale);
        const units = this.#units * POW10[target - this.#scale]!;
        const sum = units + Math.round(value * POW10[scale]!) * POW10[target - scale]!;
        if (target <= MAX_FAST_SCALE && Number.isSafeInteger(units) && Number.isSafeInteger(sum)) {
          this.#units = sum;
          this.#scale = target;
          return;
        }
      }
      this.#big = BigInt(this.#units);
    }
    const { units, scale } = exactDecimal(value);
    if (scale > this.#scale) {
      this.#big *= 10n ** BigInt(scale - this.#scale);
      this.#scale = scale;
    }
    this.#big += units * 10n ** BigInt(this.#scale - scale);
  }

  /** The double nearest to the exact sum. */
  get value(): number {
    if (this.#big === undefined) return this.#scale === 0 ? this.#units : this.#units / POW10[this.#scale]!;
    return Number(`${this.#big}e-${this.#scale}`);
  }
}
