// How far the shipper is behind its log, in bytes: the rest of the file its
// last acknowledged position is in, plus every newer file. Files are matched
// by identity (device and inode), as the reader's checkpoints name them, so a
// rotation between two looks does not count bytes twice.
import { stat } from "node:fs/promises";
import { listLogFiles, type Checkpoint } from "@telemetry/reader";

export async function logLagBytes(path: string, position: Checkpoint | undefined): Promise<number> {
  const files = await listLogFiles(path);
  const sizes: { dev: string; ino: string; size: number }[] = [];
  for (const file of files) {
    try {
      const s = await stat(file, { bigint: true });
      sizes.push({ dev: String(s.dev), ino: String(s.ino), size: Number(s.size) });
    } catch (error) {
      // Rotated away between the listing and the stat: it holds nothing newer.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  if (position === undefined) return sizes.reduce((sum, f) => sum + f.size, 0);
  const at = sizes.findIndex((f) => f.dev === position.file.dev && f.ino === position.file.ino);
  if (at === -1) return sizes.reduce((sum, f) => sum + f.size, 0);
  return sizes.slice(at).reduce((sum, f, i) => sum + (i === 0 ? Math.max(0, f.size - position.offset) : f.size), 0);
}
