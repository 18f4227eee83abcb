// The shipper: follows one log through the reader's cursor and publishes each
// event's line to this host's JetStream subject, pipelined, with exactly-once
// effects. Its position lives in the stream (a checkpoint header on every
// message, read back with last-by-subject), and `Nats-Msg-Id` = `event_id` lets
// JetStream drop the re-publishes a crash or a rewind causes. The argument is
// in docs/guarantees.md (fleet section).
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, JetStreamApiCodes, type JetStreamManager } from "@nats-io/jetstream";
import { compactCheckpointJson, expandCheckpoint, LogNotFoundError, openLogCursor, PollPacer, type Checkpoint, type CursorEntry, type InvalidLine, type LogCursor, type LogDiscontinuity } from "@telemetry/reader";
import { AckPipeline, PublishRejectedError, type StoredAck } from "./ack-pipeline.js";
import { connectFleet, type FleetConnectionOptions } from "./fleet-connection.js";
import { CHECKPOINT_HEADER, DEFAULT_STREAM, HOST_HEADER, defaultSubject } from "./fleet-headers.js";
import { ensureFleetStream, type FleetStreamOptions } from "./fleet-stream.js";
import { logLagBytes } from "./log-lag.js";
import { EventTooLargeError, StreamConfigMismatchError, SubjectConflictError } from "./ship-errors.js";

export interface ShipOptions extends FleetConnectionOptions, FleetStreamOptions {
  /** The log to ship (its rotated files `path.N` are followed too). */
  readonly path: string;
  /** This host's subject. Default `telemetry.events.<hostname>` (dots and wildcards in the hostname become `_`). */
  readonly subject?: string;
  /** The host name carried in every message's `Telemetry-Host` header. Default `os.hostname()`. */
  readonly host?: string;
  /** Aborting stops shipping: in-flight publishes are awaited (up to `ackTimeoutMs`), then `done` resolves. */
  readonly signal?: AbortSignal;
  /** Most publishes awaiting their acknowledgement at once. Default 512. */
  readonly maxInFlight?: number;
  /** How long a publish waits for JetStream's acknowledgement, in ms. Default 5000. */
  readonly ackTimeoutMs?: number;
  /** The longest wait before looking at a caught-up log again, in ms; while events flow it looks sooner (the reader's PollPacer, from 10 ms). Default 50. */
  readonly pollIntervalMs?: number;
  /** Where to begin when the stream holds nothing for the subject yet. Default `"start"` (the whole log). */
  readonly from?: "start" | "end";
  /** Each state change, once (not every retry); `caught-up` is reported as `shipping`, and shows in `stats.state`. */
  readonly onStateChange?: (change: ShipStateChange) => void;
  /** Lines of the log that are not valid events (skipped, as every reader skips them). */
  readonly onInvalid?: (issue: InvalidLine) => void;
  /**
   * The log was truncated, or the file the shipper's position is in was
   * deleted before it was shipped (rotated out of retention while the
   * shipper was down): events in between cannot be shipped. Counted in
   * `stats.discontinuities`; shipping goes on with what the log still holds.
   */
  readonly onDiscontinuity?: (discontinuity: LogDiscontinuity) => void;
  /** Longest line the cursor reads. Default: the reader's (1 MiB). */
  readonly maxLineBytes?: number;
}

export type ShipState = "connecting" | "shipping" | "caught-up" | "disconnected" | "retrying" | "stopped" | "failed";

export interface ShipStateChange {
  readonly state: ShipState;
  /** Why, for `disconnected`, `retrying` and `failed`. */
  readonly reason?: string;
}

export interface ShipStats {
  readonly state: ShipState;
  /** Events stored in the stream by this shipper since it started. */
  readonly shipped: number;
  /** Re-published events JetStream reported as duplicates (already stored; dropped). */
  readonly duplicates: number;
  /** Events re-published after a later one was already stored (see docs/guarantees.md: only after a rejected publish). */
  readonly reordered: number;
  /** Events read from the log and not yet acknowledged by the stream. */
  readonly lagEvents: number;
  /** Bytes of the log after the last acknowledged event (refreshed about once a second). */
  readonly lagBytes: number;
  /** Truncations and lost files of the log (see `onDiscontinuity`). */
  readonly discontinuities: number;
  /** How many times shipping rewound to the stream's position after an error. */
  readonly rewinds: number;
  readonly lastError: { readonly message: string; readonly at: string } | undefined;
  /** The log position just after the last acknowledged event. */
  readonly position: Checkpoint | undefined;
  /** The stream sequence of the last acknowledged event. */
  readonly streamSeq: number;
}

