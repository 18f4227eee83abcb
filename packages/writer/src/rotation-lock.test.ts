import { existsSync, readFileSync, writeFileSync, utimesSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { rotationLockPath, withRotationLock } from "./rotation-lock.js";
import { runChild, writeChildProgram } from "./child-process.fixture.js";

describe("rotation lock", () => {
  it("lets only one holder in at a time", async () => {
    const path = join(testdir(), "events.jsonl");
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withRotationLock(path, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(2);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(existsSync(rotationLockPath(path))).toBe(false);
  });

  it("records the holder's pid while held and removes the lock after", async () => {
    const path = join(testdir(), "events.jsonl");
    await withRotationLock(path, () => {
      const owner = JSON.parse(readFileSync(rotationLockPath(path), "utf8")) as { pid: number; host: string };
      expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
      return Promise.resolve();
    });
    expect(existsSync(rotationLockPath(path))).toBe(false);
  });

  it("releases the lock when the action throws", async () => {
    const path = join(testdir(), "events.jsonl");
    await expect(withRotationLock(path, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(rotationLockPath(path))).toBe(false);
  });

  it("takes over a lock left by a process that died", { timeout: 60_000 }, async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    // A real pid that is certainly dead: a child that has exited.
    const program = writeChildProgram(dir, "pid.mjs", "console.log(process.pid);");
    const deadPid = Number((await runChild(program)).stdout.trim());
    writeFileSync(rotationLockPath(path), JSON.stringify({ pid: deadPid, host: hostname(), acquiredAt: Date.now() }));
    let ran = false;
    await withRotationLock(path, () => {
      ran = true;
      return Promise.resolve();
    });
    expect(ran).toBe(true);
    expect(existsSync(rotationLockPath(path))).toBe(false);
  });

  it("takes over a lock older than the staleness bound even if its owner looks alive", async () => {
    const path = join(testdir(), "events.jsonl");
    const lock = rotationLockPath(path);
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: "another-host", acquiredAt: Date.now() - 60_000 }));
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await withRotationLock(path, () => Promise.resolve(), { staleMs: 30_000 });
    expect(existsSync(lock)).toBe(false);
  });

  it("waits for a live holder instead of breaking its lock", async () => {
    const path = join(testdir(), "events.jsonl");
    const lock = rotationLockPath(path);
    // Held by a live process (our parent) on this host, freshly.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), acquiredAt: Date.now() }));
    let acquired = false;
    const waiting = withRotationLock(path, () => {
      acquired = true;
      return Promise.resolve();
    });
    await sleep(100);
    expect(acquired).toBe(false);
    expect(JSON.parse(readFileSync(lock, "utf8"))).toMatchObject({ pid: process.ppid });
    // The holder finishes: the waiter gets in.
    const { unlinkSync } = await import("node:fs");
    unlinkSync(lock);
    await waiting;
    expect(acquired).toBe(true);
  });
});
