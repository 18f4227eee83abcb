// Making directory entries durable. fsync on a file makes its data durable,
// not its name: a rename or a newly created file lives in the directory,
// which must be fsynced itself or a power cut can undo the rename or lose the
// file.
import { closeSync, fsync, fsyncSync, openSync, constants } from "node:fs";
import { promisify } from "node:util";
import { wrapOsError } from "./errors.js";

const fsyncAsync = promisify(fsync);

/** fsyncs a directory off the main thread (libuv thread pool). */
export async function fsyncDirectory(dir: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    throw wrapOsError(error, "opening directory for fsync", dir);
  }
  try {
    await fsyncAsync(fd);
  } catch (error) {
    throw wrapOsError(error, "fsync of directory", dir);
  } finally {
    closeSync(fd);
  }
}

/** Synchronous variant for the process exit hook, where no callback will ever run. */
export function fsyncDirectorySync(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
