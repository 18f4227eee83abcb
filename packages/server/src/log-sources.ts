// Log files as event sources: given paths, or every `*/events.jsonl` in a
// directory (`runs/<RUN-ID>/events.jsonl`), found again on every discovery
// so logs created while serving are picked up. Reading is the reader's log
// cursor; nothing here tails a file.
import { lstat, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  compactCheckpoint,
  expandCheckpoint,
  openLogCursor,
  type Checkpoint,
  type CompactCheckpoint,
  type EventCursor,
  type LogCursor,
  type PollOptions,
  type PollResult,
} from "@telemetry/reader";
import type { EventSource, SourceList } from "./event-source.js";

/** The name of the log inside each run directory of a served directory. */
export const RUN_LOG_NAME = "events.jsonl";

/**
 * One log (its rotated files included), keyed by `key` in position tokens.
 * Its cursor's checkpoints are compact (the reader's `compactCheckpoint`):
 * every SSE event carries the position in its `id:`, and the full checkpoint's
 * head bytes made that id larger than the event. A token's checkpoint is
 * expanded against the log when a client resumes; full checkpoints (tokens
 * issued before) are taken as they are.
 */
export function logFileSource(path: string, key: string = resolve(path)): EventSource {
  return {
    key,
    open: async (from) => {
      const start = from === "start" || from === "end" ? from : ((await expandCheckpoint(path, from.checkpoint)) ?? (from.checkpoint as Checkpoint));
      return new CompactCheckpointCursor(await openLogCursor(path, { from: start }));
    },
  };
}

/** A log cursor whose entries carry compact checkpoints. */
class CompactCheckpointCursor implements EventCursor<CompactCheckpoint> {
  readonly #cursor: LogCursor;

  constructor(cursor: LogCursor) {
    this.#cursor = cursor;
  }

  get checkpoint(): CompactCheckpoint | undefined {
    const checkpoint = this.#cursor.checkpoint;
    return checkpoint === undefined ? undefined : compactCheckpoint(checkpoint);
  }

  async poll(options?: PollOptions): Promise<PollResult<CompactCheckpoint>> {
    const { events, caughtUp } = await this.#cursor.poll(options);
    return { events: events.map((entry) => ({ event: entry.event, line: entry.line, checkpoint: compactCheckpoint(entry.checkpoint) })), caughtUp };
  }

  close(): Promise<void> {
    return this.#cursor.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Fixed log paths. */
export function logFileSources(paths: readonly string[]): SourceList {
  const sources = paths.map((path) => logFileSource(path));
  return () => Promise.resolve(sources);
}

/**
 * Every `<dir>/<name>/events.jsonl`, keyed by `<name>/events.jsonl`. Symbolic
 * links (to a directory or a log) are not followed: a served directory
 * exposes only what is really in it.
 */
export function directorySources(dir: string): SourceList {
  const root = resolve(dir);
  const known = new Map<string, EventSource>();
  return async () => {
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const key = `${entry.name}/${RUN_LOG_NAME}`;
      if (known.has(key)) continue;
      const path = join(root, entry.name, RUN_LOG_NAME);
      try {
        if (!(await lstat(path)).isFile()) continue;
      } catch {
        continue;
      }
      known.set(key, logFileSource(path, key));
    }
    return [...known.values()];
  };
}
