// How figures read in tables and event lines. Fixed locale (en-US) so output
// is the same on every machine and stable for scripts and tests.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `1234567` -> `1,234,567`. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** US dollars with 4 decimals: per-invocation costs are often fractions of a cent. */
export function formatUsd(value: number): string {
  return `$${value.toFixed(4)}`;
}

/** A duration in milliseconds, at the precision a person needs: `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 3_600) {
    return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, "0")}s`;
  }
  const totalMinutes = Math.round(ms / 60_000);
  const days = Math.floor(totalMinutes / 1_440);
  const hours = Math.floor((totalMinutes % 1_440) / 60);
  const minutes = String(totalMinutes % 60).padStart(2, "0");
  return days > 0 ? `${days}d ${hours}h ${minutes}m` : `${hours}h ${minutes}m`;
}
