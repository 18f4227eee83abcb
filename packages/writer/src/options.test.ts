import { describe, expect, it } from "vitest";
import { WriterError } from "./errors.js";
import { resolveOptions, type WriterOptions } from "./options.js";

function errorOf(options: unknown): WriterError {
  try {
    resolveOptions(options as WriterOptions);
  } catch (error) {
    if (error instanceof WriterError) return error;
    throw error;
  }
  throw new Error("expected INVALID_OPTION");
}

describe("resolveOptions", () => {
  it("fills the documented defaults", () => {
    expect(resolveOptions({ path: "events.jsonl" })).toEqual({
      path: "events.jsonl",
      maxSizeBytes: Number.POSITIVE_INFINITY,
      maxBackups: 1,
      durability: "fsync",
      fileMode: 0o600,
      dirMode: 0o700,
      maxEventBytes: 1024 * 1024,
      maxQueueBytes: 64 * 1024 * 1024,
      onError: undefined,
      redact: [],
      privacyLevel: "full",
    });
  });

  it.each([
    [{ path: "" }, /path must be a non-empty string/],
    [{ path: 42 }, /path must be a non-empty string, got 42/],
    [{ path: "a", maxSizeBytes: 0 }, /maxSizeBytes must be an integer >= 1, got 0/],
    [{ path: "a", maxSizeBytes: -5 }, /maxSizeBytes must be an integer >= 1, got -5/],
    [{ path: "a", maxSizeBytes: 1.5 }, /maxSizeBytes/],
    [{ path: "a", maxSizeBytes: Number.NaN }, /maxSizeBytes .* got NaN/],
    [{ path: "a", maxBackups: 0 }, /maxBackups must be an integer >= 1/],
    [{ path: "a", durability: "sync" }, /durability must be "fsync" or "write", got "sync"/],
    [{ path: "a", fileMode: 0o10000 }, /fileMode/],
    [{ path: "a", fileMode: 0o4600 }, /fileMode must not set setuid, setgid or sticky bits, got 0o4600/],
    [{ path: "a", fileMode: 0o2600 }, /fileMode must not set setuid, setgid or sticky bits/],
    [{ path: "a", fileMode: 0o1600 }, /fileMode must not set setuid, setgid or sticky bits/],
    [{ path: "a", fileMode: 0o666 }, /fileMode must not be world-writable, got 0o666/],
    [{ path: "a", dirMode: 0o777 }, /dirMode must not be world-writable/],
    [{ path: "a", dirMode: 0o500 }, /dirMode must give the owner rwx \(0o700\), got 0o500/],
    [{ path: "a", onError: "log" }, /onError must be a function, got "log"/],
    [{ path: "a", redact: "summary" }, /redact must be an array of field paths/],
    [{ path: "a", maxEventBytes: 10 }, /maxEventBytes must be an integer >= 64/],
    [{ path: "a", maxEventBytes: 2048, maxQueueBytes: 1024 }, /maxQueueBytes \(1024\) must be >= maxEventBytes \(2048\)/],
  ])("rejects %j with a message naming the option", (options, message) => {
    const error = errorOf(options);
    expect(error.code).toBe("INVALID_OPTION");
    expect(error.message).toMatch(message);
  });

  it("rejects a missing options object", () => {
    expect(errorOf(undefined).message).toMatch(/expected an options object/);
  });
});
