// `telemetry <command> [options]`: dispatch, top-level help and version,
// and the single place where errors become one line and an exit code.
import { CliUsageError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import type { Command } from "./command.js";
import { demoCommand } from "./commands/demo.js";
import { emitCommand } from "./commands/emit.js";
import { importLegacyCommand } from "./commands/import-legacy.js";
import { queryCommand } from "./commands/query.js";
import { serveCommand } from "./commands/serve.js";
import { statsCommand } from "./commands/stats.js";
import { tailCommand } from "./commands/tail.js";
import { verifyCommand } from "./commands/verify.js";
import { ExitCode } from "./exit-code.js";
import { describeError } from "./report-error.js";
import { readCliVersion } from "./version.js";

export const COMMANDS: readonly Command[] = [
  demoCommand,
  tailCommand,
  queryCommand,
  statsCommand,
  verifyCommand,
  serveCommand,
  emitCommand,
  importLegacyCommand,
];

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `telemetry: read, watch, check and write @telemetry JSONL event logs

Usage: telemetry <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Options:
  -h, --help     show help (also: telemetry <command> --help)
  -V, --version  print the version

Exit codes: 0 ok, 1 problems found (verify) or the command failed,
            2 usage error (unknown option, bad value, missing file).

Start here:
  telemetry demo
`;
}

/** True when `--help`/`-h` appears before a `--` separator. */
function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  let commandName = "";
  try {
    if (first === undefined) {
      io.stderr.write(topLevelHelp());
      return ExitCode.USAGE;
    }
    if (first === "--help" || first === "-h") {
      io.stdout.write(topLevelHelp());
      return ExitCode.OK;
    }
    if (first === "--version" || first === "-V" || first === "-v") {
      io.stdout.write(`${readCliVersion()}\n`);
      return ExitCode.OK;
    }
    if (first === "help") {
      const target = rest[0] === undefined ? undefined : findCommand(rest[0]);
      io.stdout.write(target ? target.help : topLevelHelp());
      return ExitCode.OK;
    }
    const command = findCommand(first);
    commandName = command.name;
    if (wantsHelp(rest)) {
      io.stdout.write(command.help);
      return ExitCode.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    const report = describeError(commandName, error, io.env);
    io.stderr.write(`${report.line}\n`);
    if (io.env.TELEMETRY_DEBUG === "1" && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return report.exitCode;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const hint = name.startsWith("-") ? `unknown option ${name}` : `unknown command "${name}"`;
  throw new CliUsageError(`${hint} (commands: ${COMMANDS.map((c) => c.name).join(", ")}; see: telemetry --help)`);
}
