// A cross-process lock around rotation, so two processes never shift the
// same files at once. It is a file created with O_EXCL (atomic on local file
// systems) holding the owner's pid, host and time; a lock left by a crashed
// process (dead pid on this host, or older than a bound) is broken.
import { closeSync, linkSync, lstatSync, readFileSync, renameSync, unlinkSync, writeSync, constants } from "node:fs";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { osCodeOf, wrapOsError } from "./errors.js";
import { addExitHook, removeExitHook } from "./exit-hook.js";
import { lstatRegularOrMissing, openRegularFile } from "./safe-open.js";

const LOCK_ROLE = "the rotation lock";

/**
 * A rotation holds the lock for a few renames and one directory fsync; a lock
 * older than this was left by a process that hung or died on another host.
 */
export const ROTATION_LOCK_STALE_MS = 30_000;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly acquiredAt: number;
}

export function rotationLockPath(path: string): string {
  return `${path}.lock`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return osCodeOf(error) !== "ESRCH";
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  let fd: number;
  try {
    // Never through a symlink, never blocking on a FIFO: it must be a regular file.
    fd = openRegularFile(lockPath, constants.O_RDONLY, undefined, LOCK_ROLE).fd;
  } catch (error) {
    if (osCodeOf(error) === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(readFileSync(fd, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.acquiredAt === "number") {
      return { pid: parsed.pid, host: parsed.host, acquiredAt: parsed.acquiredAt };
    }
  } catch {
    // Created but not yet written (or its writer crashed in between).
  } finally {
    closeSync(fd);
  }
  return undefined;
}

function isStale(owner: LockOwner | undefined, mtimeMs: number, now: number, staleMs: number): boolean {
  // An unreadable lock is judged by its age: its creator may be between open and write.
  if (owner === undefined) return now - mtimeMs > staleMs;
  if (owner.host === hostname() && owner.pid !== process.pid && !processIsAlive(owner.pid)) return true;
  return now - Math.max(owner.acquiredAt, mtimeMs) > staleMs;
}

/** Tries once to create the lock file; returns its inode, or undefined when it exists. */
function tryCreate(lockPath: string): number | undefined {
  let fd: number;
  let ino: number;
  try {
    // O_EXCL never follows a symlink: one in the lock's place is EEXIST, then refused by type below.
    ({ fd, stats: { ino } } = openRegularFile(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600, LOCK_ROLE));
  } catch (error) {
    if (osCodeOf(error) === "EEXIST") return undefined;
    throw error;
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: hostname(), acquiredAt: Date.now() };
    writeSync(fd, JSON.stringify(owner));
    return ino;
  } catch (error) {
    // An empty lock (a full disk refused the owner record) would stall every
    // writer's rotation until it turns stale: take it back at once.
    unlinkSync(lockPath);
    throw wrapOsError(error, "writing rotation lock", lockPath);
  } finally {
    closeSync(fd);
  }
}

/**
 * Breaks a stale lock. Renaming is atomic, so of several processes that
 * judged the same lock stale only one moves it; the inode check tells whether
 * what we moved is the stale lock or a fresh one taken meanwhile, which is put back.
 */
function breakStale(lockPath: string, staleIno: number): void {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (osCodeOf(error) === "ENOENT") return;
    throw wrapOsError(error, "breaking stale rotation lock", lockPath);
  }
  try {
    if (lstatSync(aside).ino !== staleIno) {
      try {
        linkSync(aside, lockPath);
      } catch {
        // Someone created a newer lock already; theirs stands.
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // Already gone.
    }
  }
}

export interface RotationLockOptions {
  /** Age after which a lock is treated as abandoned. Default {@link ROTATION_LOCK_STALE_MS}. */
  readonly staleMs?: number;
}

/**
 * Runs `action` while holding the rotation lock of `path`, waiting (without
 * blocking the event loop) while another process holds it.
 */
export async function withRotationLock<T>(path: string, action: () => Promise<T>, options: RotationLockOptions = {}): Promise<T> {
  const lockPath = rotationLockPath(path);
  const staleMs = options.staleMs ?? ROTATION_LOCK_STALE_MS;
  let ino: number | undefined;
  let delay = 1;
  for (;;) {
    ino = tryCreate(lockPath);
    if (ino !== undefined) break;
    // A symlink, FIFO, device or directory in the lock's place is refused, never followed or removed.
    const stats = lstatRegularOrMissing(lockPath, LOCK_ROLE);
    if (stats === undefined) continue;
    if (isStale(readOwner(lockPath), stats.mtimeMs, Date.now(), staleMs)) {
      breakStale(lockPath, stats.ino);
      continue;
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 25);
  }
  const heldIno = ino;
  // A process exiting while it rotates leaves no lock behind.
  const release = (): void => {
    try {
      // Only remove our own lock: if ours was judged stale and broken, the file is someone else's.
      if (lstatSync(lockPath).ino === heldIno) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  addExitHook(release);
  try {
    return await action();
  } finally {
    removeExitHook(release);
    release();
  }
}
