// Frontends install this package alone: its browser bundle must stay small
// and must not reach for any Node built-in.
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * Gzipped bytes of a minified browser bundle using the whole runtime API.
 * Measured 10,015 B on zod 4.6 with the validation fast path, then 10,4xx B
 * with the cross-language rules (year range, "__proto__" keys, depth of
 * unknown fields, NEL); almost all of it is zod/mini's core (README).
 */
const GZIP_CEILING_BYTES = 10_752;

async function bundle(entry: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: new URL(".", import.meta.url).pathname, loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    // Any attempt to import a Node built-in fails the build instead of being shimmed.
    external: [],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe("browser bundle", () => {
  it(`stays under ${GZIP_CEILING_BYTES} bytes gzipped for the validate-create-serialize API`, async () => {
    const code = await bundle(`
      import { createEvent, parseEvent, safeParseEvent, serializeEvent, EVENT_TYPES } from "./index.ts";
      globalThis.api = { createEvent, parseEvent, safeParseEvent, serializeEvent, EVENT_TYPES };
    `);
    const gzipped = gzipSync(code).length;
    console.log(`schema browser bundle: ${code.length} B minified, ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThan(GZIP_CEILING_BYTES);
  });

  it("references no Node built-in module", async () => {
    const code = await bundle(`export * from "./index.ts";`);
    for (const name of builtinModules) {
      expect(code).not.toContain(`"node:${name}"`);
      expect(code).not.toMatch(new RegExp(`from\\s*"${name.replace("/", "\\/")}"`));
    }
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/);
  });
});
