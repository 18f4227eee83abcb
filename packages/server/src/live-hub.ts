// The server's one reader of every source: a cursor per source, polled in a
// loop, feeding the live aggregates (runs, costs, run details), a bounded
// replay buffer of recent events and the subscribed streams. Every request
// answers from this state, so its cost does not grow with the log.
import { CostRollupAccumulator, RunSummaryAccumulator, type CostRollupRow, type RunSummary } from "@telemetry/reader";
import { Buffer } from "node:buffer";
import type { TelemetryEvent } from "@telemetry/schema";
import type { EventCursor } from "@telemetry/reader";
import type { EventSource, SourceEntry, SourceList } from "./event-source.js";
import { canonicalJson, encodePositionToken, type Position } from "./position-token.js";
import { RunDetails } from "./run-detail.js";

export interface LiveHubOptions {
  readonly sources: SourceList;
  /** How often each cursor is polled once it has caught up. Default 50 ms (the page sees an event within ~this plus a round trip). */
  readonly pollIntervalMs?: number;
  /** How often the source list is asked for new sources. Default 1,000 ms. */
  readonly discoverIntervalMs?: number;
  /** Recent events kept for streams that resume (Last-Event-ID) without reading the log again. Default 20,000. */
  readonly replayCapacity?: number;
  /** Called for a failing poll or discovery; the hub keeps going and retries. */
  readonly onError?: (error: unknown, context: string) => void;
}

/** One event as the hub saw it. */
export interface HubEntry {
  readonly source: string;
  /** 1-based count of events read from `source` by this hub. */
  readonly seq: number;
  readonly event: TelemetryEvent;
  readonly line: string;
  readonly checkpoint: unknown;
}

/**
 * Called for every event read, synchronously, in order. `token()` is the
 * position after it; `message()` the SSE message carrying it, encoded once
 * and shared by every client that sends it unchanged.
 */
export type HubListener = (entry: HubEntry, token: () => string, message: () => Buffer) => void;

interface SourceState {
  readonly key: string;
  readonly source: EventSource;
  cursor: EventCursor<unknown> | undefined;
  seq: number;
  checkpoint: unknown;
  /** seq of this source's oldest event still in the replay buffer (seq + 1 when none is). */
  oldestBuffered: number;
  /** checkpoint JSON -> seq, for this source's events in the replay buffer (built lazily, see #indexBuffer). */
  readonly index: Map<string, number>;
}

/** A buffered entry; `json` is its checkpoint as the index key, once indexed. */
interface RingEntry extends HubEntry {
  json: string | undefined;
}

/** The finest cost grouping; every `by` the API accepts is re-grouped from it. */
const ALL_COST_KEYS = ["date", "agent_role", "tool", "model"] as const;

export class LiveHub {
  readonly #options: LiveHubOptions;
  readonly #pollMs: number;
  readonly #discoverMs: number;
  readonly #capacity: number;
  readonly #sources = new Map<string, SourceState>();
  readonly #ring: (RingEntry | undefined)[];
  #ringStart = 0;
  #ringSize = 0;
  /** Entries ever pushed, and how many of the first of them have been indexed. */
  #pushed = 0;
  #indexed = 0;
  readonly #listeners = new Set<HubListener>();
  readonly #tickWaiters: (() => void)[] = [];
  readonly #runs = new RunSummaryAccumulator();
  readonly #runHosts = new Map<string, Set<string>>();
  readonly #costs = new CostRollupAccumulator([...ALL_COST_KEYS]);
  readonly #details = new RunDetails();
  #events = 0;
  #summaries: { version: number; runs: RunSummary[] } | undefined;
  #costRows: { version: number; rows: CostRollupRow[] } | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #lastDiscovery = 0;
  #loop: Promise<void> | undefined;

  constructor(options: LiveHubOptions) {
    this.#options = options;
    this.#pollMs = options.pollIntervalMs ?? 50;
    this.#discoverMs = options.discoverIntervalMs ?? 1_000;
    this.#capacity = options.replayCapacity ?? 20_000;
    this.#ring = new Array<RingEntry | undefined>(this.#capacity);
  }

