// Options of `openEventWriter`: defaults and validation with messages that
// name the option and the bad value.
import { WriterError } from "./errors.js";
import { PRIVACY_LEVELS, redactPathProblem, type PrivacyLevel } from "./redaction.js";
import type { RecordErrorHandler } from "./record-error-report.js";
import { describeValue } from "@telemetry/schema";

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
  /**
   * Mode of a file this writer creates. Default 0o600: summaries can be
   * sensitive. Setuid, setgid, sticky and world-writable bits are refused
   * (`INVALID_OPTION`): a log is data, and anyone could forge its events.
   */
  readonly fileMode?: number;
  /**
   * Mode of directories this writer creates (the log's missing parents).
   * Default 0o700. Must let the owner enter and write (0o700 set); no
   * world-writable bit.
   */
  readonly dirMode?: number;
  /**
   * Receives every failure of `record` (invalid input, oversized, after
   * close, disk full) with the input it was given. It runs later, never
   * inside `record`; if it throws, the default report takes the error.
   * Default: one stderr line per distinct error code, repeats counted.
   */
  readonly onError?: RecordErrorHandler;
  /**
   * Field paths whose values are replaced by `"[REDACTED]"` before the event
   * is serialized: a string field (`"summary"`, `"run_id"`, ...), a member
   * (`"attributes.prompt"`, `"log_paths.stdout"`, `"metrics.model"`) or all
   * members (`"attributes.*"`, `"log_paths.*"`). Unknown paths are
   * `INVALID_OPTION`. Default: none.
   */
  readonly redact?: readonly string[];
  /**
   * The legacy privacy levels: `"full"` (default) keeps every field;
   * `"metadata"` drops `summary`; `"none"` keeps only `event`, `ts`,
   * `event_id`, `run_id`, `task_id` and `metrics`.
   */
  readonly privacyLevel?: PrivacyLevel;
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
  readonly dirMode: number;
  readonly maxEventBytes: number;
  readonly maxQueueBytes: number;
  readonly onError: RecordErrorHandler | undefined;
  readonly redact: readonly string[];
  readonly privacyLevel: PrivacyLevel;
}

export const DEFAULT_MAX_BACKUPS = 1;
export const DEFAULT_FILE_MODE = 0o600;
export const DEFAULT_DIR_MODE = 0o700;
/** setuid, setgid, sticky: meaningless for a log, and dangerous on a file others can run or share. */
const SPECIAL_BITS = 0o7000;
const WORLD_WRITABLE = 0o002;
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_QUEUE_BYTES = 64 * 1024 * 1024;

function invalid(message: string): WriterError {
  return new WriterError("INVALID_OPTION", `openEventWriter: ${message}`);
}

function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`${name} must be an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}


/** Validates caller options and fills defaults. @throws {WriterError} INVALID_OPTION */
export function resolveOptions(options: WriterOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw invalid(`expected an options object, got ${describeValue(options)}`);
  const { path } = options as { path: unknown };
  if (typeof path !== "string" || path.length === 0) throw invalid(`path must be a non-empty string, got ${describeValue(path)}`);
  if (path.includes("\0")) throw invalid("path must not contain NUL bytes");
  const maxSizeBytes = positiveInteger("maxSizeBytes", options.maxSizeBytes, Number.POSITIVE_INFINITY);
  const maxBackups = positiveInteger("maxBackups", options.maxBackups, DEFAULT_MAX_BACKUPS);
  const durability = options.durability ?? "fsync";
  if (durability !== "fsync" && durability !== "write") {
    throw invalid(`durability must be "fsync" or "write", got ${describeValue(durability)}`);
  }
  const fileMode = mode("fileMode", options.fileMode, DEFAULT_FILE_MODE);
  const dirMode = mode("dirMode", options.dirMode, DEFAULT_DIR_MODE);
  if ((dirMode & 0o700) !== 0o700) throw invalid(`dirMode must give the owner rwx (0o700), got ${octal(dirMode)}: the writer could not create the log in it`);
  const { onError } = options;
  if (onError !== undefined && typeof onError !== "function") throw invalid(`onError must be a function, got ${describeValue(onError)}`);
  const privacyLevel = options.privacyLevel ?? "full";
  if (!PRIVACY_LEVELS.includes(privacyLevel)) {
    throw invalid(`privacyLevel must be one of ${PRIVACY_LEVELS.map((l) => `"${l}"`).join(", ")}, got ${describeValue(privacyLevel)}`);
  }
  const redact = redactPaths(options.redact);
  // A line is at least `{"event":...,"ts":...,"event_id":...}\n`; tiny limits are mistakes.
  const maxEventBytes = positiveInteger("maxEventBytes", options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES, 64);
  const maxQueueBytes = positiveInteger("maxQueueBytes", options.maxQueueBytes, Math.max(DEFAULT_MAX_QUEUE_BYTES, maxEventBytes));
  if (maxQueueBytes < maxEventBytes) {
    throw invalid(`maxQueueBytes (${maxQueueBytes}) must be >= maxEventBytes (${maxEventBytes}), or no event of the largest size could ever be queued`);
  }
  return { path, maxSizeBytes, maxBackups, durability, fileMode, dirMode, maxEventBytes, maxQueueBytes, onError, redact, privacyLevel };
}

function octal(value: number): string {
  return `0o${value.toString(8)}`;
}

function mode(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0o7777) {
    throw invalid(`${name} must be an integer between 0 and 0o777, got ${describeValue(value)}`);
  }
  if ((value & SPECIAL_BITS) !== 0) throw invalid(`${name} must not set setuid, setgid or sticky bits, got ${octal(value)}`);
  if ((value & WORLD_WRITABLE) !== 0) throw invalid(`${name} must not be world-writable, got ${octal(value)}: anyone could forge or erase events`);
  return value;
}

function redactPaths(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`redact must be an array of field paths, got ${describeValue(value)}`);
  return Object.freeze(
    value.map((path: unknown, i) => {
      if (typeof path !== "string") throw invalid(`redact[${i}] must be a string, got ${describeValue(path)}`);
      const problem = redactPathProblem(path);
      if (problem !== undefined) throw invalid(`redact[${i}]: ${problem}`);
      return path;
    }),
  );
}
