// The fleet as one log: an EventCursor over a JetStream stream, so everything
// that follows a log (tail -f, serve) follows the fleet the same way. An
// ordered consumer (no acks, recreated by the client after any gap or
// reconnect) delivers into a bounded buffer that poll() drains without waiting.
import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import { CursorClosedError, type CursorEntry, type EventCursor, type PollResult } from "@telemetry/reader";
import { safeParseEvent } from "@telemetry/schema";
import { connectFleet, type FleetConnectionOptions } from "./fleet-connection.js";
import { DEFAULT_STREAM, HOST_HEADER } from "./fleet-headers.js";
import { FleetStreamNotFoundError } from "./ship-errors.js";

/** Where a fleet reader is: the stream sequence of the last event passed. JSON-serializable. */
export interface FleetPosition {
  readonly stream: string;
  readonly seq: number;
}

/** One event of the fleet: the log cursor's entry plus where it came from. */
export interface FleetCursorEntry extends CursorEntry<FleetPosition> {
  /** The host that shipped it (its `Telemetry-Host` header, else the subject's last token). */
  readonly host: string;
  readonly subject: string;
  /** Its stream sequence. */
  readonly seq: number;
}

export interface FleetPollResult extends PollResult<FleetPosition> {
  readonly events: readonly FleetCursorEntry[];
}

export interface FleetCursor extends EventCursor<FleetPosition> {
  poll(options?: { maxEvents?: number }): Promise<FleetPollResult>;
}

/** A message in the stream that is not an event (someone else published there): skipped. */
export interface InvalidFleetMessage {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  readonly reason: string;
}

export interface FleetReadOptions extends FleetConnectionOptions {
  /** Stream name. Default `"TELEMETRY"`. */
  readonly stream?: string;
  /** `"start"` (default): every event in the stream. `"end"`: only events stored after opening. A position: the events after it. */
  readonly from?: "start" | "end" | FleetPosition;
  /** Called for every message that is not a valid event. */
  readonly onInvalid?: (issue: InvalidFleetMessage) => void;
}

const BUFFER_HIGH_WATER = 4_096;
const decoder = new TextDecoder();

function hostOf(message: JsMsg): string {
  const header = message.headers?.get(HOST_HEADER);
  if (header !== undefined && header !== "") return header;
  return message.subject.slice(message.subject.lastIndexOf(".") + 1);
}

class JetStreamFleetCursor implements FleetCursor {
  readonly #stream: string;
  readonly #nc: NatsConnection;
  readonly #onInvalid: FleetReadOptions["onInvalid"];
  readonly #buffer: FleetCursorEntry[] = [];
  #messages: ConsumerMessages | undefined;
  #position: FleetPosition | undefined;
  /** Messages the server still had for us after the last delivered one; unknown until the first. */
  #pending: number;
  #closed = false;
  #failure: unknown;
  #resume: (() => void) | undefined;

  constructor(stream: string, nc: NatsConnection, start: FleetPosition | undefined, pendingAtOpen: number, onInvalid: FleetReadOptions["onInvalid"]) {
    this.#stream = stream;
    this.#nc = nc;
    this.#position = start;
    this.#pending = pendingAtOpen;
    this.#onInvalid = onInvalid;
  }

  get checkpoint(): FleetPosition | undefined {
    return this.#position;
  }

  async start(startSeq: number): Promise<void> {
    const js = jetstream(this.#nc);
    const consumer = await js.consumers.get(this.#stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq });
    this.#messages = await consumer.consume({ max_messages: 1_000 });
    void this.#receive(this.#messages);
  }

  async #receive(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) {
        this.#pending = message.info.pending;
        const entry = this.#toEntry(message);
        if (entry !== undefined) this.#buffer.push(entry);
        // Back-pressure: stop taking messages until poll() drains the buffer.
        if (this.#buffer.length >= BUFFER_HIGH_WATER && !this.#closed) {
          await new Promise<void>((resolve) => (this.#resume = resolve));
        }
      }
    } catch (error) {
      if (!this.#closed) this.#failure = error;
    }
  }

  #toEntry(message: JsMsg): FleetCursorEntry | undefined {
    const seq = message.seq;
    const invalid = (reason: string): undefined => {
      this.#onInvalid?.({ stream: this.#stream, seq, subject: message.subject, reason });
      return undefined;
    };
    const line = decoder.decode(message.data);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return invalid(`not JSON: ${(error as Error).message}`);
    }
    const parsed = safeParseEvent(value);
    if (!parsed.success) return invalid(parsed.error.message);
    return { event: parsed.data, line, checkpoint: { stream: this.#stream, seq }, host: hostOf(message), subject: message.subject, seq };
  }

  async poll(options: { maxEvents?: number } = {}): Promise<FleetPollResult> {
    // Delivered messages arrive through socket I/O: a caller that polls in a loop until caught up
    // must let the event loop run, or nothing would ever arrive (a log cursor yields in its file reads).
    if (this.#buffer.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    return this.#take(options);
  }

  #take(options: { maxEvents?: number }): Promise<FleetPollResult> {
    if (this.#closed) return Promise.reject(new CursorClosedError(`stream "${this.#stream}"`));
    const failure = this.#failure;
    if (failure !== undefined) return Promise.reject(failure instanceof Error ? failure : new Error("fleet cursor failed", { cause: failure }));
    const max = Math.max(1, options.maxEvents ?? 1_000);
    const events = this.#buffer.splice(0, max);
    const last = events.at(-1);
    if (last !== undefined) this.#position = last.checkpoint;
    if (this.#buffer.length < BUFFER_HIGH_WATER / 2 && this.#resume) {
      const resume = this.#resume;
      this.#resume = undefined;
      resume();
    }
    return Promise.resolve({ events, caughtUp: this.#buffer.length === 0 && this.#pending === 0 });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#resume?.();
    this.#messages?.stop();
    await this.#nc.close().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Opens a cursor over the fleet's stream (owning its own connection until `close()`). */
export async function openFleetCursor(options: FleetReadOptions): Promise<FleetCursor> {
  const stream = options.stream ?? DEFAULT_STREAM;
  const nc = await connectFleet(options);
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
        throw new FleetStreamNotFoundError(stream, [options.servers].flat().join(","), error);
      }
      throw error;
    });
    const lastSeq = info.state.last_seq;
    const from = options.from ?? "start";
    let startSeq: number;
    let start: FleetPosition | undefined;
    if (from === "start") startSeq = Math.max(1, info.state.first_seq);
    else if (from === "end") {
      startSeq = lastSeq + 1;
      start = { stream, seq: lastSeq };
    } else {
      if (from.stream !== stream) throw new Error(`fleet position is in stream "${from.stream}", not "${stream}"`);
      startSeq = from.seq + 1;
      start = from;
    }
    // Known exactly at open: how many messages lie at or after the start.
    const pendingAtOpen = startSeq > lastSeq ? 0 : startSeq <= info.state.first_seq ? info.state.messages : lastSeq - startSeq + 1;
    const cursor = new JetStreamFleetCursor(stream, nc, start, pendingAtOpen, options.onInvalid);
    await cursor.start(startSeq);
    return cursor;
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw error;
  }
}
