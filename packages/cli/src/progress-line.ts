// The one progress display of the CLI: a single line on stderr, redrawn in
// place, with the phase, done/total, rate and ETA. Every long job (import,
// verify, and the reading commands) reports through it; it draws only on a
// terminal and never with --json, so scripts and pipes see no progress.
import type { CliIo, OutputStream } from "./cli-io.js";
import { formatCount, formatDuration } from "./format-number.js";

export interface ProgressUpdate {
  /** What the job is doing now, e.g. "reading log", "importing", "verifying". */
  readonly phase: string;
  readonly done: number;
  /** Units in the whole phase; undefined when unknown (no bar, no ETA). */
  readonly total?: number | undefined;
  /** What is counted: "rows", "events", "bytes" (bytes are shown as MB). */
  readonly unit: string;
  /** The total is an estimate: shown as `~1,000,000`. */
  readonly estimated?: boolean;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  /** Removes the line, e.g. before printing a result line; the next update draws it again. */
  hide(): void;
  /** Removes the line for good. */
  finish(): void;
}

/** Redraws at most this often; a phase change and a finished phase always draw. */
const MIN_REDRAW_MS = 100;

const SILENT: Progress = { update: () => undefined, hide: () => undefined, finish: () => undefined };

/**
 * The progress line for a command: drawing on stderr when it is a terminal
 * and the command does not print JSON, silent otherwise.
 */
export function createProgress(io: Pick<CliIo, "stderr">, options: { json?: boolean | undefined } = {}): Progress {
  if (io.stderr.isTTY !== true || options.json === true) return SILENT;
  return createProgressLine(io.stderr);
}

export function createProgressLine(stream: OutputStream, now: () => number = () => performance.now()): Progress {
  let phase: string | undefined;
  let phaseStart = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let shown = false;
  const draw = (update: ProgressUpdate, t: number): void => {
    // A pseudo-terminal without a size reports 0 columns.
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
    const line = renderProgressLine(update, t - phaseStart, columns);
    // \x1b[K clears what a longer previous line left to the right.
    stream.write(`\r${line}\x1b[K`);
    shown = true;
    lastDraw = t;
  };
  return {
    update(update) {
      const t = now();
      if (update.phase !== phase) {
        phase = update.phase;
        phaseStart = t;
        draw(update, t);
        return;
      }
      const finished = update.total !== undefined && update.done >= update.total;
      // Also after hide(): a command printing results as it reads (query)
      // hides the line before each, and it comes back at most 10 times a second.
      if (finished || t - lastDraw >= MIN_REDRAW_MS) draw(update, t);
    },
    hide() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
    finish() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
      phase = undefined;
    },
  };
}

/** Bytes as MB: `12.3 MB` below 100 MB, then whole MB with thousands separators (`1,234 MB`). */
function formatAmount(value: number, unit: string): string {
  return unit === "bytes" ? `${value >= 1e8 ? formatCount(Math.round(value / 1e6)) : (value / 1e6).toFixed(1)} MB` : formatCount(value);
}

/**
 * `importing  [########------------]  40%  400,000/1,000,000 rows  112,000 rows/s  ETA 5.4s`,
 * fitted to `columns` (the bar shrinks first, then goes).
 */
export function renderProgressLine(update: ProgressUpdate, elapsedMs: number, columns: number): string {
  const { phase, done, total, unit } = update;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0.05 ? done / seconds : undefined;
  const rateText = rate === undefined ? "" : unit === "bytes" ? `  ${(rate / 1e6).toFixed(1)} MB/s` : `  ${formatCount(rate)} ${unit}/s`;
  if (total === undefined) {
    return `${phase}  ${formatAmount(done, unit)}${unit === "bytes" ? "" : ` ${unit}`}${rateText}  ${formatDuration(elapsedMs)}`.slice(0, Math.max(0, columns - 1));
  }
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${String(Math.floor(ratio * 100)).padStart(3)}%`;
  const approx = update.estimated === true && done < total ? "~" : "";
  const counts = unit === "bytes" ? `${formatAmount(done, unit)}/${approx}${formatAmount(total, unit)}` : `${formatCount(done)}/${approx}${formatCount(total)} ${unit}`;
  const remaining = rate !== undefined && rate > 0 ? ((total - done) / rate) * 1000 : undefined;
  const eta = done >= total ? "  done" : remaining === undefined ? "  ETA -" : `  ETA ${formatDuration(remaining)}`;
  const text = `${percent}  ${counts}${rateText}${eta}`;
  const room = columns - 1 - phase.length - text.length - 6;
  if (room < 8) return `${phase}  ${text}`.slice(0, Math.max(0, columns - 1));
  const width = Math.min(30, room);
  const filled = Math.round(ratio * width);
  return `${phase}  [${"#".repeat(filled)}${"-".repeat(width - filled)}]  ${text}`;
}
