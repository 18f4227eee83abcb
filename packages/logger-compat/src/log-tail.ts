// Reads a log once, then only what was appended since: the live file's
// identity (device, inode) and the offset just past its last complete line
// are remembered. A rotation is followed (the old file is finished under its
// new name, then newer files are read); anything else unexpected (a
// truncation, a rotated file already deleted) falls back to a full rescan.
// Consumers must tolerate seeing an event twice (the index ignores known
// ids): a rescan or a rotation race may re-read lines. A truncation is seen
// by size, or by the bytes before the offset changing (a truncated file
// rewritten past the old size).
import { open, stat, type FileHandle } from "node:fs/promises";
import { readSync, statSync, type Stats } from "node:fs";
import { ChunkParser, listRotatedFiles, readEvents, type InvalidLine, type ParsedLine } from "@telemetry/reader";
import type { TelemetryEvent } from "@telemetry/schema";

const CHUNK_BYTES = 1024 * 1024;
const SYNC_READ_BYTES = 64 * 1024;
// A full scan retries while rotations keep racing it; past this it keeps what it read.
const MAX_SCAN_ATTEMPTS = 5;

interface Position {
  /** The live file, kept open: a rename by rotation does not affect it. */
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  /** Just past the last complete line read. */
  readonly offset: number;
  /** The bytes just before `offset`: if they change, the file was truncated and rewritten behind our back. */
  readonly fingerprint: Uint8Array;
}

// Enough to tell one event line's end from another's (ids and timestamps differ).
const FINGERPRINT_BYTES = 64;

export interface LogTailOptions {
  readonly path: string;
  readonly onEvent: (event: TelemetryEvent) => void;
  readonly onInvalid?: ((issue: InvalidLine) => void) | undefined;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function fingerprintOf(handle: FileHandle, offset: number): Promise<Uint8Array> {
  const length = Math.min(FINGERPRINT_BYTES, offset);
  const bytes = new Uint8Array(length);
  const { bytesRead } = await handle.read(bytes, 0, length, offset - length);
  return bytes.subarray(0, bytesRead);
}

export class LogTail {
  private position: Position | undefined;
  private readonly path: string;
  private readonly onEvent: (event: TelemetryEvent) => void;
  private readonly onInvalid: ((issue: InvalidLine) => void) | undefined;

  constructor(options: LogTailOptions) {
    this.path = options.path;
    this.onEvent = options.onEvent;
    this.onInvalid = options.onInvalid;
  }

  /** Reads every file of the log, oldest first, and remembers where the live file ends. */
  async readAll(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const live = await this.openFile(this.path);
      try {
        for (const file of await this.rotatedFiles()) await this.readWhole(file);
        await this.adopt(live === undefined ? undefined : await this.readLive(live));
      } catch (error) {
        await live?.close();
        throw error;
      }
      // If the live path still names the file we read, no rotation slipped between the files.
      const now = await statOrUndefined(this.path);
      const same = now === undefined ? this.position === undefined : this.position?.ino === now.ino && this.position.dev === now.dev;
      if (same || attempt >= MAX_SCAN_ATTEMPTS) return;
    }
  }

  /** Reads what was appended since the last read; follows a rotation. */
  async readNew(): Promise<void> {
    const known = this.position;
    // Synchronous on purpose: a stat of a local file takes microseconds, far
    // less than a round trip through libuv's thread pool, and every query
    // pays it. (Small reads are synchronous too; see readAppended.)
    const now = statSync(this.path, { throwIfNoEntry: false });
    if (known === undefined) {
      if (now !== undefined || (await this.rotatedFiles()).length > 0) await this.readAll();
      return;
    }
    if (now?.dev === known.dev && now.ino === known.ino) {
      if (now.size < known.offset) return this.readAll(); // truncated: start over
      // Nothing new. (A truncation rewritten to exactly the old size is caught at the next append.)
      if (now.size === known.offset) return;
      const next = await this.readAppended(known, now.size);
      // The bytes before our offset changed: truncated and rewritten past the old size.
      if (next === undefined) return this.readAll();
      this.position = next;
      return;
    }
    await this.followRotation(known);
  }

  /** Closes the live file. */
  async close(): Promise<void> {
    await this.adopt(undefined);
  }

