// The shape every `telemetry <command>` module exports.
import type { CliIo } from "./cli-io.js";
import type { ExitCode } from "./exit-code.js";

export interface Command {
  readonly name: string;
  /** One line for `telemetry --help`. */
  readonly summary: string;
  /** The full `telemetry <command> --help` text: usage, options, an example. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}
