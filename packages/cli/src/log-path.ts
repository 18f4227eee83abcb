// The log path a reading command was given, checked before the reader opens
// it: reading a directory fails in read(2) with EISDIR and no path, and the
// user must see which path was wrong.
import { stat } from "node:fs/promises";

/** An OS error that names its path, as Node's own errors from open(2) do. */
function osError(code: string, description: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${description}, open '${path}'`), { code, path, syscall: "open" });
}

/**
 * Throws EISDIR (with the path) when `path` is a directory. A missing or
 * unreadable path is left to the reader, whose errors already name it.
 */
export async function checkLogPath(path: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    return;
  }
  if (isDirectory) throw osError("EISDIR", "illegal operation on a directory (a log is a file)", path);
}
