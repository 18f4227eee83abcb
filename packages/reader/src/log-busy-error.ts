// A log whose files never held still long enough to be opened consistently.

/** The rotated files kept changing (renames in progress) on every attempt to open them together. */
export class LogBusyError extends Error {
  readonly code = "LOG_BUSY" as const;
  readonly path: string;

  constructor(path: string, attempts: number) {
    super(`${path}: its rotated files kept changing while being opened (${attempts} attempts); a rotation storm?`);
    this.name = "LogBusyError";
    this.path = path;
  }
}
