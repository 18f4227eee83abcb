// One `GET /api/stream` client: Server-Sent Events from a position, exactly
// once and in order, then live. Each message's `id:` is the position token
// after its event, so a reconnect (Last-Event-ID) or `?from=<token>` resumes
// with no gap and no repeat, also after a server restart.
import { Buffer } from "node:buffer";
import type { ServerResponse } from "node:http";
import type { TelemetryEvent } from "@telemetry/schema";
import type { EventCursor } from "@telemetry/reader";
import type { HubEntry, LiveHub } from "./live-hub.js";
import { encodePositionToken } from "./position-token.js";

export interface StreamSessionOptions {
  readonly hub: LiveHub;
  readonly response: ServerResponse;
  /** Where to start: "start", "end", or a decoded position token. */
  readonly from: "start" | "end" | Map<string, unknown>;
  readonly matches: (event: TelemetryEvent) => boolean;
  /** Comment lines this often keep proxies from closing an idle stream. */
  readonly heartbeatMs: number;
  /** A client this far behind (bytes queued in the socket) is disconnected; it resumes from its last id. */
  readonly maxQueuedBytes: number;
  readonly onError?: (error: unknown, context: string) => void;
}

/** Browsers wait this long before reconnecting (sent as `retry:`). */
const RETRY_MS = 1_000;

export class StreamSession {
  readonly #o: StreamSessionOptions;
  readonly #res: ServerResponse;
  #position: Map<string, unknown>;
  /** The position last sent as an `id:`; heartbeats send the current one when filtered events moved it. */
  #sentToken = "";
  #unsubscribe: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;
  /** Messages of the hub's current poll not written yet (see #tryJoin). */
  #live: Buffer[] = [];
  readonly done: Promise<void>;

  constructor(options: StreamSessionOptions) {
    this.#o = options;
    this.#res = options.response;
    this.#position = options.from === "start" ? new Map<string, unknown>() : options.from === "end" ? options.hub.position() : new Map(options.from);
    this.done = new Promise((resolve) => this.#res.once("close", () => {
      this.#stop();
      resolve();
    }));
  }

  async run(): Promise<void> {
    const res = this.#res;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.#sendPosition();
    this.#heartbeat = setInterval(() => {
      res.write(": heartbeat\n\n");
      this.#sendPosition();
    }, this.#o.heartbeatMs);
    try {
      await this.#attach();
    } catch (error) {
      this.#o.onError?.(error, "stream catch-up");
      res.destroy();
    }
  }

  /** Sends the position as an id-only message: it moves the browser's Last-Event-ID without firing an event. */
  #sendPosition(): void {
    const token = encodePositionToken(this.#position);
    if (token === this.#sentToken) return;
    this.#sentToken = token;
    this.#res.write(`id: ${token}\n\n`);
  }

  /**
   * Sends events read before going live (catch-up or replay), as one write:
   * a write per event costs the HTTP layer several socket writes each. Each
   * event's token is computed from our own position.
   */
  #sendAll(source: string | undefined, entries: readonly { source?: string; event: TelemetryEvent; line: string; checkpoint: unknown }[]): void {
    let messages = "";
    for (const entry of entries) {
      this.#position.set(source ?? entry.source!, entry.checkpoint);
      if (!this.#o.matches(entry.event)) continue;
      const id = encodePositionToken(this.#position);
      this.#sentToken = id;
      // A stored line never holds "\n" or "\r" (the writer serializes JSON), so one data: field carries it.
      messages += `id: ${id}\ndata: ${entry.line}\n\n`;
    }
    if (messages !== "") this.#res.write(messages);
  }

  /** Joins the hub's live feed at this session's position, reading the sources itself first when the replay buffer does not reach back that far. */
  async #attach(): Promise<void> {
    const hub = this.#o.hub;
    if (this.#tryJoin()) return;
    const cursors = new Map<string, EventCursor<unknown>>();
    try {
      for (;;) {
        let caughtUp = true;
        for (const key of hub.sourceKeys()) {
          if (this.#closed) return;
          let cursor = cursors.get(key);
          if (cursor === undefined) {
            const checkpoint = this.#position.get(key);
            cursor = await hub.source(key)!.open(checkpoint === undefined || checkpoint === null ? "start" : { checkpoint });
            cursors.set(key, cursor);
          }
          const result = await cursor.poll({ maxEvents: 1_000 });
          this.#sendAll(key, result.events);
          if (!result.caughtUp) caughtUp = false;
          await this.#drained();
        }
        if (!caughtUp) continue;
        // Caught up with the files: the hub is at or near the same place. Join
        // as soon as its buffer covers this position (it may still have to read
        // up to it); if it has moved past the buffer, read on.
        await hub.nextTick();
        if (this.#closed || this.#tryJoin()) return;
      }
    } finally {
      await Promise.all([...cursors.values()].map((cursor) => cursor.close()));
    }
  }

  /** Replays the buffered events after this position and subscribes, in one synchronous step so nothing falls between. */
  #tryJoin(): boolean {
    const hub = this.#o.hub;
    const seqs = hub.resolve(this.#position);
    if (seqs === undefined) return false;
    // Keys the hub does not serve cannot advance; dropping them keeps our position equal to the hub's, whose token we reuse.
    for (const key of this.#position.keys()) if (!seqs.has(key)) this.#position.delete(key);
    this.#sendAll(undefined, hub.bufferedAfter(seqs));
    this.#unsubscribe = hub.subscribe((entry: HubEntry, token, message) => {
      // Live, our position equals the hub's: its token and its encoded message are ours.
      this.#position.set(entry.source, entry.checkpoint);
      if (!this.#o.matches(entry.event)) return;
      this.#sentToken = token();
      // The hub hands over a poll's events in one synchronous loop: they
      // leave in one write when it ends. Per event, the HTTP layer's chunk
      // framing made four socket writes each, which at 50 clients x 5,000
      // events/s cost the server most of a core.
      if (this.#live.length === 0) process.nextTick(this.#flushLive);
      this.#live.push(message());
    });
    return true;
  }

  readonly #flushLive = (): void => {
    const messages = this.#live;
    this.#live = [];
    if (this.#closed) return;
    this.#res.write(messages.length === 1 ? messages[0]! : Buffer.concat(messages));
    if (this.#res.writableLength > this.#o.maxQueuedBytes) this.#res.destroy();
  };

  #drained(): Promise<void> {
    if (this.#res.writableLength < 1 << 20 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#res.off("drain", done);
        this.#res.off("close", done);
        resolve();
      };
      this.#res.on("drain", done);
      this.#res.on("close", done);
    });
  }

  #stop(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#unsubscribe?.();
  }
}
