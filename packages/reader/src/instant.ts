// Timestamps compared as instants, not strings: real logs mix `Z` and
// `+00:00`, and Python writes microseconds that Date keeps only to the millisecond.

/** A point in time: epoch milliseconds plus nanoseconds within that millisecond. */
export interface Instant {
  readonly ms: number;
  readonly subMsNanos: number;
}

const FRACTION = /T\d\d:\d\d:\d\d\.(\d+)/;

/** Parses an ISO 8601 timestamp (or a Date); undefined when it is not one. */
export function toInstant(value: string | Date): Instant | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : { ms, subMsNanos: 0 };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const digits = FRACTION.exec(value)?.[1] ?? "";
  const subMsNanos = digits.length > 3 ? Number(digits.slice(3, 9).padEnd(6, "0")) : 0;
  return { ms, subMsNanos };
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.subMsNanos - b.subMsNanos;
}
