// Runs the HTTP server of `telemetry serve` (and `demo --serve`) until
// Ctrl-C: prints the URL first, reports source errors on stderr (once per
// distinct message), and closes cleanly.
import type { SourceList, TelemetryServer } from "@telemetry/server";
import type { CliIo } from "./cli-io.js";
import { CliUsageError } from "./cli-error.js";

export interface ServeOptions {
  readonly sources: SourceList;
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly maxStreamClients?: number | undefined;
}

export async function startServing(options: ServeOptions, io: CliIo): Promise<TelemetryServer> {
  const reported = new Set<string>();
  // Loaded here, not at the top: the commands that serve nothing start without the server.
  const { startTelemetryServer } = await import("@telemetry/server");
  try {
    return await startTelemetryServer({
      sources: options.sources,
      host: options.host,
      port: options.port,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.maxStreamClients === undefined ? {} : { maxStreamClients: options.maxStreamClients }),
      onError(error, context) {
        const line = `telemetry serve: ${context}: ${error instanceof Error ? error.message : String(error)}`;
        if (reported.has(line)) return;
        reported.add(line);
        io.stderr.write(`${line}\n`);
      },
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EADDRINUSE") throw new CliUsageError(`port ${options.port} on ${options.host} is in use; choose another with --port (0 picks a free one)`, { cause: error });
    if (code === "EADDRNOTAVAIL") throw new CliUsageError(`cannot bind ${options.host}: not an address of this machine`, { cause: error });
    if (code === "SERVER_OPTION_INVALID") throw new CliUsageError((error as Error).message, { cause: error });
    throw error;
  }
}

/** Resolves when Ctrl-C (or SIGTERM) arrives, after closing the server. */
export async function serveUntilInterrupted(server: TelemetryServer, io: CliIo): Promise<void> {
  const signal = io.interruptSignal();
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  await server.close();
}
