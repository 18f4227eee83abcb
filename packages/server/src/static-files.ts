// The built page, and nothing else: files are looked up in a list made at
// start from the page's dist directory, so no request path can reach outside
// it (no traversal, no symlinks, no listings).
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  /** Vite names assets by content hash: they may be cached for good. */
  readonly immutable: boolean;
}

/** Every regular file under `root`, keyed by its URL path (`/index.html`, `/assets/x.js`). Symlinks are skipped. */
export async function loadStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  async function walk(dir: string, prefix: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        files.set(`${prefix}${entry.name}`, {
          body: await readFile(path),
          type: TYPES[extname(entry.name)] ?? "application/octet-stream",
          immutable: prefix.startsWith("/assets/"),
        });
      }
    }
  }
  await walk(root, "/");
  return files;
}
