// Opens every file of a log at once, consistently: a writer may be renaming
// path -> path.1 -> path.2 while we list them. Open handles keep their
// inodes, so once the set is consistent no later rename can make a reader
// skip or repeat a file.
import { open, stat, type FileHandle } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { listLogFiles } from "./log-files.js";
import { LogBusyError } from "./log-busy-error.js";
import { LogNotFoundError } from "./log-not-found-error.js";

export interface OpenLogFile {
  /** The name the file had when it was opened. */
  readonly file: string;
  readonly handle: FileHandle;
  readonly dev: bigint;
  readonly ino: bigint;
}

const ATTEMPTS = 50;
/** A gap in path.1..N may be a rotation in progress, or a file deleted by hand: after this many looks it is accepted. */
const GAP_ATTEMPTS = 5;

function rotationIndex(path: string, file: string): number {
  return file === path ? 0 : Number(file.slice(path.length + 1));
}

/** The file's identity (device, inode), or undefined when nothing is at that name. */
export async function inodeOf(file: string): Promise<{ dev: bigint; ino: bigint } | undefined> {
  try {
    const stats = await stat(file, { bigint: true });
    return { dev: stats.dev, ino: stats.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** One attempt: the opened files, or undefined when a rotation was seen in progress. */
async function tryOpen(path: string, rotated: boolean, allowGaps: boolean): Promise<OpenLogFile[] | undefined> {
  const files = await listLogFiles(path, rotated);
  // Rotated files are numbered 1..N without gaps, except mid-rotation.
  const numbers = files.filter((f) => f !== path).map((f) => rotationIndex(path, f));
  if (!allowGaps && numbers.some((n, i) => n !== numbers.length - i)) return undefined;
  const opened: OpenLogFile[] = [];
  try {
    for (const file of files) {
      let handle: FileHandle;
      try {
        handle = await open(file, "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        // A rotated file vanished (renamed or deleted) since the listing; a
        // missing live file is normal between a rotation and its recreation.
        if (file === path) continue;
        await closeAll(opened);
        return undefined;
      }
      const stats = await handle.stat({ bigint: true });
      opened.push({ file, handle, dev: stats.dev, ino: stats.ino });
    }
    // The listing is not atomic either: a rename between readdir and open
    // loses a file (path -> path.1 after path was listed alone), or gives its
    // name's next file. List again: the same names, each still leading to
    // the inode opened under it, are one consistent set.
    const again = await listLogFiles(path, rotated);
    if (again.length !== files.length || again.some((file, i) => file !== files[i])) {
      await closeAll(opened);
      return undefined;
    }
    // Every name must still lead to the inode opened under it.
    for (const file of opened) {
      const now = await inodeOf(file.file);
      if (now?.dev !== file.dev || now.ino !== file.ino) {
        await closeAll(opened);
        return undefined;
      }
    }
    return opened;
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

/**
 * Opens the log's files in write order (path.N .. path.1, then path), retrying
 * while a rotation is seen in progress. A missing live file is fine when
 * rotated files exist (a writer between rotating and creating the new file).
 * @throws {LogNotFoundError} when no file of the log exists.
 * @throws {LogBusyError} when the files never held still (50 attempts).
 */
export async function openLogFiles(path: string, rotated: boolean): Promise<OpenLogFile[]> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const opened = await tryOpen(path, rotated, attempt >= GAP_ATTEMPTS);
    if (opened !== undefined) {
      if (opened.length === 0) {
        let cause: unknown;
        try {
          await stat(path);
        } catch (error) {
          cause = error;
        }
        throw new LogNotFoundError(path, cause);
      }
      return opened;
    }
    await sleep(1 + attempt);
  }
  throw new LogBusyError(path, ATTEMPTS);
}

export async function closeAll(files: readonly OpenLogFile[]): Promise<void> {
  await Promise.allSettled(files.map((f) => f.handle.close()));
}
