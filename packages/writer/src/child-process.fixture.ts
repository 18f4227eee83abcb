// Helpers for tests that run the writer in real child processes. Children are
// plain .mjs programs importing the built package (dist/), so run
// `pnpm build` in packages/writer before these tests.
import { spawn, type SpawnOptions } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** The built entry point children import; a clear error when it was not built. */
export function builtWriterEntry(): string {
  if (!existsSync(distIndex)) {
    throw new Error(`child-process tests import the built writer, and ${distIndex} does not exist: run \`pnpm build\` in packages/writer first`);
  }
  return distIndex;
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `source` as an .mjs program in `dir`; `WRITER_ENTRY` in it names the built writer. */
export function writeChildProgram(dir: string, name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source.replaceAll("WRITER_ENTRY", JSON.stringify(builtWriterEntry())));
  return file;
}

export interface RunningChild {
  readonly done: Promise<ChildResult>;
  /** Stdout received so far. */
  stdout(): string;
  kill(signal: NodeJS.Signals): void;
}

export function startChild(program: string, args: readonly string[] = [], options: SpawnOptions = {}): RunningChild {
  // A child that hangs must not outlive the test: vitest's timeout does not kill it.
  const child = spawn(process.execPath, [program, ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: 100_000, killSignal: "SIGKILL", ...options });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, stdout: () => stdout, kill: (signal) => child.kill(signal) };
}

export async function runChild(program: string, args: readonly string[] = [], options: SpawnOptions = {}): Promise<ChildResult> {
  return startChild(program, args, options).done;
}
