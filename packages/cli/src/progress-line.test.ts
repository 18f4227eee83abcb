import { describe, expect, it } from "vitest";
import { createProgress, createProgressLine, renderProgressLine } from "./progress-line.js";

describe("progress line", () => {
  it("shows the phase, a bar, done/total with thousands separators, the rate and the ETA", () => {
    const line = renderProgressLine({ phase: "importing", done: 400_000, total: 1_000_000, unit: "rows" }, 4_000, 120);
    expect(line).toBe(`importing  [${"#".repeat(12)}${"-".repeat(18)}]   40%  400,000/1,000,000 rows  100,000 rows/s  ETA 6.0s`);
  });

  it("says done at the end and has no ETA before the first rate is known", () => {
    expect(renderProgressLine({ phase: "importing", done: 120, total: 120, unit: "rows" }, 2_000, 100)).toMatch(/100% {2}120\/120 rows {2}60 rows\/s {2}done$/);
    expect(renderProgressLine({ phase: "importing", done: 0, total: 120, unit: "rows" }, 0, 100)).toMatch(/ {2}0% {2}0\/120 rows {2}ETA -$/);
  });

  it("counts with a rate and the elapsed time when the total is unknown", () => {
    expect(renderProgressLine({ phase: "reading log", done: 1_234_567, unit: "events" }, 2_000, 100)).toBe("reading log  1,234,567 events  617,284 events/s  2.0s");
  });

  it("shows bytes as MB", () => {
    expect(renderProgressLine({ phase: "verifying", done: 250e6, total: 1e9, unit: "bytes" }, 1_000, 120)).toMatch(/ 25% {2}250 MB\/1,000 MB {2}250\.0 MB\/s {2}ETA 3\.0s$/);
    expect(renderProgressLine({ phase: "querying", done: 12_345_678, total: 98_765_432, unit: "bytes" }, 1_000, 120)).toMatch(/ 12% {2}12\.3 MB\/98\.8 MB {2}12\.3 MB\/s {2}ETA 7\.0s$/);
  });

  it("fits a narrow terminal: the bar goes first, the line never wraps", () => {
    const line = renderProgressLine({ phase: "importing", done: 5, total: 10, unit: "rows" }, 1_000, 40);
    expect(line.length).toBeLessThan(40);
    expect(line).not.toContain("[");
  });

  it("draws a new phase at once, redraws at most every 100 ms, always draws the end, and clears itself", () => {
    const writes: string[] = [];
    let now = 0;
    const progress = createProgressLine({ write: (text: string) => writes.push(text), columns: 100 }, () => now);
    progress.update({ phase: "reading log", done: 0, unit: "events" });
    now = 50;
    progress.update({ phase: "importing", done: 0, total: 10, unit: "rows" });
    now = 60;
    progress.update({ phase: "importing", done: 2, total: 10, unit: "rows" }); // too soon: skipped
    now = 200;
    progress.update({ phase: "importing", done: 5, total: 10, unit: "rows" });
    now = 201;
    progress.update({ phase: "importing", done: 10, total: 10, unit: "rows" }); // finished: drawn
    progress.finish();
    const shown = writes.map((w) => w.replace(/\[[#-]*\]/, "[]").replaceAll("\x1b[K", "<clear>"));
    expect(shown).toEqual([
      "\rreading log  0 events  0ms<clear>",
      "\rimporting  []    0%  0/10 rows  ETA -<clear>",
      "\rimporting  []   50%  5/10 rows  33 rows/s  ETA 150ms<clear>",
      "\rimporting  []  100%  10/10 rows  66 rows/s  done<clear>",
      "\r<clear>",
    ]);
  });

  it("after hide, draws again at the next update the throttle allows, so results printed in between stay clean", () => {
    const writes: string[] = [];
    let now = 0;
    const progress = createProgressLine({ write: (text: string) => writes.push(text), columns: 100 }, () => now);
    progress.update({ phase: "querying", done: 0, total: 10, unit: "bytes" });
    progress.hide();
    progress.hide(); // nothing shown: nothing to clear
    now = 50;
    progress.update({ phase: "querying", done: 1, total: 10, unit: "bytes" }); // too soon after the last draw
    now = 120;
    progress.update({ phase: "querying", done: 2, total: 10, unit: "bytes" });
    expect(writes).toHaveLength(3);
    const shown = writes.map((w) => w.replaceAll("\x1b[K", "<clear>"));
    expect(shown[0]).toMatch(/^\rquerying {2}\[-+\] {4}0% {2}0\.0 MB\/0\.0 MB {2}ETA -<clear>$/);
    expect(shown[1]).toBe("\r<clear>");
    expect(shown[2]).toMatch(/^\rquerying {2}\[#+-+\] {3}20% {2}0\.0 MB\/0\.0 MB .*ETA \S+<clear>$/);
  });

  it("is silent when stderr is not a terminal, and with --json", () => {
    const writes: string[] = [];
    const stderr = { write: (text: string) => writes.push(text), isTTY: false };
    createProgress({ stderr }).update({ phase: "verifying", done: 1, total: 2, unit: "bytes" });
    createProgress({ stderr: { ...stderr, isTTY: true } }, { json: true }).update({ phase: "verifying", done: 1, total: 2, unit: "bytes" });
    expect(writes).toEqual([]);
    createProgress({ stderr: { ...stderr, isTTY: true } }).update({ phase: "verifying", done: 1, total: 2, unit: "bytes" });
    expect(writes).toHaveLength(1);
  });
});
