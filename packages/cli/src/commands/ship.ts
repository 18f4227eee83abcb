// `telemetry ship <log> --server nats://...`: ships the log to the fleet's
// JetStream stream until Ctrl-C, with progress and lag on a terminal and one
// line per state change everywhere.
import { readFileSync } from "node:fs";
import type { credsAuthenticator as CredsAuthenticator, NatsClientOptions, ShipStats } from "@telemetry/ship";
import { CliUsageError } from "../cli-error.js";
import type { Command } from "../command.js";
import { ExitCode } from "../exit-code.js";
import { parseCommandArgs, parseInteger } from "../parse-command-args.js";
import { parseDuration } from "../relative-time.js";

const OPTIONS = {
  server: { type: "string", short: "s" },
  stream: { type: "string" },
  subject: { type: "string" },
  host: { type: "string" },
  from: { type: "string" },
  "duplicate-window": { type: "string" },
  "max-age": { type: "string" },
  "max-bytes": { type: "string" },
  creds: { type: "string" },
  user: { type: "string" },
  "tls-ca": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
} as const;

export const shipCommand: Command = {
  name: "ship",
  summary: "ship a log to a NATS JetStream stream, each event exactly once, until Ctrl-C",
  help: `Usage: telemetry ship <path> --server nats://HOST:PORT [--stream S] [--subject S] [options]

Follows <path> (and its rotated files) and publishes every event to the
JetStream stream, on this host's subject, until Ctrl-C or SIGTERM (exit 0).
Resumes where the stream says it left off: after a crash or a restart of the
shipper or of the server every event is in the stream exactly once, in log
order (see docs/fleet.md). Creates the stream when it is missing and stops
with an error when an existing one has a different configuration.

Options:
  -s, --server URL          NATS server (required; repeat with commas for a cluster)
  --stream NAME             stream (default TELEMETRY)
  --subject SUBJECT         this host's subject (default telemetry.events.<hostname>)
  --host NAME               host name carried with each event (default: this machine's)
  --from start|end          where to begin when the stream has nothing from this subject yet (default start)
  --duplicate-window DUR    de-duplication window when creating the stream (default 2m)
  --max-age DUR             drop messages older than this (e.g. 30d; default: keep)
  --max-bytes N             keep at most N bytes in the stream (default: no limit)
  --creds FILE              NATS credentials file (JWT + NKey)
  --user NAME               user name; the password comes from NATS_PASSWORD
  --tls-ca FILE, --tls-cert FILE, --tls-key FILE
                            TLS: CA to trust, and client certificate and key
  Token authentication: set NATS_TOKEN (never on the command line, where
  other users can read it).

Durations: 1500ms, 30s, 2m, 24h, 30d.

Example:
  $ telemetry ship logs/events.jsonl --server nats://127.0.0.1:4222
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("ship", args, OPTIONS, { min: 1, max: 1, names: "<path>" });
    const path = positionals[0] ?? "";
    if (values.server === undefined) throw new CliUsageError("missing --server nats://HOST:PORT (see: telemetry ship --help)");
    const servers = values.server.split(",").map((s) => s.trim()).filter((s) => s !== "");
    for (const server of servers) {
      if (!/^(nats|tls):\/\/[^/]+\/?$/i.test(server)) throw new CliUsageError(`invalid --server "${server}": expected nats://HOST:PORT`);
    }
    const from = values.from ?? "start";
    if (from !== "start" && from !== "end") throw new CliUsageError(`invalid --from "${from}": expected start or end`);

    // Loaded here, not at the top: every other command starts without the NATS client.
    const { credsAuthenticator, shipLog } = await import("@telemetry/ship");
    const connection = clientOptions(values, io.env, credsAuthenticator);
    const signal = io.interruptSignal();
    const tty = io.stderr.isTTY === true;
    let statusShown = false;
    const clearStatus = (): void => {
      if (statusShown) io.stderr.write("\r\u001b[2K");
      statusShown = false;
    };
    const shipper = shipLog({
      path,
      servers,
      signal,
      from,
      connection,
      ...(values.stream === undefined ? {} : { stream: values.stream }),
      ...(values.subject === undefined ? {} : { subject: values.subject }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values["duplicate-window"] === undefined ? {} : { duplicateWindowMs: parseDuration(values["duplicate-window"], "--duplicate-window") }),
      ...(values["max-age"] === undefined ? {} : { maxAgeMs: parseDuration(values["max-age"], "--max-age") }),
      ...(values["max-bytes"] === undefined ? {} : { maxBytes: parseInteger(values["max-bytes"], "--max-bytes") }),
      onStateChange: ({ state, reason }) => {
        clearStatus();
        io.stderr.write(`telemetry ship: ${state}${reason === undefined ? "" : ` (${reason})`}\n`);
      },
    });
    const timer = tty
      ? setInterval(() => {
          io.stderr.write(`\r\u001b[2K${statusLine(shipper.stats)}`);
          statusShown = true;
        }, 250)
      : undefined;
    try {
      const final = await shipper.done;
      clearStatus();
      io.stderr.write(`telemetry ship: stopped; ${summaryOf(final)}\n`);
      return ExitCode.OK;
    } finally {
      if (timer) clearInterval(timer);
      clearStatus();
    }
  },
};

function statusLine(stats: ShipStats): string {
  const error = stats.lastError && stats.state !== "shipping" && stats.state !== "caught-up" ? `  last error: ${stats.lastError.message}` : "";
  return `ship  ${stats.state}  shipped ${stats.shipped}  lag ${stats.lagEvents} events / ${stats.lagBytes} bytes${error}`;
}

function summaryOf(stats: ShipStats): string {
  return `${stats.shipped} events shipped, ${stats.duplicates} duplicates dropped by the stream, lag ${stats.lagBytes} bytes`;
}

/** Authentication and TLS, passed to the NATS client unchanged. Secrets come from the environment. */
function clientOptions(
  values: { creds?: string | undefined; user?: string | undefined; "tls-ca"?: string | undefined; "tls-cert"?: string | undefined; "tls-key"?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  credsAuthenticator: typeof CredsAuthenticator,
): NatsClientOptions {
  const options: { -readonly [K in keyof NatsClientOptions]: NatsClientOptions[K] } = {};
  if (env.NATS_TOKEN !== undefined && env.NATS_TOKEN !== "") options.token = env.NATS_TOKEN;
  if (values.user !== undefined) {
    options.user = values.user;
    if (env.NATS_PASSWORD !== undefined) options.pass = env.NATS_PASSWORD;
  }
  if (values.creds !== undefined) options.authenticator = credsAuthenticator(readFileSync(values.creds));
  if (values["tls-ca"] !== undefined || values["tls-cert"] !== undefined || values["tls-key"] !== undefined) {
    options.tls = {
      ...(values["tls-ca"] === undefined ? {} : { caFile: values["tls-ca"] }),
      ...(values["tls-cert"] === undefined ? {} : { certFile: values["tls-cert"] }),
      ...(values["tls-key"] === undefined ? {} : { keyFile: values["tls-key"] }),
    };
  }
  return options;
}
