// The page's runtime stays small and depends on nothing but the wire-format
// packages: every source import is checked, the built bundle's modules are
// listed, and its gzipped size is held under a budget.
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { testdir } from "@telemetry/test-utils";
import { build, type Rolldown } from "vite";
import { describe, expect, it } from "vitest";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const SRC = join(PACKAGE, "src");
/** What page code may import besides its own files. */
const ALLOWED = ["@telemetry/schema", "@telemetry/reader/parser"];
/**
 * Gzipped bytes of the built page, JS + CSS. Measured 17.7 KB (JS 15.0 KB, of
 * which the schema's validator, zod/mini, is ~10 KB; CSS 2.7 KB).
 */
const GZIP_BUDGET_BYTES = 20 * 1024;

async function pageSources(): Promise<string[]> {
  return (await readdir(SRC)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts"));
}

describe("the page's runtime", () => {
  it(`imports only ${ALLOWED.join(" and ")} besides its own modules`, async () => {
    const files = await pageSources();
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(join(SRC, file), "utf8");
      // Type-only imports are erased at build time (the bundle check below proves it), so only value imports count.
      for (const match of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^"';]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
        const specifier = (match[1] ?? match[2] ?? match[3])!;
        if (specifier.startsWith("./")) continue;
        expect(ALLOWED, `${file} imports ${specifier}`).toContain(specifier);
      }
    }
  });

  it(`builds into static files under ${GZIP_BUDGET_BYTES} bytes gzipped, from allowed modules only, with no inline script`, async () => {
    const outDir = testdir("telemetry-web-build-");
    const result = (await build({ root: PACKAGE, logLevel: "silent", build: { outDir, emptyOutDir: true, write: true } })) as Rolldown.RolldownOutput;
    const modules = result.output.flatMap((chunk) => (chunk.type === "chunk" ? Object.keys(chunk.modules) : []));
    expect(modules.length).toBeGreaterThan(5);
    for (const id of modules) {
      const ok =
        id.startsWith(SRC) ||
        id === join(PACKAGE, "index.html") ||
        /[/\\]packages[/\\]schema[/\\]dist[/\\]/.test(id) ||
        /node_modules[/\\](\.pnpm[/\\][^/\\]+[/\\]node_modules[/\\])?zod[/\\]/.test(id) ||
        /[/\\]packages[/\\]reader[/\\]dist[/\\](parser|chunk-parser|parse-line|parse-text|invalid-line)\.js$/.test(id) ||
        id.startsWith("\0vite/");
      expect(ok, `bundled module ${id}`).toBe(true);
    }
    const assets = join(outDir, "assets");
    let gzipped = 0;
    const sizes: string[] = [];
    for (const name of await readdir(assets)) {
      const body = await readFile(join(assets, name));
      const size = gzipSync(body).length;
      gzipped += size;
      sizes.push(`${name} ${body.length} B (${size} B gzipped)`);
      if (name.endsWith(".js")) {
        const text = body.toString("utf8");
        for (const builtin of builtinModules) expect(text).not.toContain(`"node:${builtin}"`);
        expect(text).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/);
      }
    }
    console.log(`web page: ${sizes.join(", ")}; total ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThan(GZIP_BUDGET_BYTES);
    const html = await readFile(join(outDir, "index.html"), "utf8");
    expect(html.replace(/<script type="module" crossorigin src="\/assets\/[^"]+"><\/script>/g, "")).not.toMatch(/<script|\son[a-z]+=|style=/i);
  });
});
