// The file a writer appends to: opening (with mode and durable directory
// entries), noticing a rotation by another process (inode changed), rotating
// under the cross-process lock, torn-tail repair, and whole-batch writes.
import { type Stats, chmodSync, closeSync, fchmodSync, fdatasync, fdatasyncSync, fstatSync, lstatSync, mkdirSync, writeSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import { promisify } from "node:util";
import { osCodeOf, WriterError, wrapOsError } from "./errors.js";
import { fsyncDirectory, fsyncDirectorySync } from "./directory-sync.js";
import type { ResolvedOptions } from "./options.js";
import { shiftFiles } from "./rotation.js";
import { withRotationLock } from "./rotation-lock.js";
import { hasTornTail } from "./torn-tail.js";
import { openRegularFile } from "./safe-open.js";

const fdatasyncAsync = promisify(fdatasync);
const NEWLINE = Buffer.from("\n");
// O_APPEND makes each write(2) land at the end of the file as one unit, even
// with other processes appending; read access lets us inspect the last byte.
const OPEN_EXISTING = constants.O_RDWR | constants.O_APPEND;
const OPEN_NEW = OPEN_EXISTING | constants.O_CREAT | constants.O_EXCL;

/** Directories created by `mkdir -p dir` that returned `firstCreated`: from `firstCreated` down to `dir`. */
function createdDirectories(dir: string, firstCreated: string): string[] {
  const created = [dir];
  for (let d = dir; d !== firstCreated && dirname(d) !== d; ) {
    d = dirname(d);
    created.push(d);
  }
  return created;
}

/**
 * mkdir -p says EEXIST when the directory itself is a regular file (and
 * ENOTDIR when one of its parents is): either way, ENOTDIR naming the file.
 */
function notADirectoryError(dir: string, error: unknown): WriterError | undefined {
  for (let d = dir; ; d = dirname(d)) {
    let stats;
    try {
      stats = lstatSync(d, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR: d is below the file; keep walking up to it.
    }
    if (stats !== undefined && !stats.isDirectory() && !stats.isSymbolicLink()) {
      return new WriterError("ENOTDIR", `creating directory ${dir} failed: ${d} is not a directory (the log path runs through a file)`, { path: d, syscall: "mkdir", cause: error });
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Directories from `dir` up to (and including) the parent of `firstCreated`. */
function createdDirectoryParents(dir: string, firstCreated: string): string[] {
  const dirs = [dir];
  for (let d = dir; d !== firstCreated && dirname(d) !== d; ) {
    d = dirname(d);
    dirs.push(d);
  }
  if (!dirs.includes(dirname(firstCreated))) dirs.push(dirname(firstCreated));
  return dirs;
}

export class LogFile {
  readonly path: string;
  private readonly dir: string;
  private readonly options: ResolvedOptions;
  private fd = -1;
  private ino = 0;
  private dev = 0;
  /**
   * The size the file has if nobody but us wrote to it since our last batch
   * (which ended in "\n"), or -1 when unknown (just opened, or our write
   * failed part way). Only a file of another size can end in a fragment, so
   * only then is its last byte read.
   */
  private expectedSize = -1;
  /** The size the last inode check saw, for the write that follows it in the same turn. */
  private sizeSeen: number | undefined;
  /** Written since the last fdatasync. */
  private dirty = false;
  /** Directories holding entries we created and have not yet made durable. */
  private readonly dirsToSync = new Set<string>();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.path = resolve(options.path);
    this.dir = dirname(this.path);
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Opens (creating the file and its parents) and makes the new entries durable. */
  async open(): Promise<void> {
    this.openSync();
    await this.syncDirectories();
  }

  private openSync(): void {
    let firstCreated: string | undefined;
    try {
      firstCreated = mkdirSync(this.dir, { recursive: true, mode: this.options.dirMode });
      // The umask may have cleared bits of the mode asked for; the caller's mode is the contract.
      if (firstCreated !== undefined) for (const d of createdDirectories(this.dir, firstCreated)) chmodSync(d, this.options.dirMode);
    } catch (error) {
      const code = osCodeOf(error);
      throw ((code === "EEXIST" || code === "ENOTDIR") ? notADirectoryError(this.dir, error) : undefined) ?? wrapOsError(error, "creating directory", this.dir);
    }
    if (firstCreated !== undefined) for (const d of createdDirectoryParents(this.dir, firstCreated)) this.dirsToSync.add(d);
    const { fd, stats } = this.createOrOpen();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = fd;
    this.ino = stats.ino;
    this.dev = stats.dev;
    this.dirty = false;
    this.expectedSize = -1;
    this.sizeSeen = undefined;
  }

  private createOrOpen(): { fd: number; stats: Stats } {
    // Another process may rename the file away between our two opens; a few
    // attempts settle it (the next one creates the file). O_CREAT|O_EXCL
    // never follows a symlink (EEXIST); the second open refuses it.
    for (let attempt = 1; ; attempt++) {
      try {
        const opened = openRegularFile(this.path, OPEN_NEW, this.options.fileMode, "the log");
        try {
          // The umask may have cleared bits of the mode asked for; the caller's mode is the contract.
          fchmodSync(opened.fd, this.options.fileMode);
        } catch (error) {
          closeSync(opened.fd);
          throw wrapOsError(error, "setting the mode of", this.path);
        }
        this.dirsToSync.add(this.dir);
        return opened;
      } catch (error) {
        if (osCodeOf(error) !== "EEXIST") throw error;
      }
      try {
        return openRegularFile(this.path, OPEN_EXISTING, undefined, "the log");
      } catch (error) {
        if (osCodeOf(error) !== "ENOENT" || attempt >= 5) throw error;
      }
    }
  }

  /**
   * False when `path` now names another file (rotated by someone) or none.
   * The one system call of the check also gives our file's size, kept for
   * the write that follows.
   */
  private isCurrent(): boolean {
    // lstat: a symlink put in the log's place is "another file", and the reopen refuses it.
    const stats = lstatSync(this.path, { throwIfNoEntry: false });
    const current = stats?.ino === this.ino && stats.dev === this.dev;
    this.sizeSeen = current ? stats.size : undefined;
    return current;
  }

  /** Whether the file of `size` bytes may end in a fragment: only when someone else changed its size since our last batch. */
  private mayBeTorn(size: number): boolean {
    return size !== this.expectedSize && hasTornTail(this.fd, size);
  }

  /** Leaves the current file for the one now at `path`; unsynced data of the old one is made durable first. */
  private async reopen(): Promise<void> {
    if (this.dirty && this.fd >= 0) await this.sync();
    this.openSync();
  }

  /**
   * Readies the file for a batch whose first line is `firstBytes` long: reopens
   * after a rotation by someone else, rotates if that line would push a
   * non-empty file past `maxSizeBytes`. Returns the bytes the batch may take.
   */
  prepare(firstBytes: number): number | Promise<number> {
    // The common case stays synchronous: a few stat calls, no promise.
    return this.room(firstBytes) ?? this.prepareSlowly(firstBytes);
  }

  /** Bytes the next batch may take, or undefined when a reopen or rotation must come first. */
  private room(firstBytes: number): number | undefined {
    if (this.fd < 0 || !this.isCurrent()) return undefined;
    const max = this.options.maxSizeBytes;
    if (max === Number.POSITIVE_INFINITY) return max;
    const size = this.sizeSeen ?? fstatSync(this.fd).size;
    if (size === 0) return Math.max(max, firstBytes);
    // A repair "\n" may precede the batch; it counts against the limit.
    const used = size + (this.mayBeTorn(size) ? 1 : 0);
    return used + firstBytes <= max ? max - used : undefined;
  }

  private async prepareSlowly(firstBytes: number): Promise<number> {
    for (;;) {
      if (this.fd < 0 || !this.isCurrent()) await this.reopen();
      const room = this.room(firstBytes);
      if (room !== undefined) return room;
      await this.rotate(firstBytes);
    }
  }

  private async rotate(firstBytes: number): Promise<void> {
    await withRotationLock(this.path, async () => {
      // Re-check under the lock, by the very rule that asked for the rotation:
      // another process may have rotated (or emptied the file) while we waited.
      if (!this.isCurrent() || this.room(firstBytes) !== undefined) return;
      if (this.dirty) await this.sync();
      await shiftFiles(this.path, this.options.maxBackups);
      this.openSync();
      // Renames and the new file are directory entries: durable only once the directory is fsynced.
      this.dirsToSync.add(this.dir);
      await this.syncDirectories();
    });
  }

  /**
   * Appends `data` (whole lines, `bytes` long in UTF-8) in one write(2),
   * preceded by "\n" when the file ends in a fragment. Synchronous: the bytes
   * go to the page cache, so a process crash right after cannot lose them.
   */
  write(data: string | Buffer, bytes: number): void {
    if (this.fd < 0) this.openSync();
    try {
      // Checked before every batch, not only after our own failures: another
      // process sharing the file may have died mid-write since our last batch.
      // Its bytes changed the size, so an unchanged size needs no read.
      const size = this.sizeSeen ?? fstatSync(this.fd).size;
      this.sizeSeen = undefined;
      const repair = this.mayBeTorn(size);
      this.expectedSize = -1;
      if (repair) this.writeAll(typeof data === "string" ? `\n${data}` : Buffer.concat([NEWLINE, data]), bytes + 1);
      else this.writeAll(data, bytes);
      this.dirty = true;
      // Retention may have deleted our file under us if another process rotated
      // twice since our inode check; then the batch goes to the current file.
      if (fstatSync(this.fd).nlink === 0) {
        this.openSync();
        this.write(data, bytes);
        return;
      }
      // If anyone else appended meanwhile, the size will differ and the next batch reads the tail.
      this.expectedSize = size + bytes + (repair ? 1 : 0);
    } catch (error) {
      // Part of the data may be on disk: expectedSize is unknown, so the next batch's tail check repairs it.
      throw wrapOsError(error, "appending to", this.path);
    }
  }

  private writeAll(data: string | Buffer, bytes: number): void {
    // A string goes to write(2) without a Buffer of ours (Node encodes it into a stack buffer).
    let offset = typeof data === "string" ? writeSync(this.fd, data) : 0;
    if (offset === bytes) return;
    const buffer = typeof data === "string" ? Buffer.from(data) : data;
    while (offset < bytes) {
      // write(2) may be short (a nearly full disk); the rest follows, and its
      // failure leaves a fragment that the next batch repairs.
      const written = writeSync(this.fd, buffer, offset, bytes - offset);
      if (written <= 0) throw new WriterError("EIO", `appending to ${this.path} failed: write(2) wrote nothing`, { path: this.path, syscall: "write" });
      offset += written;
    }
  }

  /** True when a sync can run inline: no directory entry waits to be made durable (those go to the pool). */
  get canSyncInline(): boolean {
    return this.dirsToSync.size === 0 && this.fd >= 0;
  }

  /** fdatasync on the main thread: for a lone waiting event on a disk whose syncs are fast (the caller decides). */
  syncInline(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      throw wrapOsError(error, "fdatasync of", this.path);
    }
    this.dirty = false;
  }

  /** fdatasync off the main thread, then any directory entries we created. */
  async sync(): Promise<void> {
    // fdatasync rather than fsync: it flushes the data and the size (needed to
    // read it back), skipping only the mtime, which saves a metadata write per batch.
    try {
      await fdatasyncAsync(this.fd);
    } catch (error) {
      throw wrapOsError(error, "fdatasync of", this.path);
    }
    this.dirty = false;
    if (this.dirsToSync.size > 0) await this.syncDirectories();
  }

  private async syncDirectories(): Promise<void> {
    for (const dir of [...this.dirsToSync]) {
      await fsyncDirectory(dir);
      this.dirsToSync.delete(dir);
    }
  }

  /** For the exit hook: write and (when durable) sync, all synchronously. */
  writeAndSyncOnExit(data: Buffer | undefined, durable: boolean): void {
    if (data !== undefined) this.write(data, data.length);
    if (!durable || this.fd < 0) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
    for (const dir of this.dirsToSync) fsyncDirectorySync(dir);
    this.dirsToSync.clear();
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      closeSync(fd);
    } catch (error) {
      throw wrapOsError(error, "closing", this.path);
    }
  }
}
