// The files of the pack-and-install test's scratch app: what a new user
// would write first, in each module system and TypeScript setup.

// One program, written once and emitted as ESM (import) and CommonJS
// (require): only the way the packages are loaded differs.
function program(kind: "esm" | "cjs"): string {
  const load =
    kind === "esm"
      ? `import { createEvent, serializeEvent } from "@telemetry/schema";
import { openEventWriter } from "@telemetry/writer";
import { openLogCursor, queryEvents, readEvents } from "@telemetry/reader";
import { TelemetryLogger, importLegacyDatabase } from "@telemetry/logger-compat";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
`
      : `const { createEvent, serializeEvent } = require("@telemetry/schema");
const { openEventWriter } = require("@telemetry/writer");
const { openLogCursor, queryEvents, readEvents } = require("@telemetry/reader");
const { TelemetryLogger, importLegacyDatabase } = require("@telemetry/logger-compat");
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
`;
  return `${load}
function check(condition, what) {
  if (!condition) throw new Error("${kind}: " + what);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "telemetry-${kind}-"));
  const path = join(dir, "events.jsonl");
  check(serializeEvent(createEvent({ event: "task_started", run_id: "R1", task_id: "t0" })).startsWith('{"event":"task_started"'), "schema serializes");

  const writer = await openEventWriter({ path });
  for (const task of ["t1", "t2", "t3"]) await writer.emit({ event: "task_started", run_id: "R1", task_id: task, agent_role: "coder" });
  await writer.emit({ event: "task_completed", run_id: "R1", task_id: "t2", status: "completed" });

  const read = [];
  for await (const event of readEvents(path)) read.push(event);
  check(read.length === 4, "read 4 events, got " + read.length);

  // A query result is iterated with for await: that works for an array and an async iterable alike.
  const completed = [];
  for await (const event of await queryEvents(path, { event: "task_completed" })) completed.push(event);
  check(completed.length === 1 && completed[0].task_id === "t2", "query finds the completed task");

  // Follow: a cursor from the start sees the 4 events, then one appended after it caught up.
  const cursor = await openLogCursor(path, { from: "start" });
  let seen = 0;
  for (let i = 0; i < 100 && seen < 4; i++) seen += (await cursor.poll()).events.length;
  check(seen === 4, "cursor read the 4 existing events, got " + seen);
  await writer.emit({ event: "task_failed", run_id: "R1", task_id: "t3", status: "failed" });
  let followed;
  for (let i = 0; i < 200 && followed === undefined; i++) {
    const { events } = await cursor.poll();
    followed = events[0];
    if (followed === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  check(followed !== undefined && followed.event.event === "task_failed", "cursor followed the appended event");
  await cursor.close();
  await writer.close();

  // The compat logger works without the optional SQLite engine; only the import needs it.
  const logger = await TelemetryLogger.open({ path: join(dir, "compat.jsonl") });
  await logger.logInvocation({ invocation_id: "inv-1", agent_name: "coder", tool_name: "codex", model_name: "gpt-4o",
    prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost_usd: 0.01, latency_ms: 100, status: "success" });
  check((await logger.getStatistics()).total_invocations === 1, "compat statistics");
  const failure = await importLegacyDatabase({ dbPath: join(dir, "none.db"), logger }).catch((error) => error);
  check(failure && failure.code === "SQLITE_UNAVAILABLE", "import without better-sqlite3 is SQLITE_UNAVAILABLE, got " + (failure && failure.code));
  await logger.close();
  console.log("${kind} ok: wrote 5, read 4, queried 1, followed 1; compat logger without SQLite; import says " + failure.code);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

// Types a consumer touches first; type-checked with skipLibCheck off, so our
// declaration files themselves must compile in each setup.
const TYPED_CONSUMER = `import { createEvent, type TelemetryEvent, type EventInput } from "@telemetry/schema";
import { openEventWriter, type EventWriter, type WriterOptions } from "@telemetry/writer";
import { openLogCursor, readEvents, type LogCursor, type Checkpoint } from "@telemetry/reader";
import { ChunkParser } from "@telemetry/reader/parser";
import { TelemetryLogger, importLegacyDatabase, type InvocationRecord, type ImportResult } from "@telemetry/logger-compat";

const input: EventInput = { event: "task_started", run_id: "R1", task_id: "t1" };
const event: TelemetryEvent = createEvent(input);
const options: WriterOptions = { path: "events.jsonl", durability: "fsync" };

export async function use(): Promise<[string, Checkpoint | undefined, number, ImportResult]> {
  const writer: EventWriter = await openEventWriter(options);
  const stored: TelemetryEvent = await writer.emit(input);
  const cursor: LogCursor = await openLogCursor(options.path);
  const { events } = await cursor.poll({ maxEvents: 10 });
  let count = 0;
  for await (const read of readEvents(options.path)) count += read.event === "task_started" ? 1 : 0;
  new ChunkParser();
  const logger = await TelemetryLogger.open({ path: "compat.jsonl" });
  const record: InvocationRecord = {
    invocation_id: "inv-1", agent_name: null, tool_name: "codex", model_name: "gpt-4o",
    prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_usd: 0, latency_ms: 1, status: "success",
  };
  await logger.logInvocation(record);
  const result = await importLegacyDatabase({ dbPath: "telemetry.db", logger });
  return [stored.event_id + event.event_id, events[0]?.checkpoint, count, result];
}
`;

function tsconfig(compilerOptions: Record<string, unknown>): string {
  return `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: ["node"], target: "ES2022", ...compilerOptions }, include: ["*.ts"] }, null, 2)}\n`;
}

export const SCRATCH_FILES: Readonly<Record<string, string>> = {
  "esm.mjs": program("esm"),
  "cjs.cjs": program("cjs"),
  "browser.js": `import { createEvent, serializeEvent } from "@telemetry/schema";\nexport const line = serializeEvent(createEvent({ event: "task_started", run_id: "R", task_id: "t" }));\n`,
  "ts-esm/package.json": `{ "type": "module" }\n`,
  "ts-esm/tsconfig.json": tsconfig({ module: "nodenext" }),
  "ts-esm/index.ts": TYPED_CONSUMER,
  "ts-cjs/package.json": `{ "type": "commonjs" }\n`,
  "ts-cjs/tsconfig.json": tsconfig({ module: "nodenext" }),
  "ts-cjs/index.ts": TYPED_CONSUMER,
  "ts-bundler/package.json": `{ "type": "module" }\n`,
  "ts-bundler/tsconfig.json": tsconfig({ module: "esnext", moduleResolution: "bundler" }),
  "ts-bundler/index.ts": TYPED_CONSUMER,
};
