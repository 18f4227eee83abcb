// Programs run in child processes by the crash tests: a shipper (killed with
// SIGKILL at random moments) and a writer that keeps emitting with rotation.
// Written to the test's directory as .mjs files that import the built
// packages, so the child is exactly what a user runs.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const shipDist = pathToFileURL(fileURLToPath(new URL("../dist/index.js", import.meta.url))).href;
const writerDist = pathToFileURL(fileURLToPath(new URL("../../writer/dist/index.js", import.meta.url))).href;

/** `node ship.mjs <server> <path> <host>`: ships until SIGTERM; prints "shipped N" on each acknowledged batch. */
const SHIPPER = String.raw`
import { shipLog } from "${shipDist}";
const [server, path, host] = process.argv.slice(2);
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
const shipper = shipLog({ path, servers: server, host, signal: controller.signal, ackTimeoutMs: 2000 });
const timer = setInterval(() => process.stdout.write("shipped " + shipper.stats.shipped + " lag " + shipper.stats.lagEvents + "\n"), 100);
shipper.done.then(
  (stats) => { clearInterval(timer); process.stdout.write("done " + JSON.stringify(stats) + "\n"); },
  (error) => { clearInterval(timer); process.stderr.write(String(error && error.stack || error) + "\n"); process.exitCode = 1; },
);
`;

/** `node writer.mjs <path> <prefix> <intervalMs>`: emits `<prefix>-<i>` events until SIGTERM, rotating every 32 KiB, keeping every file. */
const WRITER = String.raw`
import { openEventWriter } from "${writerDist}";
const [path, prefix, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
let stop = false;
process.on("SIGTERM", () => (stop = true));
const writer = await openEventWriter({ path, durability: "write", maxSizeBytes: 32 * 1024, maxBackups: 10000 });
let count = 0;
process.stdout.write("writing\n");
for (let i = 0; !stop; i++, count++) {
  await writer.emit({ event: "task_started", run_id: prefix, task_id: "t-" + i, event_id: prefix + "-" + i, summary: "event " + i + " of " + prefix });
  if (intervalMs > 0 && i % 10 === 9) await new Promise((r) => setTimeout(r, intervalMs));
}
await writer.close();
process.stdout.write("wrote " + count + "\n");
`;

export function writeChildPrograms(dir: string): { shipper: string; writer: string } {
  const shipper = join(dir, "ship.mjs");
  const writer = join(dir, "writer.mjs");
  writeFileSync(shipper, SHIPPER);
  writeFileSync(writer, WRITER);
  return { shipper, writer };
}
