// The `ts` rule as a plain predicate, for packages that check timestamps
// outside an event (legacy rows, CLI arguments) without a zod dependency.
import { timestampSchema } from "./event-schema.js";

/** The very regular expression zod applies to `ts` (calendar-checked, leap years included). */
export const TIMESTAMP_PATTERN: RegExp = (timestampSchema._zod as unknown as { pattern: RegExp }).pattern;

/** True if `value` is a valid `ts`: ISO 8601 date-time with an offset (`Z` or `±hh:mm`). */
export function isTimestamp(value: unknown): value is string {
  return typeof value === "string" && TIMESTAMP_PATTERN.test(value);
}
