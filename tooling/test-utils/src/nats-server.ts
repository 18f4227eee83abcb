// A real nats-server with JetStream per test: a free loopback port, its own
// store directory, stopped (or SIGKILLed) by PID and restartable on the same
// port and store, so fault tests exercise the engine's own recovery.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Debian installs it in /usr/sbin; NATS_SERVER_BIN overrides.
export const NATS_SERVER_BIN =
  process.env.NATS_SERVER_BIN ?? ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"].find((p) => existsSync(p)) ?? "/usr/sbin/nats-server";

export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The JetStream store directory (kept across restarts). */
  readonly storeDir: string;
  readonly pid: number | undefined;
  /** SIGTERM and wait for exit (JetStream flushes its store). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: nothing is flushed. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and store directory. */
  restart(): Promise<void>;
  /** Stops the server and removes its store directory. */
  dispose(): Promise<void>;
}

export interface NatsServerOptions {
  /** Extra command-line arguments (e.g. `["--auth", "s3cret"]`). */
  readonly args?: readonly string[];
}

/** Why the fleet tests cannot run here, or undefined when they can. */
export function natsServerMissing(): string | undefined {
  return existsSync(NATS_SERVER_BIN) ? undefined : `needs nats-server at ${NATS_SERVER_BIN} (Debian package nats-server; .ci/run installs it)`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`nats-server on port ${port} not ready after 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (output.includes("Server is ready")) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`nats-server exited with ${code} before it was ready:\n${output}`));
    function cleanup(): void {
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      // Keep draining so a chatty server never blocks on a full pipe.
      child.stderr?.resume();
    }
    function fail(error: Error): void {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    }
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts `nats-server -js -sd <tmp>` on a free loopback port and waits until it accepts clients. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const storeDir = mkdtempSync(join(tmpdir(), "telemetry-nats-"));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const next = spawn(NATS_SERVER_BIN, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, ...(options.args ?? [])], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = next;
    await waitReady(next, port);
  };
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    const current = child;
    if (current?.exitCode !== null || current.signalCode !== null) return;
    current.kill(name);
    await waitExit(current);
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return child?.pid;
    },
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
    restart: launch,
    async dispose() {
      await signal("SIGKILL");
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
