// The ./parser entry must run in a browser: bundle it as a page would and
// check that no Node built-in or global is reached.
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as parserEntry from "./parser.js";

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: new URL(".", import.meta.url).pathname, loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe("the ./parser entry", () => {
  it("bundles for the browser without any Node built-in or global", async () => {
    const code = await bundle(`export * from "./parser.ts";`);
    for (const name of builtinModules) {
      expect(code).not.toContain(`"node:${name}"`);
      expect(code).not.toMatch(new RegExp(`from\\s*"${name.replace("/", "\\/")}"`));
    }
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/);
    console.log(`reader/parser browser bundle: ${code.length} B minified, ${gzipSync(code).length} B gzipped`);
  });

  it("parses a JSONL document given as text, reporting its torn tail", () => {
    const { events, invalid } = parserEntry.parseJsonl('{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"a"}\n{"torn');
    expect(events).toHaveLength(1);
    expect(invalid).toEqual([expect.objectContaining({ line: 2, kind: "torn" })]);
    expect(Object.keys(parserEntry).sort()).toEqual(["ChunkParser", "DEFAULT_MAX_LINE_BYTES", "InvalidLineError", "parseJsonl"]);
  });
});
