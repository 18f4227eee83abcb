// Group commit: lines queued while a write+fdatasync is in flight form the
// next batch, written with one write(2) and made durable with one fdatasync.
// One flusher loop owns the file, so batches reach it in emit-call order.
// (performance is imported: the global one is a getter, measurable per batch.)
import { performance } from "node:perf_hooks";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { WriterError } from "./errors.js";

/** Where batches go. Only the flusher loop (and the exit hook) call it. */
export interface BatchSink {
  /**
   * Readies the file (reopen, rotate); returns how many bytes the next batch
   * may hold. Synchronous in the common case, a promise when it must wait.
   */
  prepare(firstBytes: number): number | Promise<number>;
  /** Appends the whole batch (`bytes` long in UTF-8) with one write(2), synchronously. */
  write(data: string | Buffer, bytes: number): void;
  /** Makes everything written so far durable, off the main thread. */
  sync(): Promise<void>;
  /** Makes everything written so far durable on the main thread. Only when `canSyncInline`. */
  syncInline(): void;
  /** False while something (a new directory entry) needs the full asynchronous sync. */
  readonly canSyncInline: boolean;
  /** Written since the last sync. */
  readonly isDirty: boolean;
  /** Exit hook: write `data` and, if `durable`, sync, all synchronously. */
  writeAndSyncOnExit(data: Buffer | undefined, durable: boolean): void;
}

interface Entry<T> {
  readonly line: string;
  readonly bytes: number;
  readonly value: T;
  readonly seq: number;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

interface Waiter {
  readonly seq: number;
  readonly sync: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** fdatasync each batch before acknowledging it ("fsync" durability). */
  readonly syncEachBatch: boolean;
  /** Bytes queued or in flight, past which `enqueue` rejects with QUEUE_FULL. */
  readonly maxQueueBytes: number;
  /** Upper bound of one write(2); keeps each write far below the 2 GiB where Linux writes short. */
  readonly maxBatchBytes?: number;
  /** Named in error messages. */
  readonly path: string;
}

const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
/**
 * Batches up to this size are assembled in one Buffer kept for the writer's
 * life (larger ones get their own). A fresh Buffer per batch is fresh memory:
 * past glibc's 128 KiB mmap threshold the kernel maps, zero-fills and unmaps
 * it every time, which cost a bulk import more system time than its writes.
 * Its pages are touched only as far as batches have reached.
 */
const REUSED_BUFFER_BYTES = 1024 * 1024;
/**
 * A batch of one event whose producer waits is fdatasync'd on the main thread
 * while recent syncs averaged under this. Measured on the 2-core bench VM: a
 * thread-pool round trip costs 50-300 µs (two thread wake-ups, more under CPU
 * contention), as much as a fast fdatasync itself, while holding the loop
 * for a sync under 2 ms stays far inside a 10 ms p99 budget. One slow sync
 * raises the average past it and later syncs go to the pool.
 */
const INLINE_SYNC_MAX_MS = 2;
/**
 * Up to this average a lone event is still synced inline while nothing else
 * uses the event loop (see IDLE_LOOP_TURN_MS): holding an idle loop delays
 * no one, and under CPU contention (when syncs slow down to a few ms) the
 * two thread wake-ups of a pool round trip cost up to milliseconds
 * themselves. Half the 10 ms event-loop p99 budget.
 */
const IDLE_LOOP_INLINE_SYNC_MAX_MS = 5;
/**
 * The event loop counts as otherwise idle while the turns the flusher gave
 * it (with a producer waiting) came back within this on average: no
 * timers, I/O callbacks or other immediates ran to speak of.
 */
const IDLE_LOOP_TURN_MS = 0.5;
/** Weight of the newest sync in the running average of sync durations (and of loop turns in theirs). */
const SYNC_AVERAGE_WEIGHT = 0.25;
/**
 * Main-thread time one slice of acknowledgements may take, continuations
 * included. At ~8 µs per producer continuation (a new emit validated with
 * caches cold) that is ~128 acknowledgements per event-loop turn.
 */
const ACK_SLICE_BUDGET_MS = 1;
const MIN_ACK_SLICE = 16;
/** Bounds the one slice sized by an estimate that turns out too cheap. */
const MAX_ACK_SLICE = 4096;
/** How fast the cost estimate follows costlier and cheaper acknowledgements. */
const ACK_COST_RISE = 0.5;
const ACK_COST_DECAY = 0.125;
/**
 * The flusher goes on to the next batch without giving the event loop a
 * turn (one turn costs a few µs and a system call, per event for a lone
 * producer) only while it has held the loop for less than this.
 */
const MAX_LOOP_HOLD_MS = 1;

export class GroupCommit<T> {
  private readonly sink: BatchSink;
  private readonly options: GroupCommitOptions;
  private readonly maxBatchBytes: number;
  /** Where batches of more than one line are assembled for their write(2); see REUSED_BUFFER_BYTES. */
  private writeBuffer: Buffer | undefined;
  private queue: Entry<T>[] = [];
  private waiters: Waiter[] = [];
  /** Bytes enqueued and not yet acknowledged or rejected: the memory the bound limits. */
  private unsettledBytes = 0;
  private lastSeq = 0;
  private settledSeq = 0;
  private running = false;
  /** Batches written and fdatasync'd: for tests and benchmarks proving group commit. */
  batches = 0;
  syncs = 0;
  /** Syncs made on the main thread (a batch of one on a fast disk). */
  inlineSyncs = 0;
  /**
   * Running average of recent fdatasync durations, in ms. It starts at 0:
   * the first lone event is synced inline, and if that sync was slow the
   * average says so and the next ones go to the pool.
   */
  private syncAverageMs = 0;
  /**
   * Running average of how long an event-loop turn the flusher gave while a
   * producer waited took to come back, in ms: the other work on the loop.
   */
  private loopTurnAverageMs = 0;
  /** The last batch was a lone event whose sync went to the pool. */
  private lonePooled = false;
  /** Running estimate of one acknowledgement's main-thread cost, continuation included, in ms. */
  private ackCostMs = ACK_SLICE_BUDGET_MS / 128;
  /** Longest synchronous write(2) of a batch, in ms: the writer's only main-thread disk wait. */
  slowestWriteMs = 0;

