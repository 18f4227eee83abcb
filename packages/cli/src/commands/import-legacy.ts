// `telemetry import-legacy <telemetry.db> --out <path>`: moves a legacy
// SQLite TelemetryLogger database into the event log, idempotently.
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { formatCount } from "../format-number.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { createProgressBar } from "../progress-bar.js";

const OPTIONS = {
  out: { type: "string", short: "o" },
  "max-size-bytes": { type: "string" },
  "max-backups": { type: "string" },
} as const;

export const importLegacyCommand: Command = {
  name: "import-legacy",
  summary: "move a legacy SQLite telemetry.db into an event log",
  help: `Usage: telemetry import-legacy <telemetry.db> --out <path> [--max-size-bytes N] [--max-backups N]

Reads the legacy TelemetryLogger database (read-only, never modified) and
appends each row of its invocations table to the event log at <path> as one
durable cost_update event, oldest first, through @telemetry/logger-compat.
Idempotent: invocations already in the log are skipped, so running it twice
imports nothing the second time. If the file is not a legacy database, or a
row is invalid, nothing is written.

Shows a progress bar on a terminal (stderr); always ends with one summary line.

Options:
  -o, --out <path>         the event log to append to (required; created if missing)
  --max-size-bytes N       rotate the log before it would exceed N bytes
  --max-backups N          rotated files to keep (default 1)

Example:
  $ telemetry import-legacy ~/.llm_service/telemetry.db --out logs/events.jsonl
  imported 120 invocations, skipped 0 already in the log (legacy telemetry.db -> logs/events.jsonl)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("import-legacy", args, OPTIONS, { min: 1, max: 1, names: "<telemetry.db>" });
    const dbPath = positionals[0] ?? "";
    if (values.out === undefined) throw new CliUsageError("--out <path> is required: the event log to import into");
    // Loaded on demand: it brings in better-sqlite3's native module, which no
    // other command needs, so `tail` or `query` never pay for it (or fail on it).
    const { checkLegacyDatabase, importLegacyDatabase, TelemetryLogger } = await import("@telemetry/logger-compat");
    // Checked before the log is opened: a rejected database must not leave an empty log behind.
    await checkLegacyDatabase(dbPath);
    const logger = await TelemetryLogger.open({
      path: values.out,
      ...(values["max-size-bytes"] === undefined ? {} : { maxSizeBytes: parseInteger(values["max-size-bytes"], "--max-size-bytes") }),
      ...(values["max-backups"] === undefined ? {} : { maxBackups: parseInteger(values["max-backups"], "--max-backups") }),
    });
    const bar = io.stderr.isTTY === true ? createProgressBar(io.stderr, "import") : undefined;
    let result;
    try {
      result = await importLegacyDatabase({ dbPath, logger, onProgress: ({ done, total }) => bar?.update(done, total) });
    } finally {
      bar?.finish();
      await logger.close();
    }
    io.stdout.write(
      `imported ${formatCount(result.imported)} invocation${result.imported === 1 ? "" : "s"}, skipped ${formatCount(result.skipped)} already in the log (${dbPath} -> ${values.out})\n`,
    );
    return ExitCode.OK;
  },
};
