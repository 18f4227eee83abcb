// Creates the fleet's JetStream stream when it is missing, or proves an
// existing one keeps what exactly-once shipping relies on: file storage, a
// de-duplication window, limits retention (messages stay after being read)
// and a subject filter that captures the shipper's subject.
import { nanos, millis } from "@nats-io/transport-node";
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type StreamInfo } from "@nats-io/jetstream";
import { DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX } from "./fleet-headers.js";
import { StreamConfigMismatchError, type StreamConfigDifference } from "./ship-errors.js";

export interface FleetStreamOptions {
  /** Stream name. Default `"TELEMETRY"`. */
  readonly stream?: string;
  /** Subjects the stream captures when it is created. Default `["telemetry.events.>"]`. */
  readonly streamSubjects?: readonly string[];
  /**
   * JetStream's de-duplication window in ms: a re-published event (same
   * `Nats-Msg-Id`) within it is dropped. Default 120000 (JetStream's own
   * default). Always compared with an existing stream.
   */
  readonly duplicateWindowMs?: number;
  /** Drop messages older than this (ms); 0 keeps them forever. Default 0. Compared with an existing stream only when given. */
  readonly maxAgeMs?: number;
  /** Drop the oldest messages beyond this many bytes; -1 is unlimited. Default -1. Compared with an existing stream only when given. */
  readonly maxBytes?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
// JSStreamNameExistErr: the client library names no constant for it.
const STREAM_NAME_IN_USE = 10058;

/** Whether a NATS subject filter (with `*` and `>` wildcards) matches a literal subject. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split(".");
  const s = subject.split(".");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === ">") return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== "*" && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function differences(info: StreamInfo, subject: string, options: FleetStreamOptions): StreamConfigDifference[] {
  const config = info.config;
  const found: StreamConfigDifference[] = [];
  const expect = (field: string, expected: unknown, actual: unknown): void => {
    if (expected !== actual) found.push({ field, expected: describe(expected), actual: describe(actual) });
  };
  if (!(config.subjects ?? []).some((filter) => subjectMatches(filter, subject))) {
    found.push({ field: "subjects", expected: `a filter matching ${subject}`, actual: describe(config.subjects ?? []) });
  }
  expect("storage", StorageType.File, config.storage);
  // Work-queue and interest retention delete messages once read: the shipper's position would vanish.
  expect("retention", RetentionPolicy.Limits, config.retention);
  const windowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  expect("duplicate_window (ms)", windowMs, millis(config.duplicate_window));
  if (options.maxAgeMs !== undefined) expect("max_age (ms)", options.maxAgeMs, millis(config.max_age));
  if (options.maxBytes !== undefined) expect("max_bytes", options.maxBytes, config.max_bytes);
  return found;
}

/**
 * Returns the stream's info after creating it if missing. Throws
 * StreamConfigMismatchError when it exists and differs; nothing is changed or
 * published then.
 */
export async function ensureFleetStream(jsm: JetStreamManager, subject: string, options: FleetStreamOptions = {}): Promise<StreamInfo> {
  const name = options.stream ?? DEFAULT_STREAM;
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
  }
  if (info === undefined) {
    const config: Partial<StreamConfig> & { name: string } = {
      name,
      subjects: [...(options.streamSubjects ?? [`${DEFAULT_SUBJECT_PREFIX}.>`])],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
      max_age: nanos(options.maxAgeMs ?? 0),
      max_bytes: options.maxBytes ?? -1,
    };
    try {
      info = await jsm.streams.add(config);
    } catch (error) {
      // Another host's shipper created it first: check theirs like any existing stream.
      if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
      info = await jsm.streams.info(name);
    }
  }
  const found = differences(info, subject, options);
  if (found.length > 0) throw new StreamConfigMismatchError(name, found);
  return info;
}
