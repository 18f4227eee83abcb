// The program of a writer in another process, for follow tests: it appends
// events (every third one in two writes, so a torn tail is briefly visible)
// and rotates path -> path.1 -> path.2 ... by itself, as a rename-based writer
// does, deleting files beyond `maxBackups` (0: keep all) as retention does.
// Plain JavaScript, written to the test's temporary directory and run with
// `node writer.mjs <path> <first> <count> <rotateEvery> <delayMs> [maxBackups]`.
export const FOLLOW_WRITER_SOURCE = String.raw`
import { appendFileSync, existsSync, renameSync, unlinkSync } from "node:fs";

const [path, firstArg, countArg, rotateEveryArg, delayArg, maxBackupsArg] = process.argv.slice(2);
const maxBackups = Number(maxBackupsArg ?? 0);
const first = Number(firstArg);
const count = Number(countArg);
const rotateEvery = Number(rotateEveryArg);
const delayMs = Number(delayArg);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(sleeper, 0, 0, ms);

function rotate() {
  let highest = 0;
  while (existsSync(path + "." + (highest + 1))) highest++;
  if (maxBackups > 0 && highest >= maxBackups) {
    // Retention: the oldest file goes first, as the real writer's rotation does.
    for (let n = highest; n >= maxBackups; n--) unlinkSync(path + "." + n);
    highest = maxBackups - 1;
  }
  for (let n = highest; n >= 1; n--) renameSync(path + "." + n, path + "." + (n + 1));
  renameSync(path, path + ".1");
}

for (let i = first; i < first + count; i++) {
  const line = JSON.stringify({ event: "task_started", ts: new Date().toISOString(), run_id: "follow", task_id: "t-" + i, event_id: "e-" + i }) + "\n";
  if (i % 3 === 0) {
    const cut = Math.floor(line.length / 2);
    appendFileSync(path, line.slice(0, cut));
    sleep(delayMs + 2);
    appendFileSync(path, line.slice(cut));
  } else {
    appendFileSync(path, line);
  }
  if (rotateEvery > 0 && (i + 1) % rotateEvery === 0) rotate();
  if (delayMs > 0) sleep(delayMs);
}
`;
