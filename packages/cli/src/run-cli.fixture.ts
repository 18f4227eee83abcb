// Runs the built `telemetry` binary in a child process, as a user would,
// and collects its exit code, stdout and stderr.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI_BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The parent's environment minus anything that changes our output (colors, debug). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ["NO_COLOR", "FORCE_COLOR", "TELEMETRY_DEBUG"]) if (!(key in extra)) delete env[key];
  return env;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Node options before the script, e.g. `--import` hooks. */
  nodeArgs?: readonly string[];
  /** Run as this user and group id (tests that need permission bits to apply, as root). */
  uid?: number;
  gid?: number;
}

export function startCli(args: readonly string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    env: cleanEnv(options.env),
    cwd: options.cwd ?? process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return collect(startCli(args, options));
}

/** Non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** The CLI invocation as one shell command line, for `script -c`. */
function terminalCommand(args: readonly string[]): string {
  return [process.execPath, CLI_BIN, ...args].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
}

/**
 * Runs the CLI with stdout and stderr on a pseudo-terminal (util-linux
 * `script`), to see what a person at a terminal sees. Returns a string
 * saying why when `script` is not available, so the caller can skip.
 */
export function runCliInTerminal(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<CliResult> | string {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
  } catch {
    return "needs util-linux `script` to run the CLI on a pseudo-terminal";
  }
  const command = terminalCommand(args);
  const child = spawn("script", ["-qec", command, "/dev/null"], { env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
  return collect(child);
}

/** A chunk of terminal output and when it arrived, in ms after the spawn. */
export interface TimedChunk {
  readonly atMs: number;
  readonly text: string;
}

/**
 * Like runCliInTerminal, but also returns every chunk the terminal showed
 * with its arrival time, to check when something appeared.
 */
export function runCliInTerminalTimed(
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliResult & { chunks: TimedChunk[] }> | string {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
  } catch {
    return "needs util-linux `script` to run the CLI on a pseudo-terminal";
  }
  const command = terminalCommand(args);
  const started = performance.now();
  const child = spawn("script", ["-qec", command, "/dev/null"], { env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
  const chunks: TimedChunk[] = [];
  child.stdout.setEncoding("utf8").on("data", (text: string) => chunks.push({ atMs: performance.now() - started, text }));
  return collect(child).then((result) => ({ ...result, chunks }));
}

/** A running CLI whose output can be awaited piece by piece. */
export interface LiveCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout satisfies `predicate`; rejects after `timeoutMs` with what was seen. */
  waitForStdout(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit status once the process has ended. */
  exited: Promise<CliResult>;
}

export function spawnLiveCli(args: readonly string[], options: { env?: Record<string, string> } = {}): LiveCli {
  const child = startCli(args, options);
  const exited = collect(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: string) => (out += chunk));
  child.stderr?.on("data", (chunk: string) => (err += chunk));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = (): void => {
          if (predicate(out)) return resolve();
          if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            return reject(new Error(`waited ${Date.now() - started} ms; exit=${child.exitCode}; stdout=${JSON.stringify(out)}; stderr=${JSON.stringify(err)}`));
          }
          setTimeout(check, 25);
        };
        check();
      });
    },
  };
}
