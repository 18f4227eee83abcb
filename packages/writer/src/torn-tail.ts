// A file whose last byte is not "\n" ends in a fragment: a crash mid-write, a
// partial write on a full disk, or a zero-filled tail after power loss. The
// next event must start on a fresh line, and the fragment must stay (it may be
// evidence; a reader reports it), so the repair appends "\n" and never truncates.
import { closeSync, fdatasync, readSync, writeSync, constants } from "node:fs";
import { promisify } from "node:util";
import { osCodeOf, wrapOsError } from "./errors.js";
import { openRegularFile } from "./safe-open.js";

const fdatasyncAsync = promisify(fdatasync);
const NEWLINE = 0x0a;

/** True when the file behind `fd` (opened for reading) is non-empty and does not end in "\n". */
export function hasTornTail(fd: number, size: number): boolean {
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  const read = readSync(fd, last, 0, 1, size - 1);
  return read === 1 && last[0] !== NEWLINE;
}

/**
 * Appends "\n" to `path` if it is non-empty and does not end in one, and
 * makes that durable. Returns whether a repair was made. A missing file needs
 * none. Safe while writers append: the "\n" goes in with O_APPEND.
 */
export async function repairTornTail(path: string): Promise<boolean> {
  let fd: number;
  let size: number;
  try {
    ({ fd, stats: { size } } = openRegularFile(path, constants.O_RDWR | constants.O_APPEND, undefined, "torn-tail repair of"));
  } catch (error) {
    if (osCodeOf(error) === "ENOENT") return false;
    throw error;
  }
  try {
    if (!hasTornTail(fd, size)) return false;
    writeSync(fd, "\n");
    await fdatasyncAsync(fd);
    return true;
  } catch (error) {
    throw wrapOsError(error, "repairing torn tail of", path);
  } finally {
    closeSync(fd);
  }
}
