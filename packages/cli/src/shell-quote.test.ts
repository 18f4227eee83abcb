import { describe, expect, it } from "vitest";
import { shellQuote } from "./shell-quote.js";

describe("shellQuote", () => {
  it("leaves plain paths bare and quotes anything a shell would split or expand", () => {
    expect(shellQuote("/tmp/telemetry-demo-abc/events.jsonl")).toBe("/tmp/telemetry-demo-abc/events.jsonl");
    expect(shellQuote("/tmp/my logs/events.jsonl")).toBe("'/tmp/my logs/events.jsonl'");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote("")).toBe("''");
  });
});