  constructor(sink: BatchSink, options: GroupCommitOptions) {
    this.sink = sink;
    this.options = options;
    this.maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  /**
   * Queues one line (ending in "\n"); `resolve(value)` runs once it is
   * stored per the durability, `reject(error)` if it never will be (also
   * right away, for QUEUE_FULL). Callbacks rather than a promise, so
   * fire-and-forget callers allocate none.
   */
  enqueue(line: string, bytes: number, value: T, resolve: (value: T) => void, reject: (error: unknown) => void): void {
    if (this.unsettledBytes + bytes > this.options.maxQueueBytes) {
      reject(
        new WriterError(
          "QUEUE_FULL",
          `emit to ${this.options.path}: ${this.unsettledBytes} bytes already wait for the disk and this event (${bytes} bytes) would pass maxQueueBytes (${this.options.maxQueueBytes}); await earlier emits or raise maxQueueBytes`,
          { path: this.options.path },
        ),
      );
      return;
    }
    this.queue.push({ line, bytes, value, seq: ++this.lastSeq, resolve, reject });
    this.unsettledBytes += bytes;
    this.schedule();
  }

  /** Resolves once everything enqueued before the call has settled; with `sync`, also fdatasync'd. */
  barrier(sync: boolean): Promise<void> {
    if (this.settledSeq === this.lastSeq && !(sync && this.sink.isDirty)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq: this.lastSeq, sync, resolve, reject });
      this.schedule();
    });
  }

  /** Exit hook: everything still queued goes to the file now, synchronously. */
  flushOnExit(): void {
    const entries = this.queue;
    this.queue = [];
    this.sink.writeAndSyncOnExit(entries.length > 0 ? this.concat(entries) : undefined, this.options.syncEachBatch);
  }

  private schedule(): void {
    if (this.running) return;
    this.running = true;
    // setImmediate, not a microtask: every emit issued in the current turn
    // (including continuations of just-acknowledged producers) joins the batch.
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      // Since when this loop has held the event loop without giving it a turn.
      let heldSince = performance.now();
      for (;;) {
        if (this.queue.length > 0) {
          const committed = this.commitBatch();
          // A batch synced on the thread pool came back through the event loop: it had its turn.
          if (typeof committed === "boolean" ? committed : await committed) heldSince = performance.now();
        }
        if (this.waiters.length > 0) await this.settleWaiters();
        // Continuations of just-acknowledged producers were queued as
        // microtasks ahead of this one: after it, their next emits are in the
        // queue. A batch that never left the main thread (an inline sync,
        // "write" durability) is followed by the next one at once, saving an
        // event-loop turn per event, but only while this loop has held the
        // event loop under MAX_LOOP_HOLD_MS: otherwise producers awaiting emit
        // and this loop would chain microtasks forever and starve timers and I/O.
        await Promise.resolve();
        const waiting = this.queue.length > 0;
        const now = performance.now();
        // After a lone event synced on the pool, one turn (microseconds, beside
        // a sync of milliseconds) keeps measuring whether the loop is busy.
        if (!waiting || now - heldSince >= MAX_LOOP_HOLD_MS || this.lonePooled) {
          this.lonePooled = false;
          await yieldToEventLoop();
          heldSince = performance.now();
          // With a producer waiting, the turn's length is what else the loop had to do.
          if (waiting) this.loopTurnAverageMs += SYNC_AVERAGE_WEIGHT * (heldSince - now - this.loopTurnAverageMs);
        }
        if (this.queue.length === 0 && this.waiters.length === 0) break;
      }
    } finally {
      this.running = false;
    }
  }

  private concat(entries: readonly Entry<T>[]): Buffer {
    let total = 0;
    for (const entry of entries) total += entry.bytes;
    // The write(2) is synchronous, so one Buffer serves every batch that fits.
    const buffer = total <= REUSED_BUFFER_BYTES ? (this.writeBuffer ??= Buffer.allocUnsafeSlow(REUSED_BUFFER_BYTES)) : Buffer.allocUnsafe(total);
    let offset = 0;
    for (const entry of entries) offset += buffer.write(entry.line, offset);
    return buffer.subarray(0, total);
  }

  private fail(entries: readonly Entry<T>[], error: unknown): void {
    for (const entry of entries) {
      this.unsettledBytes -= entry.bytes;
      entry.reject(error);
    }
    const last = entries.at(-1);
    if (last !== undefined) this.settledSeq = last.seq;
  }

  /**
   * Writes the next batch. Synchronous unless the file must be reopened or
   * rotated first, or the batch's fdatasync goes to the thread pool; the
   * result says whether it waited for such an fdatasync.
   */
  private commitBatch(): boolean | Promise<boolean> {
    const first = this.queue[0];
    if (first === undefined) return false;
    let room: number | Promise<number>;
    try {
      room = this.sink.prepare(first.bytes);
    } catch (error) {
      // The file cannot be opened or rotated: nothing queued can be stored now.
      this.fail(this.queue.splice(0), error);
      return false;
    }
    if (typeof room === "number") return this.writeBatch(room);
    return room.then(
      (prepared) => this.writeBatch(prepared),
      (error: unknown) => {
        this.fail(this.queue.splice(0), error);
        return false;
      },
    );
  }

  /** Takes the batch off the queue, writes it and (with "fsync") syncs it, then acknowledges it. */
  private writeBatch(room: number): boolean | Promise<boolean> {
    // From here to write() is synchronous, so the exit hook never sees a batch
    // that has left the queue without reaching the file.
    const limit = Math.min(room, this.maxBatchBytes);
    let count = 1;
    let bytes = this.queue[0]?.bytes ?? 0;
    for (; count < this.queue.length; count++) {
      const next = this.queue[count];
      if (next === undefined || bytes + next.bytes > limit) break;
      bytes += next.bytes;
    }
    const batch = this.queue.splice(0, count);
    const only = batch.length === 1 ? batch[0] : undefined;
    try {
      const started = performance.now();
      // A lone line goes to write(2) as the string it is: no Buffer to allocate and copy into.
      this.sink.write(only === undefined ? this.concat(batch) : only.line, bytes);
      const written = performance.now();
      this.slowestWriteMs = Math.max(this.slowestWriteMs, written - started);
      this.batches++;
      if (!this.options.syncEachBatch) {
        this.settle(batch);
        return false;
      }
      if (only !== undefined && this.queue.length === 0 && this.syncsFastEnoughToHoldLoop() && this.sink.canSyncInline) {
        this.sink.syncInline();
        this.inlineSyncs++;
        this.syncDone(written);
        this.settle(batch);
        return false;
      }
    } catch (error) {
      this.fail(batch, error);
      return false;
    }
    this.lonePooled = only !== undefined;
    const syncStarted = performance.now();
    return this.sink.sync().then(
      () => {
        this.syncDone(syncStarted);
        this.settle(batch);
        return true;
      },
      (error: unknown) => {
        this.fail(batch, error);
        return false;
      },
    );
  }

  /** Whether a lone event's fdatasync may hold the event loop: the disk is fast, or the loop has nothing else to do. */
  private syncsFastEnoughToHoldLoop(): boolean {
    return this.syncAverageMs < INLINE_SYNC_MAX_MS || (this.syncAverageMs < IDLE_LOOP_INLINE_SYNC_MAX_MS && this.loopTurnAverageMs < IDLE_LOOP_TURN_MS);
  }

  /** Counts a finished fdatasync and feeds its duration to the average that decides where the next one runs. */
  private syncDone(started: number): void {
    this.syncs++;
    this.syncAverageMs += SYNC_AVERAGE_WEIGHT * (performance.now() - started - this.syncAverageMs);
  }

  private settle(batch: readonly Entry<T>[]): void {
    for (const entry of batch) this.unsettledBytes -= entry.bytes;
    this.settledSeq = batch[batch.length - 1]?.seq ?? this.settledSeq;
    this.acknowledge(batch);
  }

  /**
   * Resolves a batch in slices, one slice per event-loop turn. Each
   * resolution may run its producer's continuation (often a new emit,
   * validated on the main thread); 1,000 of them at once would hold the loop
   * for milliseconds. Sliced, other I/O runs between slices, and the first
   * slices' new emits are written and fdatasync'd while later slices still
   * produce, so CPU work overlaps the disk. A slice holds as many
   * acknowledgements as fit in ACK_SLICE_BUDGET_MS at the measured cost of
   * recent ones: cheap ones (no one awaits, `record`) go in one slice,
   * rather than keeping a whole batch of events alive for several turns.
   */
  private acknowledge(batch: readonly Entry<T>[]): void {
    if (batch.length === 1) {
      const entry = batch[0];
      entry?.resolve(entry.value);
      return;
    }
    const resolveSlice = (from: number): void => {
      const to = Math.min(batch.length, from + Math.max(MIN_ACK_SLICE, Math.min(MAX_ACK_SLICE, Math.floor(ACK_SLICE_BUDGET_MS / this.ackCostMs))));
      const started = performance.now();
      for (let i = from; i < to; i++) {
        const entry = batch[i];
        entry?.resolve(entry.value);
      }
      // Queued after the continuations these resolutions released, so it runs once they have.
      queueMicrotask(() => {
        const cost = (performance.now() - started) / (to - from);
        // A costlier slice counts half at once, a cheaper one gradually: an
        // underestimate is what holds the loop, but one slice stretched by a
        // GC pause or a preemption should not shrink the next ones for long.
        this.ackCostMs += (cost > this.ackCostMs ? ACK_COST_RISE : ACK_COST_DECAY) * (cost - this.ackCostMs);
      });
      if (to < batch.length) setImmediate(resolveSlice, to);
    };
    resolveSlice(0);
  }

  private async settleWaiters(): Promise<void> {
    const ready = this.waiters.filter((w) => w.seq <= this.settledSeq);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.seq > this.settledSeq);
    if (ready.some((w) => w.sync) && this.sink.isDirty) {
      try {
        await this.sink.sync();
        this.syncs++;
      } catch (error) {
        for (const waiter of ready) {
          if (waiter.sync) waiter.reject(error);
          else waiter.resolve();
        }
        return;
      }
    }
    for (const waiter of ready) waiter.resolve();
  }
}
