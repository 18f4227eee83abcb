// TEMPORARY until @telemetry/reader exports the shared cursor contract (issue-11).
import type { TelemetryEvent } from "@telemetry/schema";
export interface CursorEntry<C = unknown> {
  readonly event: TelemetryEvent;
  readonly checkpoint: C;
  readonly line: string;
}
export interface PollResult<C = unknown> {
  readonly events: readonly CursorEntry<C>[];
  readonly caughtUp: boolean;
}
export interface EventCursor<C = unknown> extends AsyncDisposable {
  poll(options?: { maxEvents?: number }): Promise<PollResult<C>>;
  readonly checkpoint: C | undefined;
  close(): Promise<void>;
}
