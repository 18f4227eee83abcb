// Finds a log's files in write order: path.N .. path.1 (rotated, oldest
// first), then the live path.
import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Rotated files of `path` (`<name>.<digits>` beside it), oldest (highest N) first. */
export async function listRotatedFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const rotated: { n: number; file: string }[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const suffix = name.slice(prefix.length);
    if (/^\d+$/.test(suffix)) rotated.push({ n: Number(suffix), file: join(dir, name) });
  }
  return rotated.sort((a, b) => b.n - a.n).map((r) => r.file);
}

/** Every file of the log in write order; the live path last. */
export async function listLogFiles(path: string, rotated = true): Promise<string[]> {
  return rotated ? [...(await listRotatedFiles(path)), path] : [path];
}
