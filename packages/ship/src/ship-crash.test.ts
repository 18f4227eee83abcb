import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { testdir } from "@telemetry/test-utils";
import { writeChildPrograms } from "./crash-children.fixture.js";
import { describeWithNats, natsServerForTest } from "./nats-test-server.fixture.js";
import { logEventIds, repeated, storedCount, streamEvents, waitFor } from "./ship-test-helpers.fixture.js";

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function firstOutput(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", () => resolve());
  });
}

describeWithNats("exactly-once shipping across shipper crashes", () => {
  it("stores every event exactly once, in log order, across 22 SIGKILLs of the shipper while another process writes with rotation", async () => {
    const server = await natsServerForTest();
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const programs = writeChildPrograms(dir);
    const writer = spawn(process.execPath, [programs.writer, path, "w", "10"], { stdio: ["ignore", "pipe", "inherit"] });
    const writerDone = exited(writer);
    await firstOutput(writer);

    const KILLS = 22;
    let killedWhileWriting = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const shipper = spawn(process.execPath, [programs.shipper, server.url, path, "host-a"], { stdio: ["ignore", "pipe", "inherit"] });
      // A random moment after it started shipping: mid-window, mid-rotation, mid-reconnect.
      await firstOutput(shipper);
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      if (writer.exitCode === null) killedWhileWriting++;
      shipper.kill("SIGKILL");
      await exited(shipper);
    }
    writer.kill("SIGTERM");
    expect(await writerDone).toBe(0);

    const final = spawn(process.execPath, [programs.shipper, server.url, path, "host-a"], { stdio: ["ignore", "pipe", "inherit"] });
    // Its SIGTERM handler is installed once it prints.
    await firstOutput(final);
    final.stdout?.resume();
    const logIds = await logEventIds(path);
    expect(logIds.length).toBeGreaterThan(1_000);
    await waitFor("the whole log in the stream", async () => (await storedCount(server.url)) >= logIds.length, 90_000);
    final.kill("SIGTERM");
    expect(await exited(final)).toBe(0);

    const ids = (await streamEvents(server.url)).map((e) => e.event.event_id);
    const figures = { kills: KILLS, killedWhileWriting, events: logIds.length, stored: ids.length, repeated: Object.keys(repeated(ids)).length };
    console.log(`exactly-once figures (shipper SIGKILL): ${JSON.stringify(figures)}`);
    expect(repeated(ids)).toEqual({});
    expect(ids).toEqual(logIds);
    expect(killedWhileWriting).toBe(KILLS);
  });
});
