// A directory the writer may not write to. Root ignores permission bits, so
// as root the check runs in a child process dropped to the "nobody" user.
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { testdir } from "@telemetry/test-utils";
import { describe, expect, it } from "vitest";
import type { WriterError } from "./errors.js";
import { openEventWriter } from "./open-event-writer.js";
import { runChild, writeChildProgram } from "./child-process.fixture.js";

const OPEN_AND_REPORT = `
const { openEventWriter } = await import(WRITER_ENTRY);
try {
  await openEventWriter({ path: process.argv[2] });
  console.log(JSON.stringify({ opened: true }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message, causeCode: error.cause?.code }));
}
`;

const NOBODY = 65534;

describe("permissions", () => {
  it("rejects at open with EACCES and the path when the directory is read-only", { timeout: 60_000 }, async () => {
    const dir = testdir();
    chmodSync(dir, 0o755);
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    const path = join(readOnly, "events.jsonl");
    let report: { name?: string; code?: string; message?: string; causeCode?: string | undefined; opened?: boolean };
    if (process.getuid?.() === 0) {
      const program = writeChildProgram(dir, "open.mjs", OPEN_AND_REPORT);
      chmodSync(program, 0o644);
      const result = await runChild(program, [path], { uid: NOBODY, gid: NOBODY });
      expect(result.stderr).toBe("");
      report = JSON.parse(result.stdout) as typeof report;
    } else {
      const error = (await openEventWriter({ path }).catch((e: unknown) => e)) as WriterError;
      report = { name: error.name, code: error.code, message: error.message, causeCode: (error.cause as { code?: string }).code };
    }
    expect(report).toMatchObject({ name: "WriterError", code: "EACCES", causeCode: "EACCES" });
    expect(report.message).toContain(path);
  });
});
