// `telemetry serve <log...|dir>`: the live web page and the HTTP API of
// @telemetry/server over one or more logs, or a directory of run logs.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { listRotatedFiles } from "@telemetry/reader";
import type { SourceList } from "@telemetry/server";
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { isNatsSource, natsEventSource } from "../event-sources.js";
import { ExitCode } from "../exit-code.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { serveUntilInterrupted, startServing } from "../serve-until-interrupted.js";

export const DEFAULT_SERVE_PORT = 7318;

const OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  token: { type: "string" },
  "max-streams": { type: "string" },
} as const;

// One directory: every <dir>/<name>/events.jsonl in it; otherwise each argument is a log.
export async function sourcesFromArgs(paths: readonly string[]): Promise<{ sources: SourceList; description: string }> {
  // Loaded here, not at the top: main imports every command, and only serve needs the server.
  const { directorySources, logFileSources } = await import("@telemetry/server");
  if (paths.some(isNatsSource)) {
    if (!paths.every(isNatsSource)) throw new CliUsageError("serve either logs or nats:// streams, not both at once");
    const sources = paths.map(natsEventSource);
    return { sources: () => Promise.resolve(sources), description: sources.map((s) => s.key).join(", ") };
  }
  if (paths.length === 1) {
    const info = await stat(paths[0]!).catch(() => undefined);
    if (info?.isDirectory() === true) return { sources: directorySources(paths[0]!), description: `every */events.jsonl in ${resolve(paths[0]!)} (new ones are picked up)` };
  }
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() === true) throw new CliUsageError(`${path} is a directory: serve one directory alone, or log files`);
    if (info === undefined && (await listRotatedFiles(path).catch(() => [])).length === 0) throw new CliUsageError(`${path}: no such log (neither the file nor a rotated ${path}.N exists)`);
  }
  return { sources: logFileSources(paths), description: paths.length === 1 ? resolve(paths[0]!) : `${paths.length} logs` };
}

export const serveCommand: Command = {
  name: "serve",
  summary: "serve a live web page and an HTTP API over logs",
  help: `Usage: telemetry serve <log...|dir> [--port N] [--host H] [--token T]

Serves the runs of one or more logs (or of a directory in which every
*/events.jsonl is a log, as in runs/<RUN-ID>/events.jsonl, picking up new
ones) as a live web page, with the HTTP API in docs/http-api.md. Prints the
URL to open as its first line, then runs until Ctrl-C.

Options:
  -p, --port N      port (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host H          address to bind (default 127.0.0.1, this machine only);
                    any other address requires a token
  --token T         require this token on every request (at least 8
                    characters); generated and printed in the URL when the
                    host is not loopback and no token is given
  --max-streams N   live event streams served at once (default 100); one
                    more is answered 503 (each open page holds one or two)

The page and the API are read-only (GET and HEAD). Open the printed URL:
with a token it carries ?token=, after which the page keeps it in a cookie.
Programs send "Authorization: Bearer <token>".

A nats://HOST:PORT/STREAM argument serves a fleet's JetStream stream (every
host's events; see docs/fleet.md).

Example:
  $ telemetry serve logs/events.jsonl
  $ telemetry serve nats://127.0.0.1:4222/TELEMETRY
  $ telemetry serve runs/ --port 0
  $ telemetry serve logs/events.jsonl --host 0.0.0.0
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("serve", args, OPTIONS, { min: 1, max: Number.POSITIVE_INFINITY, names: "<log...|dir>" });
    const host = values.host ?? "127.0.0.1";
    const port = values.port === undefined ? DEFAULT_SERVE_PORT : parseInteger(values.port, "--port", 0);
    if (port > 65_535) throw new CliUsageError(`invalid --port "${values.port}": expected 0 to 65535`);
    const { sources, description } = await sourcesFromArgs(positionals);
    const { isLoopbackHost } = await import("@telemetry/server");
    const maxStreamClients = values["max-streams"] === undefined ? undefined : parseInteger(values["max-streams"], "--max-streams", 1);
    const server = await startServing({ sources, host, port, token: values.token, maxStreamClients }, io);
    io.stdout.write(`${server.url}\n`);
    io.stdout.write(`serving ${description}: ${server.hub.eventCount.toLocaleString("en-US")} events so far; Ctrl-C to stop\n`);
    if (!isLoopbackHost(host)) io.stdout.write(`every request needs the token (in the URL above, or "Authorization: Bearer <token>")\n`);
    await serveUntilInterrupted(server, io);
    return ExitCode.OK;
  },
};
