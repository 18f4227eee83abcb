// One live subscription to `/api/stream`: every event once, in order. The
// browser's EventSource reconnects with Last-Event-ID by itself; when it gives
// up (a non-200 answer while the server restarts) we reopen from the last id.
import { safeParseEvent, type TelemetryEvent } from "@telemetry/schema";

export type StreamStatus = "connecting" | "live" | "offline";

export interface LiveStreamOptions {
  /** Filters (`run_id`, `event`, ...) as `/api/stream` takes them. */
  readonly params: Readonly<Record<string, string>>;
  /** A position token, "start" or "end". */
  readonly from: string;
  readonly onEvent: (event: TelemetryEvent, id: string) => void;
  readonly onStatus?: (status: StreamStatus) => void;
  /** A `data:` line that is not a valid event (never expected from the server). */
  readonly onInvalid?: (data: string) => void;
}

const REOPEN_MS = 1_000;

export class LiveStream {
  readonly #o: LiveStreamOptions;
  #source: EventSource | undefined;
  #lastId: string;
  #timer: number | undefined;
  #closed = false;

  constructor(options: LiveStreamOptions) {
    this.#o = options;
    this.#lastId = options.from;
    this.#open();
  }

  #open(): void {
    const query = new URLSearchParams(this.#o.params);
    query.set("from", this.#lastId);
    const source = new EventSource(`/api/stream?${query.toString()}`);
    this.#source = source;
    this.#o.onStatus?.("connecting");
    source.onopen = () => this.#o.onStatus?.("live");
    source.onmessage = (message: MessageEvent<string>) => {
      if (message.lastEventId !== "") this.#lastId = message.lastEventId;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        this.#o.onInvalid?.(message.data);
        return;
      }
      const result = safeParseEvent(parsed);
      if (result.success) this.#o.onEvent(result.data, message.lastEventId);
      else this.#o.onInvalid?.(message.data);
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.#o.onStatus?.("connecting");
        return;
      }
      this.#o.onStatus?.("offline");
      if (!this.#closed) this.#timer = window.setTimeout(() => this.#open(), REOPEN_MS);
    };
  }

  close(): void {
    this.#closed = true;
    window.clearTimeout(this.#timer);
    this.#source?.close();
  }
}
