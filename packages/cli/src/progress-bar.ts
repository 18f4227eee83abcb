// A one-line progress bar redrawn in place with \r, for terminals only:
// callers use it when the stream is a TTY and print a summary line otherwise.
import type { OutputStream } from "./cli-io.js";

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Ends the bar's line so the next output starts on a fresh one. */
  finish(): void;
}

const MIN_REDRAW_MS = 50;

export function createProgressBar(stream: OutputStream, label: string, now: () => number = () => performance.now()): ProgressBar {
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      // Redraw at most every 50 ms, but always draw the final state.
      if (done < total && t - lastDraw < MIN_REDRAW_MS) return;
      lastDraw = t;
      stream.write(`\r${renderProgressLine(label, done, total, stream.columns ?? 80)}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\n");
    },
  };
}

/** `import  [##########----------]  50%  60/120` sized to fit `columns`. */
export function renderProgressLine(label: string, done: number, total: number, columns: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const counts = `${String(Math.round(ratio * 100)).padStart(3)}%  ${done}/${total}`;
  const room = columns - label.length - counts.length - 6;
  const width = Math.max(10, Math.min(40, room));
  const filled = Math.round(ratio * width);
  return `${label}  [${"#".repeat(filled)}${"-".repeat(width - filled)}]  ${counts}`;
}