  /** Discovers the sources and reads each to its end; resolves when the aggregates cover every event written so far. */
  async start(): Promise<void> {
    await this.#discover();
    await this.#pollAll();
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#pollMs);
      });
      if (this.#closed) break;
      if (Date.now() - this.#lastDiscovery >= this.#discoverMs) await this.#discover();
      await this.#pollAll();
      for (const wake of this.#tickWaiters.splice(0)) wake();
    }
  }

  async #discover(): Promise<void> {
    this.#lastDiscovery = Date.now();
    let sources: readonly EventSource[];
    try {
      sources = await this.#options.sources();
    } catch (error) {
      this.#options.onError?.(error, "listing sources");
      return;
    }
    for (const source of sources) {
      if (this.#sources.has(source.key)) continue;
      this.#sources.set(source.key, {
        key: source.key,
        source,
        cursor: undefined,
        seq: 0,
        checkpoint: null,
        oldestBuffered: 1,
        index: new Map(),
      });
    }
  }

  async #pollAll(): Promise<void> {
    for (const state of this.#sources.values()) {
      if (this.#closed) return;
      try {
        state.cursor ??= await state.source.open("start");
        for (;;) {
          const result = await state.cursor.poll({ maxEvents: 5_000 });
          for (const entry of result.events as readonly SourceEntry[]) {
            if (entry.host !== undefined && entry.event.run_id !== undefined) this.#noteHost(entry.event.run_id, entry.host);
            this.#add(state, entry.event, entry.line, entry.checkpoint);
          }
          if (result.caughtUp || this.#closed) break;
        }
      } catch (error) {
        this.#options.onError?.(error, `reading ${state.key}`);
      }
    }
  }

  #add(state: SourceState, event: TelemetryEvent, line: string, checkpoint: unknown): void {
    state.seq++;
    state.checkpoint = checkpoint;
    this.#events++;
    this.#runs.add(event);
    this.#costs.add(event);
    this.#details.add(event, line);
    const entry: RingEntry = { source: state.key, seq: state.seq, event, line, checkpoint, json: undefined };
    this.#push(entry, state);
    if (this.#listeners.size === 0) return;
    let token: string | undefined;
    let message: Buffer | undefined;
    const tokenOf = (): string => (token ??= encodePositionToken(this.position()));
    const messageOf = (): Buffer => (message ??= Buffer.from(`id: ${tokenOf()}\ndata: ${line}\n\n`, "utf8"));
    for (const listener of this.#listeners) listener(entry, tokenOf, messageOf);
  }

  #push(entry: RingEntry, state: SourceState): void {
    if (this.#capacity === 0) {
      state.oldestBuffered = state.seq + 1;
      return;
    }
    this.#pushed++;
    if (this.#ringSize === this.#capacity) {
      const evicted = this.#ring[this.#ringStart]!;
      const owner = this.#sources.get(evicted.source)!;
      if (evicted.json !== undefined && owner.index.get(evicted.json) === evicted.seq) owner.index.delete(evicted.json);
      owner.oldestBuffered = evicted.seq + 1;
      this.#ring[this.#ringStart] = entry;
      this.#ringStart = (this.#ringStart + 1) % this.#capacity;
    } else {
      this.#ring[(this.#ringStart + this.#ringSize) % this.#capacity] = entry;
      this.#ringSize++;
    }
  }

  /**
   * Indexes the buffered entries not indexed yet. Done when a client resumes,
   * not per event: most entries leave the buffer without anyone asking, and
   * serializing every checkpoint cost more than reading its event.
   */
  #indexBuffer(): void {
    const first = Math.max(this.#indexed, this.#pushed - this.#ringSize);
    for (let n = first; n < this.#pushed; n++) {
      const entry = this.#ring[(this.#ringStart + (n - (this.#pushed - this.#ringSize))) % this.#capacity]!;
      entry.json = canonicalJson(entry.checkpoint);
      this.#sources.get(entry.source)!.index.set(entry.json, entry.seq);
    }
    this.#indexed = this.#pushed;
  }

  /** Where the hub is: every source's checkpoint after its last event read (null: none yet). */
  position(): Map<string, unknown> {
    const position = new Map<string, unknown>();
    for (const state of this.#sources.values()) position.set(state.key, state.checkpoint);
    return position;
  }

  token(): string {
    return encodePositionToken(this.position());
  }

  sourceKeys(): string[] {
    return [...this.#sources.keys()];
  }

  source(key: string): EventSource | undefined {
    return this.#sources.get(key)?.source;
  }

  /**
   * For each source, the seq of the last event at or before `position`, when
   * the replay buffer can continue exactly from there; undefined otherwise.
   * A source the position does not name (it appeared later) starts at its first event.
   */
  resolve(position: Position): Map<string, number> | undefined {
    this.#indexBuffer();
    const seqs = new Map<string, number>();
    for (const state of this.#sources.values()) {
      const checkpoint = position.get(state.key);
      let seq: number | undefined;
      if (checkpoint === undefined || checkpoint === null) seq = 0;
      else {
        const json = canonicalJson(checkpoint);
        seq = json === canonicalJson(state.checkpoint) ? state.seq : state.index.get(json);
      }
      // Events after `seq` must all still be buffered.
      if (seq === undefined || seq + 1 < state.oldestBuffered) return undefined;
      seqs.set(state.key, seq);
    }
    return seqs;
  }

  /** Buffered events after `seqs`, oldest first (synchronous: call it and subscribe in the same tick). */
  bufferedAfter(seqs: ReadonlyMap<string, number>): HubEntry[] {
    const out: HubEntry[] = [];
    for (let i = 0; i < this.#ringSize; i++) {
      const entry = this.#ring[(this.#ringStart + i) % this.#capacity]!;
      if (entry.seq > (seqs.get(entry.source) ?? 0)) out.push(entry);
    }
    return out;
  }

  subscribe(listener: HubListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves after the next poll round (every source polled once more). */
  nextTick(): Promise<void> {
    return new Promise((resolve) => this.#tickWaiters.push(resolve));
  }

  get eventCount(): number {
    return this.#events;
  }

  #noteHost(runId: string, host: string): void {
    let hosts = this.#runHosts.get(runId);
    if (hosts === undefined) this.#runHosts.set(runId, (hosts = new Set()));
    hosts.add(host);
  }

  /** The hosts a run's events came from (fleet sources only), sorted; undefined for a local log's run. */
  runHosts(runId: string): string[] | undefined {
    const hosts = this.#runHosts.get(runId);
    return hosts === undefined ? undefined : [...hosts].sort();
  }

  /** Run summaries, cached until the next event. */
  runSummaries(): readonly RunSummary[] {
    if (this.#summaries?.version !== this.#events) this.#summaries = { version: this.#events, runs: this.#runs.summaries() };
    return this.#summaries.runs;
  }

  /** Cost rows grouped by every key; callers re-group. Cached until the next event. */
  costRows(): readonly CostRollupRow[] {
    if (this.#costRows?.version !== this.#events) this.#costRows = { version: this.#events, rows: this.#costs.rows() };
    return this.#costRows.rows;
  }

  runDetail(runId: string): ReturnType<RunDetails["get"]> {
    return this.#details.get(runId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    for (const wake of this.#tickWaiters.splice(0)) wake();
    await this.#loop;
    await Promise.all([...this.#sources.values()].map(async (state) => state.cursor?.close()));
  }
}
