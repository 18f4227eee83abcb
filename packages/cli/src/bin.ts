#!/usr/bin/env node
// The `telemetry` executable: wires the real process into main().
import { basename, relative } from "node:path";
import type { CliIo } from "./cli-io.js";
import { main } from "./main.js";

function programName(script: string | undefined): string {
  if (script === undefined || /^telemetry(\.c?js)?$/.test(basename(script))) return "telemetry";
  const shown = relative(process.cwd(), script);
  return `node ${shown.startsWith("..") ? script : shown}`;
}

let interrupt: AbortController | undefined;

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  programName: programName(process.argv[1]),
  now: () => new Date(),
  interruptSignal() {
    if (!interrupt) {
      const controller = new AbortController();
      interrupt = controller;
      const stop = (): void => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    }
    return interrupt.signal;
  },
};

// A closed pipe (`telemetry query ... | head`) is the reader saying it has
// enough, not an error worth a message.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), io);
