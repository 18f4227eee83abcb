// Streams every event of a log in write order (rotated files oldest first,
// then the live file), skipping and reporting damaged lines.
import type { TelemetryEvent } from "@telemetry/schema";
import { InvalidLineError, type InvalidLine } from "./invalid-line.js";
import { closeAll, openLogFiles } from "./open-log.js";
import { parseFileHandle } from "./read-file.js";

export interface ReadOptions {
  /** Read `path.N` .. `path.1` before `path`. Default true. */
  readonly rotated?: boolean;
  /** Throw an {@link InvalidLineError} at the first invalid line instead of skipping it. Default false. */
  readonly strict?: boolean;
  /** Called for every skipped line, in order (lenient mode). */
  readonly onInvalid?: (issue: InvalidLine) => void;
  /** Longer lines are reported and skipped without being buffered whole. Default 1 MiB. */
  readonly maxLineBytes?: number;
}

/**
 * Yields the events of the log at `path`, oldest first. Bad lines are skipped
 * and reported through `onInvalid` (or thrown, in strict mode); an
 * unterminated last line is reported as torn. Each file is read up to its end
 * at the time it is reached; use `followEvents` to wait for more.
 * @throws {LogNotFoundError} (code `ENOENT`) when neither the file nor a rotated file exists.
 * @throws {InvalidLineError} (code `INVALID_LINE`) in strict mode.
 */
export async function* readEvents(path: string, options: ReadOptions = {}): AsyncGenerator<TelemetryEvent, void, undefined> {
  const files = await openLogFiles(path, options.rotated ?? true);
  try {
    for (const { file, handle } of files) {
      const parserOptions = options.maxLineBytes === undefined ? { file } : { file, maxLineBytes: options.maxLineBytes };
      for await (const items of parseFileHandle(handle, parserOptions)) {
        for (const item of items) {
          if (item.type === "event") {
            yield item.event;
          } else if (options.strict) {
            throw new InvalidLineError(item.issue);
          } else {
            options.onInvalid?.(item.issue);
          }
        }
      }
    }
  } finally {
    await closeAll(files);
  }
}
