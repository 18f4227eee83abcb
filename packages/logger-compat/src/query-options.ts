// Date filters of the legacy queries: inclusive UTC calendar dates.
import { InvalidOptionError } from "./errors.js";
import { utcDay } from "./instant.js";

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The UTC day number of a date filter: `YYYY-MM-DD`, or a Date (its UTC
 * calendar date); undefined when absent.
 * @throws {InvalidOptionError} naming the option.
 */
export function parseDayOption(option: string, value: string | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidOptionError(option, "received an invalid Date");
    return utcDay(value.getTime());
  }
  const match = typeof value === "string" ? DATE_ONLY.exec(value) : null;
  if (match !== null) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    // Date.UTC rolls 2026-02-30 over to March; a real calendar date round-trips.
    if (new Date(ms).toISOString().slice(0, 10) === value) return utcDay(ms);
  }
  throw new InvalidOptionError(option, `expected a calendar date "YYYY-MM-DD" or a Date, received ${JSON.stringify(value)}`);
}
