// What a reader reports about a line it could not turn into an event, and the
// error strict mode throws for it. Browser-safe: used by the chunk parser.

/** Why a line was skipped; `reason` carries the human-readable detail. */
export type InvalidLineKind = "torn" | "nul" | "utf8" | "json" | "schema" | "too_long";

/** A line that was skipped and reported instead of yielded. */
export interface InvalidLine {
  /** The file (or stream name) the line came from. */
  readonly file: string;
  /** 1-based line number within that file (blank lines count). */
  readonly line: number;
  /** Byte offset of the line's first byte within that file. */
  readonly offset: number;
  /** What was wrong, e.g. `invalid JSON: Unexpected end of JSON input`. */
  readonly reason: string;
  /** The start of the line as text, at most 200 characters (invalid UTF-8 shown as U+FFFD). */
  readonly excerpt: string;
  /** Machine-readable category of `reason`. */
  readonly kind: InvalidLineKind;
}

/** Thrown by strict reads at the first invalid line; carries the same fields as {@link InvalidLine}. */
export class InvalidLineError extends Error {
  readonly code = "INVALID_LINE" as const;
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly reason: string;
  readonly excerpt: string;
  readonly kind: InvalidLineKind;

  constructor(issue: InvalidLine) {
    super(`${issue.file}:${issue.line}:${issue.offset} ${issue.reason}`);
    this.name = "InvalidLineError";
    this.file = issue.file;
    this.line = issue.line;
    this.offset = issue.offset;
    this.reason = issue.reason;
    this.excerpt = issue.excerpt;
    this.kind = issue.kind;
  }

  /** The plain report, e.g. to log it as JSON. */
  toInvalidLine(): InvalidLine {
    return { file: this.file, line: this.line, offset: this.offset, reason: this.reason, excerpt: this.excerpt, kind: this.kind };
  }
}
