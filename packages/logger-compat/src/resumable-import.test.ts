// An import killed half way (a real SIGKILL, mid-write) and run again ends
// with every legacy row in the log exactly once. The child is a plain .mjs
// program importing the built package (dist/): run `pnpm build` first.
import { spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readEvents } from "@telemetry/reader";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import { importLegacyDatabase } from "./import-legacy-database.js";
import { legacyDatabase } from "./records.fixture.js";

const distIndex = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const ROWS = 40_000;

const CHILD = `
import { importLegacyDatabase } from DIST;
const [dbPath, path] = process.argv.slice(2);
await importLegacyDatabase({ dbPath, path, batchSize: 200 });
process.stdout.write("finished");
`;

describe("resumable import", () => {
  it("imports every row exactly once when an import is SIGKILLed half way and run again", async () => {
    if (!existsSync(distIndex)) throw new Error(`this test imports the built package, and ${distIndex} does not exist: run \`pnpm build\` first`);
    const dir = testdir();
    const dbPath = join(dir, "telemetry.db");
    const path = join(dir, "events.jsonl");
    legacyDatabase(dbPath, ROWS);
    const program = join(dir, "import.mjs");
    writeFileSync(program, CHILD.replace("DIST", JSON.stringify(distIndex)));

    const child = spawn(process.execPath, [program, dbPath, path], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Kill once a fifth of the rows (about 160 bytes each) is on disk: well inside the import.
    const deadline = Date.now() + 30_000;
    while (!(existsSync(path) && statSync(path).size > ROWS * 30) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(output).toBe("");

    let before = 0;
    for await (const _event of readEvents(path)) before++;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(ROWS);

    const result = await importLegacyDatabase({ dbPath, path });
    expect(result.imported + result.skipped).toBe(ROWS);
    expect(result.skipped).toBe(before);

    const seen = new Map<string, number>();
    for await (const event of readEvents(path, { onInvalid: () => undefined })) seen.set(event.event_id, (seen.get(event.event_id) ?? 0) + 1);
    expect(seen.size).toBe(ROWS);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
