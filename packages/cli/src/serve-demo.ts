// `telemetry demo --serve`: the demo log served as a live page, with one
// more run played at a human pace so a new user watches it happen.
import { openEventWriter } from "@telemetry/writer";
import type { EventInput, TelemetryEvent } from "@telemetry/schema";
import type { CliIo } from "./cli-io.js";
import { simulateAgentRuns, type DemoPlan } from "./demo-simulation.js";
import { serveUntilInterrupted, startServing } from "./serve-until-interrupted.js";

/** Pause before each live event: slow enough to watch bars grow, ~20 s for the whole run. */
const LIVE_EVENT_DELAY_MS = 250;

export async function serveDemo(options: { path: string; plan: DemoPlan; port: number }, io: CliIo): Promise<void> {
  // Loaded here, not at the top: a demo without --serve starts without the server.
  const { logFileSources } = await import("@telemetry/server");
  const server = await startServing({ sources: logFileSources([options.path]), host: "127.0.0.1", port: options.port, token: undefined }, io);
  const signal = io.interruptSignal();
  const liveRunId = `RUN-LIVE-${new Date().toISOString().slice(11, 19).replaceAll(":", "")}`;
  io.stdout.write(`
Serving the demo log at ${server.url}
  open ${server.url}#/runs/${liveRunId} to watch a run happen live (Ctrl-C to stop)
`);
  const writer = await openEventWriter({ path: options.path });
  try {
    const plan: DemoPlan = { ...options.plan, runs: 1, seed: options.plan.seed + 1, start: new Date(), failing: { run: 0, task: 6 } };
    await simulateAgentRuns(plan, () => ({
      async emit(input: EventInput): Promise<TelemetryEvent> {
        if (signal.aborted) throw new DemoStoppedError();
        await new Promise((resolve) => setTimeout(resolve, LIVE_EVENT_DELAY_MS));
        return writer.emit({ ...input, run_id: liveRunId, ts: new Date().toISOString() });
      },
    })).catch((error: unknown) => {
      if (!(error instanceof DemoStoppedError)) throw error;
    });
  } finally {
    await writer.close();
  }
  if (!signal.aborted) io.stdout.write(`the live run ${liveRunId} is done; still serving until Ctrl-C\n`);
  await serveUntilInterrupted(server, io);
}

class DemoStoppedError extends Error {}
