// The one error a lenient read still throws: there is no log at all.

/** No live file and no rotated file exists at the path. Keeps the OS error as `cause`. */
export class LogNotFoundError extends Error {
  readonly code = "ENOENT" as const;
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(`No telemetry log at ${path} (neither the file nor any rotated ${path}.N exists)`, { cause });
    this.name = "LogNotFoundError";
    this.path = path;
  }
}
