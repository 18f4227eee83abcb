// What every view gets from the shell, and gives back.
import type { TelemetryEvent } from "@telemetry/schema";

export interface ViewContext {
  /** Calls `listener` for every event the page's live stream delivers; returns the unsubscribe. */
  onEvent(listener: (event: TelemetryEvent) => void): () => void;
  /** Shows a problem (a failed request) in the page's banner; undefined clears it. */
  showError(message: string | undefined): void;
}

/** Mounted into the main element; the returned function unmounts it. */
export type View = (root: HTMLElement, context: ViewContext) => () => void;
