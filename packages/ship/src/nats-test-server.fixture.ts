// A real nats-server per test, stopped and its store removed when the test ends.
import { describe, it, onTestFinished } from "vitest";
import { natsServerMissing, startNatsServer, type NatsServerHandle, type NatsServerOptions } from "@telemetry/test-utils";

export async function natsServerForTest(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const server = await startNatsServer(options);
  onTestFinished(() => server.dispose());
  return server;
}

/** A describe block that needs nats-server: skipped with the reason when the machine lacks it. */
export function describeWithNats(name: string, body: () => void): void {
  const missing = natsServerMissing();
  if (missing !== undefined) {
    describe(name, () => it.skip(`skipped: ${missing}`, () => undefined));
    return;
  }
  describe(name, body);
}
