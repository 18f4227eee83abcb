// What happens to a failed `record` when the caller gave no `onError`: one
// stderr line per distinct error code, then only counts, so a service that
// records a bad event in a hot loop gets a diagnosis, not a flood.
import { addExitHook, removeExitHook } from "./exit-hook.js";

/** Receives every failure of `record`: the error and the input it was given. */
export type RecordErrorHandler = (error: Error, input: unknown) => void;

/** Repeats of one code are summed up at most this often (and at close and exit). */
export const REPEAT_REPORT_INTERVAL_MS = 60_000;

interface CodeCount {
  repeats: number;
  reportedAt: number;
}

/** The stable code of a failure: `EVENT_INVALID`, a `WriterErrorCode`, or an OS code such as `ENOSPC`. */
export function errorCodeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.length > 0 ? code : error.name;
}

export class RecordErrorReport {
  private readonly path: string;
  private readonly write: (line: string) => void;
  private readonly codes = new Map<string, CodeCount>();
  /** Installed while repeats wait to be summed up, so they are printed at exit even after close(). */
  private readonly exitHook = (): void => this.flush();
  private hooked = false;

  constructor(path: string, write: (line: string) => void = (line) => process.stderr.write(line)) {
    this.path = path;
    this.write = write;
  }

  report(error: Error): void {
    const code = errorCodeOf(error);
    const now = Date.now();
    const seen = this.codes.get(code);
    if (seen === undefined) {
      this.codes.set(code, { repeats: 0, reportedAt: now });
      this.print(`record() to ${this.path} failed with ${code}: ${error.message} (further ${code} failures are counted, not printed; pass onError to handle them)`);
      return;
    }
    seen.repeats++;
    if (now - seen.reportedAt >= REPEAT_REPORT_INTERVAL_MS) this.summarize(code, seen, now);
    else if (!this.hooked) {
      this.hooked = true;
      addExitHook(this.exitHook);
    }
  }

  /** Prints the repeats not yet reported (at close and at process exit). */
  flush(): void {
    const now = Date.now();
    for (const [code, seen] of this.codes) if (seen.repeats > 0) this.summarize(code, seen, now);
    if (this.hooked) {
      this.hooked = false;
      removeExitHook(this.exitHook);
    }
  }

  private summarize(code: string, seen: CodeCount, now: number): void {
    this.print(`record() to ${this.path}: ${code} repeated ${seen.repeats} more time(s) in the last ${Math.max(1, Math.round((now - seen.reportedAt) / 1000))} s`);
    seen.repeats = 0;
    seen.reportedAt = now;
  }

  private print(message: string): void {
    try {
      this.write(`@telemetry/writer: ${message}\n`);
    } catch {
      // stderr closed (EPIPE): the failure is still counted in writerStats.
    }
  }
}
