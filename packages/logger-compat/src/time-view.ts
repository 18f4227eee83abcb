// A set of rows sorted by timestamp, with running totals, so a statistics
// window is two binary searches and a subtraction instead of a scan. Rows
// arriving in time order (the normal case: now, or an import in timestamp
// order) extend it in O(1). A row that arrives late (another process's line
// written a moment after ours, a backfill) is inserted in place with one
// memmove, and the totals after it are recomputed at the next query; past
// MAX_INSERTS late rows between two queries one full sort is cheaper.
import { DecimalPrefixSums } from "@telemetry/reader";

export interface RowFigures {
  key(row: number): number;
  cost(row: number): number;
  tokens(row: number): number;
  latency(row: number): number;
  /** 1 for a success, else 0. */
  success(row: number): number;
  /** 1 for an error, else 0. */
  error(row: number): number;
}

export interface WindowTotals {
  readonly count: number;
  readonly cost: number;
  readonly tokens: number;
  readonly latency: number;
  readonly successes: number;
  readonly errors: number;
}

const MAX_INSERTS = 256;

export class TimeView {
  private rowIds = new Int32Array(64);
  private keyOf = new Float64Array(64);
  // Running totals: entry i is the sum over the first i rows.
  // Exact: a window's cost is a difference of two running totals, which in
  // binary floating point would carry noise (0.008700000000000152).
  private readonly sumCost = new DecimalPrefixSums(64);
  private sumTokens = new Float64Array(65);
  private sumLatency = new Float64Array(65);
  private sumSuccess = new Float64Array(65);
  private sumError = new Float64Array(65);
  private size = 0;
  private sorted = true;
  /** Totals are valid for sorted positions before this one. */
  private totalsUpTo = 0;
  private inserts = 0;

  constructor(private readonly figures: RowFigures) {}

  get length(): number {
    return this.size;
  }

  push(row: number): void {
    if (this.size === this.rowIds.length) this.grow();
    const key = this.figures.key(row);
    const last = this.size;
    // Equal keys keep log order, as the legacy ORDER BY timestamp kept rowid order under its index.
    if (!this.sorted || last === 0 || key >= this.keyOf[last - 1]!) {
      this.rowIds[last] = row;
      this.keyOf[last] = key;
      this.size++;
      if (this.sorted && this.totalsUpTo === last) this.extendTotals(last);
      return;
    }
    if (++this.inserts > MAX_INSERTS) {
      this.rowIds[last] = row;
      this.keyOf[last] = key;
      this.size++;
      this.sorted = false;
      return;
    }
    const at = this.upperBound(key);
    this.rowIds.copyWithin(at + 1, at, last);
    this.keyOf.copyWithin(at + 1, at, last);
    this.rowIds[at] = row;
    this.keyOf[at] = key;
    this.size++;
    this.totalsUpTo = Math.min(this.totalsUpTo, at);
  }

  /** Row at sorted position `i` (0 = oldest). */
  rowAt(i: number): number {
    this.ensureSorted();
    return this.rowIds[i]!;
  }

  /** First sorted position whose key is >= `key`. */
  lowerBound(key: number): number {
    this.ensureSorted();
    return this.search(key, false);
  }

  private upperBound(key: number): number {
    return this.search(key, true);
  }

  private search(key: number, after: boolean): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyOf[mid]!;
      if (k < key || (after && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Totals over sorted positions [from, to). */
  totals(from: number, to: number): WindowTotals {
    this.ensureSorted();
    const span = (sums: Float64Array): number => (from === 0 ? sums[to]! : sums[to]! - sums[from]!);
    return {
      count: to - from,
      cost: this.sumCost.span(from, to),
      tokens: span(this.sumTokens),
      latency: span(this.sumLatency),
      successes: span(this.sumSuccess),
      errors: span(this.sumError),
    };
  }

  /** Sets the totals through position `i` from those before it. */
  private extendTotals(i: number): void {
    const row = this.rowIds[i]!;
    const f = this.figures;
    this.sumCost.set(i, f.cost(row));
    this.sumTokens[i + 1] = this.sumTokens[i]! + f.tokens(row);
    this.sumLatency[i + 1] = this.sumLatency[i]! + f.latency(row);
    this.sumSuccess[i + 1] = this.sumSuccess[i]! + f.success(row);
    this.sumError[i + 1] = this.sumError[i]! + f.error(row);
    this.totalsUpTo = i + 1;
  }

  private ensureSorted(): void {
    if (!this.sorted) {
      const rows = this.rowIds.subarray(0, this.size);
      const keyOf = this.figures.key.bind(this.figures);
      rows.sort((a, b) => keyOf(a) - keyOf(b) || a - b);
      for (let i = 0; i < this.size; i++) this.keyOf[i] = keyOf(rows[i]!);
      this.sorted = true;
      this.totalsUpTo = 0;
    }
    this.inserts = 0;
    for (let i = this.totalsUpTo; i < this.size; i++) this.extendTotals(i);
  }

  private grow(): void {
    const capacity = this.rowIds.length * 2;
    const widen = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T, n: number): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.rowIds = widen(this.rowIds, (n) => new Int32Array(n), capacity);
    this.keyOf = widen(this.keyOf, (n) => new Float64Array(n), capacity);
    const f64 = (n: number) => new Float64Array(n);
    this.sumCost.grow(capacity);
    this.sumTokens = widen(this.sumTokens, f64, capacity + 1);
    this.sumLatency = widen(this.sumLatency, f64, capacity + 1);
    this.sumSuccess = widen(this.sumSuccess, f64, capacity + 1);
    this.sumError = widen(this.sumError, f64, capacity + 1);
  }
}
