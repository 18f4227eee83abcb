import { describe, expect, it } from "vitest";
import { colorFlag, createColors, shouldUseColor } from "./color.js";

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true, isTTY: false };

describe("shouldUseColor", () => {
  it("colors a terminal and not a pipe by default", () => {
    expect(shouldUseColor({ stream: tty, env: {}, flag: "auto" })).toBe(true);
    expect(shouldUseColor({ stream: pipe, env: {}, flag: "auto" })).toBe(false);
  });

  it("never colors with NO_COLOR set, even on a terminal and even with --color", () => {
    expect(shouldUseColor({ stream: tty, env: { NO_COLOR: "1" }, flag: "auto" })).toBe(false);
    expect(shouldUseColor({ stream: tty, env: { NO_COLOR: "1" }, flag: "always" })).toBe(false);
  });

  it("ignores an empty NO_COLOR, as no-color.org specifies", () => {
    expect(shouldUseColor({ stream: tty, env: { NO_COLOR: "" }, flag: "auto" })).toBe(true);
  });

  it("never colors with --no-color", () => {
    expect(shouldUseColor({ stream: tty, env: {}, flag: "never" })).toBe(false);
  });

  it("colors a pipe only when --color asks for it", () => {
    expect(shouldUseColor({ stream: pipe, env: {}, flag: "always" })).toBe(true);
  });

  it("does not color a dumb terminal, nor a pipe just because CI or FORCE_COLOR is set", () => {
    expect(shouldUseColor({ stream: tty, env: { TERM: "dumb" }, flag: "auto" })).toBe(false);
    expect(shouldUseColor({ stream: pipe, env: { CI: "true", FORCE_COLOR: "1" }, flag: "auto" })).toBe(false);
  });

  it("makes formatters that add escapes only when colors are on", () => {
    expect(createColors({ stream: tty, env: {}, flag: "auto" }).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(createColors({ stream: pipe, env: {}, flag: "auto" }).red("x")).toBe("x");
  });

  it("reads --no-color over --color when both are given", () => {
    expect(colorFlag({ color: true, "no-color": true })).toBe("never");
    expect(colorFlag({ color: true })).toBe("always");
    expect(colorFlag({})).toBe("auto");
  });
});
