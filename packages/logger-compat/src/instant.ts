// Timestamps as sortable numbers and UTC calendar days. Legacy rows carry
// microseconds, which `Date` truncates; ordering must still match the old
// `ORDER BY timestamp`, so the sub-millisecond digits are kept.

const MS_PER_DAY = 86_400_000;
const FRACTION = /T\d{2}:\d{2}:\d{2}\.(\d+)/;

/** Milliseconds since the epoch, sub-millisecond digits included as a fraction. */
export function instantKey(ts: string): number {
  const ms = Date.parse(ts);
  const digits = FRACTION.exec(ts)?.[1];
  if (digits === undefined || digits.length <= 3) return ms;
  // Date.parse truncates toward -infinity within the second; the extra digits extend it.
  return ms + Number(`0.${digits.slice(3)}`);
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
