// The writer behind each open TelemetryLogger, for this package's own bulk
// appends (the legacy import) without widening the logger's public API.
import type { EventWriter } from "@telemetry/writer";

const writers = new WeakMap<object, EventWriter>();

export function registerLoggerWriter(logger: object, writer: EventWriter): void {
  writers.set(logger, writer);
}

export function loggerWriter(logger: object): EventWriter | undefined {
  return writers.get(logger);
}
