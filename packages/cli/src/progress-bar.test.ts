import { describe, expect, it } from "vitest";
import { createProgressBar, renderProgressLine } from "./progress-bar.js";

describe("progress bar", () => {
  it("shows the share done as a bar, a percentage and counts", () => {
    expect(renderProgressLine("import", 60, 120, 80)).toBe(`import  [${"#".repeat(20)}${"-".repeat(20)}]   50%  60/120`);
    expect(renderProgressLine("import", 120, 120, 80)).toBe(`import  [${"#".repeat(40)}]  100%  120/120`);
  });

  it("fits a narrow terminal and handles an empty source", () => {
    expect(renderProgressLine("import", 0, 0, 30)).toBe(`import  [${"#".repeat(10)}]  100%  0/0`);
  });

  it("redraws in place at most every 50 ms but always draws the final state, then ends the line", () => {
    const writes: string[] = [];
    let now = 0;
    const bar = createProgressBar({ write: (text: string) => writes.push(text), columns: 80 }, "import", () => now);
    bar.update(1, 10);
    now = 10;
    bar.update(2, 10); // too soon: skipped
    now = 100;
    bar.update(5, 10);
    now = 101;
    bar.update(10, 10); // final: always drawn
    bar.finish();
    expect(writes.map((w) => w.replace(/\[.*\]/, "[]"))).toEqual([
      "\rimport  []   10%  1/10",
      "\rimport  []   50%  5/10",
      "\rimport  []  100%  10/10",
      "\n",
    ]);
  });
});
