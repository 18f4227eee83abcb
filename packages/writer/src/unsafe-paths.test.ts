// Whoever can write to the log directory must not be able to redirect the
// writer: a symlink, FIFO, socket, device or directory at the log path, at a
// rotated name or at the lock file is refused before a byte is written, and
// the thing it points to is left exactly as it was.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it, onTestFinished } from "vitest";
import { WriterError } from "./errors.js";
import { openEventWriter } from "./open-event-writer.js";
import { repairTornTail } from "./torn-tail.js";
import { rotateFiles } from "./rotation.js";

const TARGET_TEXT = "root:x:0:0:precious\n";

/** A file somewhere else that a planted symlink points to; returns a check that it is untouched. */
function plantedTarget(dir: string): { target: string; untouched: () => void } {
  const target = join(dir, "elsewhere", "precious");
  mkdirSync(join(dir, "elsewhere"));
  writeFileSync(target, TARGET_TEXT);
  const before = statSync(target);
  return {
    target,
    untouched: () => {
      const after = statSync(target);
      expect(readFileSync(target, "utf8")).toBe(TARGET_TEXT);
      expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    },
  };
}

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

async function listenOn(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

async function refusal(promise: Promise<unknown>): Promise<WriterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WriterError);
  return error as WriterError;
}

