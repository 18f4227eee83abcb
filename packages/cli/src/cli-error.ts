// Errors the CLI reports as one line on stderr with exit code 2: the user
// asked for something we cannot do (bad flag, bad time, missing file).

/** A mistake in how the command was called or in what it was pointed at. Exit code 2. */
export class CliUsageError extends Error {
  readonly code = "CLI_USAGE" as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliUsageError";
  }
}