  /** The live file we knew was renamed to `path.K`: finish it (still open), read `path.K-1` .. `path.1`, then the new live file. */
  private async followRotation(known: Position): Promise<void> {
    const rotated = await this.rotatedFiles(); // oldest first
    let found = -1;
    for (let i = rotated.length - 1; i >= 0; i--) {
      const st = await statOrUndefined(rotated[i]!);
      if (st?.dev === known.dev && st.ino === known.ino) {
        found = i;
        break;
      }
    }
    if (found < 0) return this.readAll(); // deleted by retention, or renamed out of reach
    // Nobody appends to a rotated file: its unterminated tail, if any, is torn for good.
    await this.readFrom(known.handle, known.offset, rotated[found], Number.POSITIVE_INFINITY, true);
    for (const file of rotated.slice(found + 1)) await this.readWhole(file);
    const live = await this.openFile(this.path);
    try {
      await this.adopt(live === undefined ? undefined : await this.readLive(live));
    } catch (error) {
      await live?.close();
      throw error;
    }
  }

  private async readLive(handle: FileHandle): Promise<Position> {
    const st = await handle.stat();
    const offset = await this.readFrom(handle, 0);
    return { handle, dev: st.dev, ino: st.ino, offset, fingerprint: await fingerprintOf(handle, offset) };
  }

  /**
   * Reads the live file from the offset up to `size`, with the fingerprint
   * bytes before the offset in the same read (a few appended lines cost one
   * system call besides the stat). Undefined if the fingerprint changed.
   */
  private async readAppended(known: Position, size: number): Promise<Position | undefined> {
    const start = known.offset - known.fingerprint.length;
    if (size - start > CHUNK_BYTES) {
      if (!sameBytes(await fingerprintOf(known.handle, known.offset), known.fingerprint)) return undefined;
      const offset = await this.readFrom(known.handle, known.offset, this.path, size);
      return { ...known, offset, fingerprint: await fingerprintOf(known.handle, offset) };
    }
    const bytes = new Uint8Array(size - start);
    // A few lines just appended are in the page cache: a synchronous read costs
    // microseconds, an asynchronous one a thread-pool round trip.
    const bytesRead =
      bytes.length <= SYNC_READ_BYTES ? readSync(known.handle.fd, bytes, 0, bytes.length, start) : (await known.handle.read(bytes, 0, bytes.length, start)).bytesRead;
    if (!sameBytes(bytes.subarray(0, Math.min(bytesRead, known.fingerprint.length)), known.fingerprint)) return undefined;
    const parser = new ChunkParser({ file: this.path, offset: known.offset });
    this.take(parser.push(bytes.subarray(known.fingerprint.length, bytesRead)));
    const offset = parser.offset;
    const from = offset - Math.min(FINGERPRINT_BYTES, offset);
    const fingerprint = from >= start ? bytes.slice(from - start, offset - start) : await fingerprintOf(known.handle, offset);
    return { ...known, offset, fingerprint };
  }

  private take(items: readonly ParsedLine[]): void {
    for (const item of items) {
      if (item.type === "event") this.onEvent(item.event);
      else this.onInvalid?.(item.issue);
    }
  }

  /** Makes `next` the live position, closing the previous live file. */
  private async adopt(next: Position | undefined): Promise<void> {
    const previous = this.position;
    this.position = next;
    if (previous !== undefined && previous.handle !== next?.handle) await previous.handle.close();
  }

  private async readWhole(file: string): Promise<void> {
    try {
      for await (const event of readEvents(file, { rotated: false, ...(this.onInvalid ? { onInvalid: this.onInvalid } : {}) })) this.onEvent(event);
    } catch (error) {
      // Deleted by retention between the listing and the read: its events are gone for everyone.
      if ((error as { code?: unknown }).code !== "ENOENT") throw error;
    }
  }

  /**
   * Parses `handle` from `offset` to its current end. The live file's last
   * line may still be being written, so it is left for the next read unless
   * `finished` (a rotated file, which nobody appends to any more).
   */
  private async readFrom(handle: FileHandle, offset: number, file = this.path, end = Number.POSITIVE_INFINITY, finished = false): Promise<number> {
    const parser = new ChunkParser({ file, offset });
    const buffer = new Uint8Array(CHUNK_BYTES);
    let position = offset;
    while (position < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      this.take(parser.push(buffer.subarray(0, bytesRead)));
    }
    if (finished) this.take(parser.end());
    return parser.offset;
  }

  private async openFile(file: string): Promise<FileHandle | undefined> {
    try {
      return await open(file, "r");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** `path.N` .. `path.1`, oldest first, found the way every reader finds them. */
  private rotatedFiles(): Promise<string[]> {
    return listRotatedFiles(this.path);
  }
}