describe("unsafe log paths are refused at open, the target untouched", () => {
  it("refuses a symlink at the log path with ELOOP, naming the path", async () => {
    const dir = testdir();
    const { target, untouched } = plantedTarget(dir);
    const path = join(dir, "events.jsonl");
    symlinkSync(target, path);
    const error = await refusal(openEventWriter({ path }));
    expect(error.code).toBe("ELOOP");
    expect(error.path).toBe(path);
    expect(error.message).toContain(`${path}: it is a symbolic link`);
    untouched();
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it("refuses a dangling symlink too (it would create the target) with ELOOP", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    symlinkSync(join(dir, "would-be-created"), path);
    expect((await refusal(openEventWriter({ path }))).code).toBe("ELOOP");
    expect(existsSync(join(dir, "would-be-created"))).toBe(false);
  });

  it("refuses a FIFO at the log path with NOT_REGULAR_FILE instead of hanging", async () => {
    const path = join(testdir(), "events.jsonl");
    mkfifo(path);
    const error = await refusal(openEventWriter({ path }));
    expect(error.code).toBe("NOT_REGULAR_FILE");
    expect(error.message).toContain(`${path}: it is a FIFO`);
  });

  it("refuses /dev/null with NOT_REGULAR_FILE", async () => {
    const before = statSync("/dev/null");
    const error = await refusal(openEventWriter({ path: "/dev/null" }));
    expect(error.code).toBe("NOT_REGULAR_FILE");
    expect(error.message).toContain("/dev/null: it is a character device");
    expect(statSync("/dev/null").mode).toBe(before.mode);
  });

  it("refuses a directory at the log path with NOT_REGULAR_FILE", async () => {
    const path = join(testdir(), "events.jsonl");
    mkdirSync(path);
    writeFileSync(join(path, "inside"), "x");
    const error = await refusal(openEventWriter({ path }));
    expect(error.code).toBe("NOT_REGULAR_FILE");
    expect(error.message).toContain(`${path}: it is a directory`);
    expect(readFileSync(join(path, "inside"), "utf8")).toBe("x");
  });

  it("refuses a Unix socket at the log path with NOT_REGULAR_FILE", async () => {
    const path = join(testdir(), "events.jsonl");
    await listenOn(path);
    const error = await refusal(openEventWriter({ path }));
    expect(error.code).toBe("NOT_REGULAR_FILE");
    expect(error.message).toContain("it is a socket");
  });

  it("refuses a symlink that replaces the log while the writer runs, and writes nothing to its target", async () => {
    const dir = testdir();
    const { target, untouched } = plantedTarget(dir);
    const path = join(dir, "events.jsonl");
    const writer = await openEventWriter({ path });
    await writer.emit({ event: "task_started" });
    execFileSync("mv", [path, `${path}.moved`]);
    symlinkSync(target, path);
    const error = await refusal(writer.emit({ event: "task_completed" }));
    expect(error.code).toBe("ELOOP");
    await writer.close();
    untouched();
  });

  it("repairTornTail refuses a symlink with ELOOP and leaves the torn target as it was", async () => {
    const dir = testdir();
    const target = join(dir, "torn-elsewhere");
    writeFileSync(target, "torn");
    const path = join(dir, "events.jsonl");
    symlinkSync(target, path);
    expect((await refusal(repairTornTail(path))).code).toBe("ELOOP");
    expect(readFileSync(target, "utf8")).toBe("torn");
  });
});

describe("unsafe rotated names and lock files are refused at rotation, nothing moved", () => {
  async function rotateOnce(path: string): Promise<WriterError> {
    const writer = await openEventWriter({ path, maxSizeBytes: 300, maxBackups: 3 });
    await writer.emit({ event: "task_started", summary: "x".repeat(200) });
    // The second event does not fit: the writer must rotate, and refuse to.
    const error = await refusal(writer.emit({ event: "task_started", summary: "y".repeat(200) }));
    await writer.close();
    // The live file was not renamed away: the first event is still in it.
    expect(readFileSync(path, "utf8")).toContain("x".repeat(200));
    expect(readFileSync(path, "utf8")).not.toContain("y".repeat(200));
    return error;
  }

  it("refuses a symlink at a rotated name (path.1) with ELOOP; the target and every file stay where they were", async () => {
    const dir = testdir();
    const { target, untouched } = plantedTarget(dir);
    const path = join(dir, "events.jsonl");
    symlinkSync(target, `${path}.1`);
    const error = await rotateOnce(path);
    expect(error.code).toBe("ELOOP");
    expect(error.path).toBe(`${path}.1`);
    untouched();
    expect(lstatSync(`${path}.1`).isSymbolicLink()).toBe(true);
    expect(existsSync(`${path}.2`)).toBe(false);
  });

  it("refuses a FIFO, a directory, a device and a symlink to /dev/null at a deeper rotated name (path.2)", async () => {
    const root = process.getuid?.() === 0;
    for (const plant of ["fifo", "directory", "device", "link to /dev/null"] as const) {
      // Creating a device node needs root; as anyone else that one case is skipped.
      if (plant === "device" && !root) continue;
      const dir = testdir();
      const path = join(dir, "events.jsonl");
      writeFileSync(`${path}.1`, "backup one\n");
      if (plant === "fifo") mkfifo(`${path}.2`);
      else if (plant === "directory") mkdirSync(`${path}.2`);
      else if (plant === "device") execFileSync("mknod", [`${path}.2`, "c", "1", "3"]);
      else symlinkSync("/dev/null", `${path}.2`);
      const error = await rotateOnce(path);
      expect(error.code).toBe(plant === "link to /dev/null" ? "ELOOP" : "NOT_REGULAR_FILE");
      expect(error.path).toBe(`${path}.2`);
      expect(readFileSync(`${path}.1`, "utf8")).toBe("backup one\n");
    }
  });

  it("refuses a symlink at the lock file with ELOOP; the target untouched, the link left in place", async () => {
    const dir = testdir();
    const { target, untouched } = plantedTarget(dir);
    const path = join(dir, "events.jsonl");
    symlinkSync(target, `${path}.lock`);
    const error = await rotateOnce(path);
    expect(error.code).toBe("ELOOP");
    expect(error.path).toBe(`${path}.lock`);
    untouched();
    expect(lstatSync(`${path}.lock`).isSymbolicLink()).toBe(true);
  });

  it("refuses a FIFO at the lock file with NOT_REGULAR_FILE instead of hanging on it", async () => {
    const path = join(testdir(), "events.jsonl");
    mkfifo(`${path}.lock`);
    const error = await rotateOnce(path);
    expect(error.code).toBe("NOT_REGULAR_FILE");
    expect(error.message).toContain(`${path}.lock: it is a FIFO`);
  });

  it("refuses a directory at the lock file with NOT_REGULAR_FILE", async () => {
    const path = join(testdir(), "events.jsonl");
    mkdirSync(`${path}.lock`);
    expect((await rotateOnce(path)).code).toBe("NOT_REGULAR_FILE");
  });

  it("rotateFiles refuses the same way", async () => {
    const dir = testdir();
    const { target, untouched } = plantedTarget(dir);
    const path = join(dir, "events.jsonl");
    writeFileSync(path, "live\n");
    symlinkSync(target, `${path}.1`);
    expect((await refusal(rotateFiles({ path, maxBackups: 2 }))).code).toBe("ELOOP");
    expect(readFileSync(path, "utf8")).toBe("live\n");
    untouched();
  });
});

describe("directories the writer creates", () => {
  it("get mode 0o700 by default and dirMode when given, whatever the umask", async () => {
    const dir = testdir();
    const previous = process.umask(0o077);
    try {
      const a = await openEventWriter({ path: join(dir, "a", "b", "events.jsonl") });
      await a.close();
      const c = await openEventWriter({ path: join(dir, "c", "events.jsonl"), dirMode: 0o750 });
      await c.close();
    } finally {
      process.umask(previous);
    }
    expect(statSync(join(dir, "a")).mode & 0o7777).toBe(0o700);
    expect(statSync(join(dir, "a", "b")).mode & 0o7777).toBe(0o700);
    expect(statSync(join(dir, "c")).mode & 0o7777).toBe(0o750);
  });
});
