// Timestamps as sortable numbers and UTC calendar days. Legacy rows carry
// microseconds, which `Date` truncates; ordering must still match the old
// `ORDER BY timestamp`, so the sub-millisecond digits are kept.
import { toInstant } from "@telemetry/reader";

const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch, sub-millisecond digits included as a fraction (the reader's one instant parser). */
export function instantKey(ts: string): number {
  const instant = toInstant(ts);
  if (instant === undefined) return Number.NaN;
  return instant.subMsNanos === 0 ? instant.ms : instant.ms + instant.subMsNanos / 1e6;
}

/** Days since the epoch of the UTC calendar date containing `key`. */
export function utcDay(key: number): number {
  return Math.floor(key / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a UTC day number. */
export function dayToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Start of a UTC day, in epoch milliseconds. */
export function dayStart(day: number): number {
  return day * MS_PER_DAY;
}

export { MS_PER_DAY };
