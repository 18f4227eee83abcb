// `telemetry serve` in a child process, as a user starts it: the URL is read
// from its first stdout line; tests stop it by PID (or SIGKILL it).
import type { ChildProcess } from "node:child_process";
import { onTestFinished } from "vitest";
import { startCli } from "./run-cli.fixture.js";

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The first line it printed. */
  readonly url: string;
  readonly port: number;
  /** Everything printed so far. */
  readonly output: () => { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

export async function startServeProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = startCli(["serve", ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 30 s; stderr: ${stderr}`)), 30_000);
    const check = (): void => {
      const newline = stdout.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(stdout.slice(0, newline));
    };
    child.stdout!.on("data", check);
    void exited.then((code) => reject(new Error(`serve exited with ${code} before printing its URL; stderr: ${stderr}`)));
  });
  return { child, url, port: Number(new URL(url).port), output: () => ({ stdout, stderr }), exited };
}
