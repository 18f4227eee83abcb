// Options of `openEventWriter`: defaults and validation with messages that
// name the option and the bad value.
import { WriterError } from "./errors.js";

export type Durability = "fsync" | "write";

export interface WriterOptions {
  /** The log file. Parent directories are created. */
  readonly path: string;
  /**
   * Rotate before a batch would push the file past this many bytes (unless the
   * file is empty: an event larger than the limit gets a file of its own).
   * Default: no rotation.
   */
  readonly maxSizeBytes?: number;
  /** Rotated files kept: `path.1` (newest) .. `path.N`. Default 1. */
  readonly maxBackups?: number;
  /**
   * `"fsync"` (default): `emit` resolves after the line is written and
   * fdatasync has completed (survives power loss). `"write"`: after write(2)
   * (survives a process crash, not a power cut).
   */
  readonly durability?: Durability;
  /** Mode of a file this writer creates. Default 0o600: summaries can be sensitive. */
  readonly fileMode?: number;
  /** Largest serialized line accepted, newline included. Default 1 MiB. */
  readonly maxEventBytes?: number;
  /**
   * Bytes of serialized events waiting for the disk; past it `emit` rejects
   * with `QUEUE_FULL` instead of growing memory. Default 64 MiB.
   */
  readonly maxQueueBytes?: number;
}

export interface ResolvedOptions {
  readonly path: string;
  readonly maxSizeBytes: number;
  readonly maxBackups: number;
  readonly durability: Durability;
  readonly fileMode: number;
  readonly maxEventBytes: number;
  readonly maxQueueBytes: number;
}

export const DEFAULT_MAX_BACKUPS = 1;
export const DEFAULT_FILE_MODE = 0o600;
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_QUEUE_BYTES = 64 * 1024 * 1024;

function invalid(message: string): WriterError {
  return new WriterError("INVALID_OPTION", `openEventWriter: ${message}`);
}

function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`${name} must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  return typeof value;
}

/** Validates caller options and fills defaults. @throws {WriterError} INVALID_OPTION */
export function resolveOptions(options: WriterOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw invalid(`expected an options object, got ${describe(options)}`);
  const { path } = options as { path: unknown };
  if (typeof path !== "string" || path.length === 0) throw invalid(`path must be a non-empty string, got ${describe(path)}`);
  if (path.includes("\0")) throw invalid("path must not contain NUL bytes");
  const maxSizeBytes = positiveInteger("maxSizeBytes", options.maxSizeBytes, Number.POSITIVE_INFINITY);
  const maxBackups = positiveInteger("maxBackups", options.maxBackups, DEFAULT_MAX_BACKUPS);
  const durability = options.durability ?? "fsync";
  if (durability !== "fsync" && durability !== "write") {
    throw invalid(`durability must be "fsync" or "write", got ${describe(durability)}`);
  }
  const fileMode = options.fileMode ?? DEFAULT_FILE_MODE;
  if (typeof fileMode !== "number" || !Number.isInteger(fileMode) || fileMode < 0 || fileMode > 0o7777) {
    throw invalid(`fileMode must be an integer between 0 and 0o7777, got ${describe(fileMode)}`);
  }
  // A line is at least `{"event":...,"ts":...,"event_id":...}\n`; tiny limits are mistakes.
  const maxEventBytes = positiveInteger("maxEventBytes", options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES, 64);
  const maxQueueBytes = positiveInteger("maxQueueBytes", options.maxQueueBytes, Math.max(DEFAULT_MAX_QUEUE_BYTES, maxEventBytes));
  if (maxQueueBytes < maxEventBytes) {
    throw invalid(`maxQueueBytes (${maxQueueBytes}) must be >= maxEventBytes (${maxEventBytes}), or no event of the largest size could ever be queued`);
  }
  return { path, maxSizeBytes, maxBackups, durability, fileMode, maxEventBytes, maxQueueBytes };
}
