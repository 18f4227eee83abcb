// `telemetry import-legacy <telemetry.db> --out <path>`: moves a legacy
// SQLite TelemetryLogger database into the event log, idempotently.
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { formatCount } from "../format-number.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { createProgress } from "../progress-line.js";

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
durable (fdatasync'd) cost_update event, oldest first, through
@telemetry/logger-compat, in one streaming pass with bounded memory.

Idempotent and resumable: invocations already in the log are skipped, so a
second run imports nothing, and a run that was interrupted (Ctrl-C, a crash,
a full disk) or stopped at an invalid row (fix or delete it) is completed by
running the same command again: every row ends up in the log exactly once.
If the file is not a legacy database, nothing is written.

Needs the SQLite engine better-sqlite3@^12, installed separately (only this
command uses it): npm install better-sqlite3@^12, or with pnpm
pnpm add better-sqlite3@^12 and pnpm approve-builds.

Shows a progress line on a terminal (stderr): phase, done/total, rate, ETA.
Always ends with one summary line.

Options:
  -o, --out <path>         the event log to append to (required; created if missing)
  --max-size-bytes N       rotate the log before it would exceed N bytes
  --max-backups N          rotated files to keep (default 1)

Exit codes: 0 imported, 1 failed (e.g. no SQLite engine, a disk error),
            2 not a legacy database, an invalid row, or a usage error.

Example:
  $ telemetry import-legacy ~/.llm_service/telemetry.db --out logs/events.jsonl
  imported 120 invocations, skipped 0 already in the log (legacy telemetry.db -> logs/events.jsonl)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("import-legacy", args, OPTIONS, { min: 1, max: 1, names: "<telemetry.db>" });
    const dbPath = positionals[0] ?? "";
    if (values.out === undefined) throw new CliUsageError("--out <path> is required: the event log to import into");
    const maxSizeBytes = values["max-size-bytes"] === undefined ? undefined : parseInteger(values["max-size-bytes"], "--max-size-bytes");
    const maxBackups = values["max-backups"] === undefined ? undefined : parseInteger(values["max-backups"], "--max-backups");
    // Loaded on demand, as only this command needs it (it loads the SQLite engine itself, and only when it runs).
    const { importLegacyDatabase } = await import("@telemetry/logger-compat");
    const progress = createProgress(io);
    let result;
    try {
      result = await importLegacyDatabase({
        dbPath,
        path: values.out,
        ...(maxSizeBytes === undefined ? {} : { maxSizeBytes }),
        ...(maxBackups === undefined ? {} : { maxBackups }),
        onProgress: ({ phase, done, total }) =>
          progress.update(phase === "reading-log" ? { phase: "reading log", done, total, unit: "events" } : { phase: "importing", done, total, unit: "rows" }),
      });
    } finally {
      progress.finish();
    }
    io.stdout.write(
      `imported ${formatCount(result.imported)} invocation${result.imported === 1 ? "" : "s"}, skipped ${formatCount(result.skipped)} already in the log (${dbPath} -> ${values.out})\n`,
    );
    return ExitCode.OK;
  },
};
