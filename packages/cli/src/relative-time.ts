// Parses `--since`/`--until` values: relative durations ("30m", "2h", "7d")
// counted back from now, or absolute ISO 8601 dates and date-times.
import { CliUsageError } from "./cli-error.js";

const UNIT_MS = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])$/;
// Date.parse accepts far more than ISO (e.g. "March 7"); only ISO shapes are
// let through so a typo is an error rather than a surprising instant.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

// V8 rolls 2026-02-30 over to March 2 instead of rejecting it.
function isRealCalendarDate(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/**
 * Turns a time argument into an instant.
 * - `30s`, `30m`, `2h`, `7d`, `1w` (also `1.5h`): that long before `now`.
 * - `2026-02-13`: midnight UTC that day.
 * - `2026-02-13T10:00:00Z`, `...+02:00`: that instant; without an offset the
 *   time is read as UTC, like the timestamps in the log.
 * - `now`.
 * @throws {CliUsageError} naming the option and the accepted forms.
 */
export function parseTimeArgument(text: string, now: Date, option = "time"): Date {
  const value = text.trim();
  if (value.toLowerCase() === "now") return new Date(now.getTime());

  const relative = RELATIVE.exec(value);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = relative[2] as keyof typeof UNIT_MS;
    return new Date(now.getTime() - amount * UNIT_MS[unit]);
  }

  let iso: string | undefined;
  if (ISO_DATE.test(value)) iso = `${value}T00:00:00Z`;
  else {
    const match = ISO_DATE_TIME.exec(value);
    if (match) iso = match[1] === undefined ? `${value.replace(" ", "T")}Z` : value.replace(" ", "T");
  }
  if (iso !== undefined && isRealCalendarDate(value)) {
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new CliUsageError(
    `invalid ${option} "${text}": use a duration before now (30m, 2h, 7d) or an ISO time (2026-02-13, 2026-02-13T10:00:00Z)`,
  );
}

/**
 * A length of time for options such as `--max-age 30d`: `1500ms`, `30s`,
 * `2m`, `24h`, `7d`, `1w`, in ms.
 * @throws {CliUsageError} naming the option.
 */
export function parseDuration(text: string, option: string): number {
  const value = text.trim();
  const ms = /^(\d+)\s*ms$/.exec(value);
  if (ms) return Number(ms[1]);
  const relative = RELATIVE.exec(value);
  if (relative) return Math.round(Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  throw new CliUsageError(`invalid ${option} "${text}": expected a duration such as 1500ms, 30s, 2m, 24h or 30d`);
}
