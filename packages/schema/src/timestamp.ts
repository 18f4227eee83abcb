// The `ts` rule as a plain predicate, for packages that check timestamps
// outside an event (legacy rows, CLI arguments) without a zod dependency.
import { timestampSchema, YEAR_ZERO_PATTERN } from "./event-schema.js";

const DATE_TIME_PATTERN: RegExp = (timestampSchema._zod as unknown as { pattern: RegExp }).pattern;

/**
 * The two regular expressions zod applies to `ts` as one: the date-time
 * (calendar-checked, leap years included) and the year range 0001-9999.
 */
export const TIMESTAMP_PATTERN = new RegExp(`${YEAR_ZERO_PATTERN.source}${DATE_TIME_PATTERN.source.replace(/^\^/, "")}`);

/** True if `value` is a valid `ts`: ISO 8601 date-time with an offset (`Z` or `±hh:mm`), years 0001-9999. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === "string" && TIMESTAMP_PATTERN.test(value);
}
