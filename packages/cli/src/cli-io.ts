// What a command may touch of the outside world. bin.ts passes the real
// process; unit tests pass buffers, so commands never reach for globals.

export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal: decides colors and progress bars. */
  readonly isTTY?: boolean | undefined;
  /** Terminal width in columns, when known. */
  readonly columns?: number | undefined;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * An AbortSignal that aborts on Ctrl-C (SIGINT) or SIGTERM. Only commands
   * that run until interrupted ask for it, so every other command keeps the
   * default "die on Ctrl-C" behaviour.
   */
  interruptSignal(): AbortSignal;
  /**
   * How the user started us, for commands we suggest: `telemetry` when run
   * through the installed bin, `node packages/cli/dist/bin.js` otherwise.
   */
  readonly programName: string;
  /** The current time; injectable so relative times (`2h`) are testable. */
  now(): Date;
}
