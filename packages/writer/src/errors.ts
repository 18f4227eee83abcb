// Typed writer errors: a stable `code` for the writer's own refusals, and the
// operating system's `code` (ENOSPC, EIO, EACCES, ...) kept for I/O failures.

/** Codes for refusals decided by the writer itself. */
export const WriterErrorCode = {
  /** `emit` after `close()`. */
  WRITER_CLOSED: "WRITER_CLOSED",
  /** The in-memory queue already holds `maxQueueBytes`; the event was not queued. */
  QUEUE_FULL: "QUEUE_FULL",
  /** The serialized line is larger than `maxEventBytes`; nothing was written. */
  EVENT_TOO_LARGE: "EVENT_TOO_LARGE",
  /** An option passed to `openEventWriter` is invalid. */
  INVALID_OPTION: "INVALID_OPTION",
  /**
   * The log, a rotated file or the lock file is a FIFO, socket, device or
   * directory. (A symbolic link is refused with the OS code `ELOOP`; a path
   * under a regular file with `ENOTDIR`.)
   */
  NOT_REGULAR_FILE: "NOT_REGULAR_FILE",
} as const;

export type WriterErrorCode = (typeof WriterErrorCode)[keyof typeof WriterErrorCode];

/**
 * An operating-system error code such as `ENOSPC`, `EIO` or `EACCES`, kept
 * as Node reported it so callers can branch on it.
 */
export type OsErrorCode = string & { readonly __os?: never };

export class WriterError extends Error {
  /** A {@link WriterErrorCode}, or the OS code of the failed system call. */
  readonly code: WriterErrorCode | OsErrorCode;
  /** The file the failed operation was about, when there is one. */
  readonly path: string | undefined;
  /** The failed system call (`write`, `fdatasync`, `open`, ...), for OS errors. */
  readonly syscall: string | undefined;

  constructor(code: WriterErrorCode | OsErrorCode, message: string, options: { path?: string; syscall?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WriterError";
    this.code = code;
    this.path = options.path;
    this.syscall = options.syscall;
  }
}

interface ErrnoLike {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** The OS code of a Node system error (`ENOSPC`, ...), or undefined. */
export function osCodeOf(error: unknown): string | undefined {
  const code = (error as ErrnoLike | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Wraps a Node system error so it says what the writer was doing and on
 * which file, while keeping the OS `code` and the original as `cause`.
 */
export function wrapOsError(error: unknown, doing: string, path: string): WriterError {
  if (error instanceof WriterError) return error;
  const code = osCodeOf(error) ?? "EUNKNOWN";
  const syscallRaw = (error as ErrnoLike | null)?.syscall;
  const syscall = typeof syscallRaw === "string" ? syscallRaw : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return new WriterError(code, `${doing} ${path} failed: ${detail}`, {
    path,
    ...(syscall === undefined ? {} : { syscall }),
    cause: error,
  });
}
