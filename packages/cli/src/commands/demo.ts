// `telemetry demo [dir]`: the README's first command. Simulates an agent
// run through the real writer, then reads it back through the real reader.
import { mkdir, mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { readEvents, rollupCosts, summarizeRuns } from "@telemetry/reader";
import { openEventWriter, type EventWriter } from "@telemetry/writer";
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { simulateAgentRuns, type DemoPlan } from "../demo-simulation.js";
import { ExitCode } from "../exit-code.js";
import { formatCount } from "../format-number.js";
import { OUTPUT_OPTIONS, stdoutColors } from "../output-options.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { serveDemo } from "../serve-demo.js";
import { shellQuote } from "../shell-quote.js";
import { countSkippedLines } from "../skipped-lines.js";
import { renderCostTable, renderRunTable, sortRollup } from "../summary-tables.js";

const { color, "no-color": noColor } = OUTPUT_OPTIONS;
const OPTIONS = { color, "no-color": noColor, serve: { type: "boolean" }, port: { type: "string", short: "p" } } as const;

/** Small enough that the demo's ~1,000 events rotate several times. */
export const DEMO_MAX_SIZE_BYTES = 48 * 1024;
/** Enough backups that rotation never deletes a demo event. */
export const DEMO_MAX_BACKUPS = 100;
export const DEMO_LOG_NAME = "events.jsonl";

export const demoCommand: Command = {
  name: "demo",
  summary: "simulate an agent run into a fresh log, then read it back",
  help: `Usage: telemetry demo [dir] [--serve [--port N]] [--no-color]

Simulates an agent-orchestration service: 5 runs of 8 tasks (planner,
coder, reviewer, tester) running at once, each run with its own writer on
the same log, 3 tasks at a time per run (15 concurrent producers awaiting
their own emits), tool executions with token costs on cost_update events,
and one task that fails. Every event goes through @telemetry/writer (fsync'd
before it is acknowledged) into <dir>/${DEMO_LOG_NAME}, rotating every ${DEMO_MAX_SIZE_BYTES / 1024} KiB.
Then it reads the log back through @telemetry/reader and prints the runs and
the costs by model, and commands to try next. Takes a second or two.

<dir> defaults to a new temporary directory; an existing <dir> must not
already hold a ${DEMO_LOG_NAME}.

With --serve it then serves the log as \`telemetry serve\` does (on
127.0.0.1, --port N or a free port), prints the page's URL, plays one more
run live at a human pace so the page shows it happening, and keeps serving
until Ctrl-C.

Example:
  $ telemetry demo /tmp/demo
  $ telemetry demo --serve
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("demo", args, OPTIONS, { min: 0, max: 1, names: "[dir]" });
    if (values.port !== undefined && values.serve !== true) throw new CliUsageError("--port needs --serve (see: telemetry demo --help)");
    const port = values.port === undefined ? 0 : parseInteger(values.port, "--port", 0);
    const colors = stdoutColors(io, values);
    const dir = positionals[0] === undefined ? await mkdtemp(join(tmpdir(), "telemetry-demo-")) : await prepareDir(positionals[0]);
    const path = join(dir, DEMO_LOG_NAME);

    const now = io.now();
    const plan: DemoPlan = {
      runs: 5,
      tasksPerRun: 8,
      lanes: 3,
      seed: 20260213,
      // Simulated runs start two hours ago, so `--since 1h` selects some of them.
      start: new Date(Math.floor((now.getTime() - 2 * 3_600_000) / 60_000) * 60_000),
      failing: { run: 1, task: 5 },
    };
    const started = performance.now();
    // One writer per run, as separate services would each hold their own, all
    // appending to and rotating the same file; within a run, the lanes share
    // their run's writer, whose group commit batches their concurrent emits.
    const writers: EventWriter[] = [];
    let outcome;
    try {
      for (let run = 0; run < plan.runs; run++) {
        writers.push(await openEventWriter({ path, maxSizeBytes: DEMO_MAX_SIZE_BYTES, maxBackups: DEMO_MAX_BACKUPS }));
      }
      outcome = await simulateAgentRuns(plan, (run) => {
        const writer = writers[run];
        if (writer === undefined) throw new RangeError(`demo: no writer for run ${run}`);
        return writer;
      });
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
    const seconds = (performance.now() - started) / 1_000;

    const skipped = countSkippedLines(io, "demo", path);
    const runs = await summarizeRuns(readEvents(path, { onInvalid: skipped.onInvalid }));
    const byModel = sortRollup(await rollupCosts(readEvents(path), { by: ["model"] }), "model");
    const files = await logFiles(dir);
    const readBack = runs.reduce((n, run) => n + run.events, 0);
    const failed = runs.reduce((n, run) => n + run.tasks.failed, 0);

    const program = io.programName;
    const p = shellQuote(path);
    io.stdout.write(`${colors.bold("telemetry demo")}: ${plan.runs} runs x ${plan.tasksPerRun} tasks, ${plan.runs * plan.lanes} concurrent producers on ${plan.runs} writers, ${failed} failed task
  wrote ${formatCount(outcome.events)} events (each fsync'd before it was acknowledged) in ${seconds.toFixed(2)} s
  to ${path}
  rotated every ${DEMO_MAX_SIZE_BYTES / 1024} KiB: ${files.count} files, ${formatCount(files.bytes)} bytes; read back ${formatCount(readBack)} events

${colors.bold("Runs")} (read back with summarizeRuns)
${renderRunTable(runs, colors)}

${colors.bold("Costs by model")} (read back with rollupCosts)
${renderCostTable(byModel, "model", "model", colors)}

${colors.bold("Try next")}
  ${program} tail ${p} -n 5
  ${program} query ${p} --type task_failed
  ${program} query ${p} --run ${outcome.failedTask.run_id} --task ${outcome.failedTask.task_id} --json
  ${program} query ${p} --type cost_update --since 90m --limit 3 --desc
  ${program} stats ${p} --by agent
  ${program} verify ${p}
  ${program} tail -f ${p}
      and in another terminal:
  ${program} emit ${p} --type task_started --run RUN-live --summary "hello"
`);
    skipped.report();
    if (values.serve === true) await serveDemo({ path, plan, port }, io);
    return ExitCode.OK;
  },
};

async function prepareDir(dir: string): Promise<string> {
  const absolute = resolve(dir);
  await mkdir(absolute, { recursive: true });
  const existing = (await readdir(absolute)).filter((name) => isLogFile(name));
  if (existing.length > 0) {
    throw new CliUsageError(`${absolute} already holds ${existing[0] ?? DEMO_LOG_NAME}; choose a new or empty directory`);
  }
  return absolute;
}

function isLogFile(name: string): boolean {
  return name === DEMO_LOG_NAME || new RegExp(`^${DEMO_LOG_NAME.replaceAll(".", "\\.")}\\.\\d+$`).test(name);
}

async function logFiles(dir: string): Promise<{ count: number; bytes: number }> {
  const names = (await readdir(dir)).filter(isLogFile);
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, basename(name)))).size;
  return { count: names.length, bytes };
}