export interface Shipper {
  /** A snapshot of the shipper's figures. */
  readonly stats: ShipStats;
  /** Resolves after the signal aborts and in-flight publishes settle; rejects with a typed error that retrying cannot fix. */
  readonly done: Promise<ShipStats>;
}

interface InFlight {
  readonly entry: CursorEntry;
  readonly ack: Promise<StoredAck>;
}

interface StreamPosition {
  readonly checkpoint: Checkpoint | undefined;
  readonly seq: number;
}

const encoder = new TextEncoder();

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Errors that retrying cannot fix: shipping stops with them. */
function isFatal(error: unknown): boolean {
  return (
    error instanceof StreamConfigMismatchError ||
    error instanceof EventTooLargeError ||
    error instanceof SubjectConflictError ||
    error instanceof LogNotFoundError
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Starts shipping `path`; runs until `signal` aborts or a fatal error. */
export function shipLog(options: ShipOptions): Shipper {
  const host = options.host ?? hostname();
  const subject = options.subject ?? defaultSubject(host);
  const streamName = options.stream ?? DEFAULT_STREAM;
  const maxInFlight = Math.max(1, options.maxInFlight ?? 512);
  const ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const signal = options.signal ?? new AbortController().signal;

  let state: ShipState = "connecting";
  let shipped = 0;
  let duplicates = 0;
  let reordered = 0;
  let rewinds = 0;
  let discontinuities = 0;
  let lagBytes = 0;
  let lastError: ShipStats["lastError"];
  let lastAcked: StreamPosition = { checkpoint: undefined, seq: 0 };
  const inflight: InFlight[] = [];
  let unsent = 0;

  // Caught-up and shipping alternate with every quiet moment: reported as one state, so a log reads like an incident timeline.
  const reported = (s: ShipState): ShipState => (s === "caught-up" ? "shipping" : s);
  const setState = (next: ShipState, reason?: string): void => {
    if (next === state) return;
    const notify = reported(next) !== reported(state);
    state = next;
    if (notify) options.onStateChange?.(reason === undefined ? { state: reported(next) } : { state: reported(next), reason });
  };
  const recordError = (error: unknown): void => {
    lastError = { message: describeError(error), at: new Date().toISOString() };
  };
  const snapshot = (): ShipStats => ({
    state,
    shipped,
    duplicates,
    reordered,
    lagEvents: inflight.length + unsent,
    lagBytes,
    rewinds,
    discontinuities,
    lastError,
    position: lastAcked.checkpoint,
    streamSeq: lastAcked.seq,
  });

  /** The stream's last message on our subject: the truth about what is stored. */
  async function streamPosition(jsm: JetStreamManager): Promise<StreamPosition> {
    const last = await jsm.streams.getMessage(streamName, { last_by_subj: subject });
    if (last === null) return { checkpoint: undefined, seq: 0 };
    const header = last.header.get(CHECKPOINT_HEADER);
    const checkpoint = await expandCheckpoint(options.path, parseJson(header));
    if (checkpoint === undefined) {
      throw new SubjectConflictError(subject, streamName, new Error(`message ${last.seq} has no ${CHECKPOINT_HEADER} header`));
    }
    return { checkpoint, seq: last.seq };
  }

  async function openCursorAt(position: StreamPosition): Promise<LogCursor> {
    return openLogCursor(options.path, {
      from: position.checkpoint ?? options.from ?? "start",
      onDiscontinuity: (discontinuity) => {
        discontinuities++;
        lastError = { message: `log ${discontinuity.kind === "truncated" ? "truncated" : "file gone"}: ${discontinuity.file}`, at: new Date().toISOString() };
        options.onDiscontinuity?.(discontinuity);
      },
      ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
    });
  }

  /** Publishes one event; an event larger than the server accepts gets a rejected acknowledgement instead. */
  function publish(acks: AckPipeline, maxPayload: number, entry: CursorEntry, expectLastSeq: number | undefined): { ack: Promise<StoredAck>; refused: boolean } {
    const data = encoder.encode(entry.line);
    const checkpoint = compactCheckpointJson(entry.checkpoint);
    // Header bytes: names, values and separators; a generous bound is enough to refuse early.
    const size = data.length + checkpoint.length + host.length + entry.event.event_id.length + 256;
    if (size > maxPayload) {
      const where = `${options.path} line ${entry.checkpoint.line}`;
      const refused = Promise.reject(new EventTooLargeError(entry.event.event_id, size, maxPayload, where));
      refused.catch(() => undefined);
      return { ack: refused, refused: true };
    }
    const ack = acks.publish(subject, data, {
      msgId: entry.event.event_id,
      ...(expectLastSeq === undefined ? {} : { expectLastSubjectSequence: expectLastSeq }),
      extra: [
        [CHECKPOINT_HEADER, checkpoint],
        [HOST_HEADER, host],
      ],
    });
    // Awaited in order later; a rejection before then must not be reported as unhandled.
    ack.catch(() => undefined);
    return { ack, refused: false };
  }

  /** Waits for every in-flight publish; returns the event ids stored after the first failure. */
  async function settle(): Promise<{ storedAfterFailure: Set<string> }> {
    const results = await Promise.allSettled(inflight.map((f) => f.ack));
    const storedAfterFailure = new Set<string>();
    let failed = false;
    results.forEach((result, i) => {
      const entry = inflight[i]!.entry;
      if (result.status === "rejected") failed = true;
      else if (!failed) {
        // Acknowledged in order before any failure: just as good as awaited one by one.
        lastAcked = { checkpoint: entry.checkpoint, seq: result.value.seq };
        if (result.value.duplicate) duplicates++;
        else shipped++;
      } else if (!result.value.duplicate) {
        storedAfterFailure.add(entry.event.event_id);
        shipped++;
      }
    });
    inflight.length = 0;
    unsent = 0;
    return { storedAfterFailure };
  }

  async function pump(nc: NatsConnection, acks: AckPipeline, cursor: LogCursor, expectLastSeq: number | undefined, repair: Set<string>): Promise<void> {
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    let expect = expectLastSeq;
    let pending: readonly CursorEntry[] = [];
    let next = 0;
    let caughtUp = false;
    let lastPollAt = 0;
    // Refill the window in bursts, not one publish per acknowledgement: a burst goes out in
    // one socket write (the client flushes once per microtask turn), one publish per ack
    // made a write(2) per message and halved throughput.
    const refillAt = Math.max(1, Math.floor(maxInFlight / 2));
    // After an event the server cannot take, nothing later is published: the events before
    // it are acknowledged, then its refusal reaches the head and stops shipping, so the
    // stream never has a gap.
    let blocked = false;
    const pacer = new PollPacer(pollIntervalMs);
    let shippedSinceWait = false;
    for (;;) {
      if (signal.aborted) return;
      const refill = !blocked && inflight.length <= refillAt;
      while (refill && inflight.length < maxInFlight) {
        if (next >= pending.length) {
          // Caught up with acknowledgements still arriving: look at the log again at most every 10 ms, not on every ack.
          if (caughtUp && Date.now() - lastPollAt < 10) break;
          const result = await cursor.poll({ maxEvents: Math.max(64, maxInFlight - inflight.length) });
          if (result.events.length > 0) shippedSinceWait = true;
          lastPollAt = Date.now();
          pending = result.events;
          next = 0;
          caughtUp = result.caughtUp;
          if (pending.length === 0) break;
        }
        const entry = pending[next++]!;
        const { ack, refused } = publish(acks, maxPayload, entry, expect);
        inflight.push({ entry, ack });
        expect = undefined;
        if (refused) {
          blocked = true;
          break;
        }
      }
      unsent = pending.length - next;
      if (inflight.length === 0) {
        // Reached only after the stream position was read: the server is answering.
        setState("caught-up");
        // Soon while events flow, backing off to pollIntervalMs while the log is idle (the reader's pacing).
        await pacer.wait(shippedSinceWait, signal);
        shippedSinceWait = false;
        continue;
      }
      const head = inflight[0]!;
      const ack = await head.ack;
      inflight.shift();
      // Only progress changes the state back: a retry that fails again logs nothing new.
      setState(inflight.length === 0 && caughtUp && next >= pending.length ? "caught-up" : "shipping");
      lastAcked = { checkpoint: head.entry.checkpoint, seq: ack.seq };
      if (ack.duplicate) duplicates++;
      else {
        shipped++;
        // Stored now although a later event was stored before it (after a rejected publish).
        if (repair.size > 0) reordered++;
      }
      repair.delete(head.entry.event.event_id);
    }
  }

  async function run(): Promise<ShipStats> {
    let nc: NatsConnection | undefined;
    let stopPipeline: (() => void) | undefined;
    const stopLagTimer = setInterval(() => {
      logLagBytes(options.path, lastAcked.checkpoint).then(
        (bytes) => (lagBytes = bytes),
        () => undefined,
      );
    }, 1_000);
    try {
      options.onStateChange?.({ state: "connecting" });
      const connecting = connectFleet(options);
      const aborted = new Promise<undefined>((resolve) => signal.addEventListener("abort", () => resolve(undefined), { once: true }));
      nc = signal.aborted ? undefined : await Promise.race([connecting, aborted]);
      if (nc === undefined) {
        connecting.then((late) => late.close(), () => undefined);
        return snapshot();
      }
      const connection = nc;
      void (async () => {
        for await (const status of connection.status()) {
          if (status.type === "disconnect") setState("disconnected", `lost ${status.server}`);
        }
      })();
      const jsm = await jetstreamManager(connection, { timeout: ackTimeoutMs });
      const acks = new AckPipeline(connection, ackTimeoutMs);
      stopPipeline = () => acks.close();
      let repair = new Set<string>();
      let backoffMs = 250;
      let seqAtLastError = 0;
      for (;;) {
        if (signal.aborted) break;
        let cursor: LogCursor | undefined;
        try {
          await ensureFleetStream(jsm, subject, options);
          let expect: number | undefined;
          if (repair.size > 0) {
            // A later event is stored but an earlier one was not: resume after the last one
            // acknowledged in order, so the missing one is re-sent (the rest are duplicates).
          } else {
            const stored = await streamPosition(jsm);
            // Retention may have removed acknowledged messages; never go back before them.
            if (stored.seq >= lastAcked.seq) {
              lastAcked = stored;
              expect = stored.seq;
            }
          }
          cursor = await openCursorAt(lastAcked);
          await pump(connection, acks, cursor, expect, repair);
          await Promise.allSettled(inflight.map((f) => f.ack));
          await settle();
          break;
        } catch (error) {
          if (error instanceof PublishRejectedError && error.code === JetStreamApiCodes.StreamWrongLastSequence) {
            throw new SubjectConflictError(subject, streamName, error);
          }
          if (isFatal(error)) throw error;
          recordError(error);
          if (lastAcked.seq > seqAtLastError) backoffMs = 250;
          seqAtLastError = lastAcked.seq;
          const { storedAfterFailure } = await settle();
          if (storedAfterFailure.size > 0) repair = new Set([...repair, ...storedAfterFailure]);
          rewinds++;
          setState("retrying", describeError(error));
          await sleep(backoffMs * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
          backoffMs = Math.min(backoffMs * 2, 5_000);
          continue;
        } finally {
          await cursor?.close();
        }
      }
      setState("stopped");
      return snapshot();
    } catch (error) {
      recordError(error);
      setState("failed", describeError(error));
      throw error;
    } finally {
      clearInterval(stopLagTimer);
      stopPipeline?.();
      lagBytes = await logLagBytes(options.path, lastAcked.checkpoint).catch(() => lagBytes);
      await nc?.close().catch(() => undefined);
    }
  }

  const done = run();
  return {
    get stats() {
      return snapshot();
    },
    done,
  };
}
