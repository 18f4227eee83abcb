// Opening the writer's files without being redirected: no symlink is followed
// at the last path component (O_NOFOLLOW), and only a regular file is
// accepted, so whoever can write to the log directory cannot make the writer
// append to another file, hang on a FIFO, or write into a device.
import { closeSync, fstatSync, lstatSync, openSync, constants, type Stats } from "node:fs";
import { osCodeOf, WriterError, wrapOsError } from "./errors.js";

// O_NONBLOCK: opening a FIFO never waits for its other end (it is refused
// right after, by type). For a regular file Linux ignores the flag: writes
// and reads of regular files never return EAGAIN.
const NO_REDIRECT = constants.O_NOFOLLOW | constants.O_NONBLOCK;

function describeFileType(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/** The refusal for what `stats` (from lstat or fstat) describes at `path`, or undefined for a regular file. */
export function unsafeFileError(path: string, stats: Stats, role: string, cause?: unknown): WriterError | undefined {
  if (stats.isFile()) return undefined;
  const options = { path, ...(cause === undefined ? {} : { cause }) };
  if (stats.isSymbolicLink()) {
    return new WriterError("ELOOP", `refusing ${role} ${path}: it is a symbolic link, and the writer never follows one (its target was not touched)`, { ...options, syscall: "open" });
  }
  return new WriterError("NOT_REGULAR_FILE", `refusing ${role} ${path}: it is ${describeFileType(stats)}, not a regular file (it was not written to)`, options);
}

/** lstat of `path`, refusing anything but a regular file; undefined when nothing is there. */
export function lstatRegularOrMissing(path: string, role: string): Stats | undefined {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw wrapOsError(error, `inspecting ${role}`, path);
  }
  if (stats === undefined) return undefined;
  const refusal = unsafeFileError(path, stats, role);
  if (refusal !== undefined) throw refusal;
  return stats;
}

/**
 * Opens `path` with `flags` (plus O_NOFOLLOW and O_NONBLOCK); resolves with
 * the descriptor and its fstat. Throws `WriterError` `ELOOP` for a symlink,
 * `NOT_REGULAR_FILE` for a FIFO, socket, device or directory (each naming
 * the path), else the OS error (ENOENT, EEXIST, EACCES, ...) wrapped.
 */
export function openRegularFile(path: string, flags: number, mode: number | undefined, role: string): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, flags | NO_REDIRECT, mode);
  } catch (error) {
    const code = osCodeOf(error);
    // ELOOP: a symlink at the last component; EISDIR: a directory; ENXIO: a
    // socket. The entry itself says which.
    if (code === "ELOOP" || code === "EISDIR" || code === "ENXIO") {
      const stats = lstatSync(path, { throwIfNoEntry: false });
      const refusal = stats === undefined ? undefined : unsafeFileError(path, stats, role, error);
      if (refusal !== undefined) throw refusal;
    }
    throw wrapOsError(error, `opening ${role}`, path);
  }
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw wrapOsError(error, `opening ${role}`, path);
  }
  const refusal = unsafeFileError(path, stats, role);
  if (refusal !== undefined) {
    closeSync(fd);
    throw refusal;
  }
  return { fd, stats };
}
