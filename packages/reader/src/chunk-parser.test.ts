import { createEvent, serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import { describe, expect, it } from "vitest";
import { ChunkParser, type LinePrefilter, type ParsedLine } from "./chunk-parser.js";
import type { InvalidLine } from "./invalid-line.js";

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

function event(n: number): TelemetryEvent {
  return createEvent({ event: "task_started", ts: "2026-02-13T10:05:23.330081+00:00", run_id: "RUN-1", task_id: `T-${n}`, event_id: `e-${n}` });
}
const line = (n: number): string => `${serializeEvent(event(n))}\n`;

/** Feeds `input` in chunks of `size` bytes and collects everything, end() included. */
function parseAll(input: Uint8Array, size = input.length || 1, options = {}): { events: TelemetryEvent[]; invalid: InvalidLine[]; items: ParsedLine[] } {
  const parser = new ChunkParser(options);
  const items: ParsedLine[] = [];
  for (let i = 0; i < input.length; i += size) items.push(...parser.push(input.subarray(i, i + size)));
  items.push(...parser.end());
  return {
    items,
    events: items.flatMap((i) => (i.type === "event" ? [i.event] : [])),
    invalid: items.flatMap((i) => (i.type === "invalid" ? [i.issue] : [])),
  };
}

describe("ChunkParser", () => {
  it("yields each event with its 1-based line, byte offset, end offset and stored text", () => {
    const text = line(1) + line(2);
    const { items } = parseAll(bytes(text));
    const first = bytes(line(1)).length;
    expect(items).toEqual([
      { type: "event", event: event(1), line: 1, offset: 0, end: first, text: line(1).slice(0, -1) },
      { type: "event", event: event(2), line: 2, offset: first, end: bytes(text).length, text: line(2).slice(0, -1) },
    ]);
  });

  it("gives the same result whatever the chunk boundaries", () => {
    const input = bytes(`\uFEFF${line(1)}\r\n{bad\n${line(2).replace("\n", "\r\n")}caf\u00e9\n\n${line(3)}{"torn`);
    const whole = parseAll(input);
    for (const size of [1, 2, 3, 7, 64]) expect(parseAll(input, size)).toEqual(whole);
    expect(whole.events).toEqual([event(1), event(2), event(3)]);
  });

  it("skips blank and whitespace-only lines without a report, counting them in line numbers", () => {
    const { items } = parseAll(bytes(`\n  \n\t\r\n${line(1)}`));
    expect(items).toEqual([expect.objectContaining({ type: "event", line: 4, offset: 7 })]);
  });

  it("accepts CRLF line endings", () => {
    const text = line(1).replace("\n", "\r\n") + line(2).replace("\n", "\r\n");
    const { events, invalid, items } = parseAll(bytes(text));
    expect(events).toEqual([event(1), event(2)]);
    expect(invalid).toEqual([]);
    expect(items[1]).toMatchObject({ line: 2, offset: bytes(line(1)).length + 1 });
  });

  it("accepts a UTF-8 BOM at the start of the input and reports one anywhere else", () => {
    const { events, items } = parseAll(bytes(`\uFEFF${line(1)}\uFEFF${line(2)}`));
    expect(events).toEqual([event(1)]);
    expect(items[0]).toMatchObject({ offset: 0, end: 3 + bytes(line(1)).length });
    expect(items[1]).toMatchObject({ type: "invalid", issue: { line: 2, offset: 3 + bytes(line(1)).length, kind: "json" } });
  });

  it("does not strip a BOM when resuming mid-file", () => {
    const { invalid } = parseAll(bytes(`\uFEFF${line(1)}`), undefined, { offset: 100, line: 5 });
    expect(invalid).toEqual([expect.objectContaining({ line: 6, offset: 100, kind: "json" })]);
  });

  it("reports a torn last line only at end(), with its line and offset", () => {
    const parser = new ChunkParser({ file: "events.jsonl" });
    const head = line(1);
    expect(parser.push(bytes(`${head}{"event":"task_sta`))).toHaveLength(1);
    expect(parser.pendingBytes).toBe(18);
    expect(parser.end()).toEqual([
      {
        type: "invalid",
        issue: {
          file: "events.jsonl",
          line: 2,
          offset: bytes(head).length,
          kind: "torn",
          reason: expect.stringContaining("torn last line") as string,
          excerpt: '{"event":"task_sta',
        },
      },
    ]);
  });

  it("never glues a new event onto a torn line completed by a later chunk", () => {
    const parser = new ChunkParser();
    parser.push(bytes('{"event":"task_sta'));
    const items = parser.push(bytes(`rted"}\n${line(2)}`));
    expect(items[0]).toMatchObject({ type: "invalid", issue: { line: 1, kind: "schema" } });
    expect(items[1]).toMatchObject({ type: "event", event: event(2), line: 2 });
  });

  it("reports bad JSON with its position and an excerpt", () => {
    const { invalid } = parseAll(bytes(`${line(1)}{"event": nope}\n${line(2)}`));
    expect(invalid).toEqual([
      { file: "<input>", line: 2, offset: bytes(line(1)).length, kind: "json", reason: expect.stringMatching(/^invalid JSON: /) as string, excerpt: '{"event": nope}' },
    ]);
  });

  it("reports a run of NUL bytes (a zero-filled tail after power loss) as such", () => {
    const zeros = new Uint8Array(4096);
    const input = new Uint8Array([...bytes(line(1)), ...zeros, ...bytes(`\n${line(2)}`)]);
    const { events, invalid } = parseAll(input, 1000);
    expect(events).toEqual([event(1), event(2)]);
    expect(invalid).toEqual([expect.objectContaining({ line: 2, offset: bytes(line(1)).length, kind: "nul", reason: expect.stringContaining("NUL") as string })]);
    expect(invalid[0]!.excerpt).toHaveLength(200);
  });

  it("reports invalid UTF-8 on the line only, keeping the lines around it", () => {
    const bad = new Uint8Array([...bytes('{"event":"task_started","summary":"'), 0xc3, 0x28, ...bytes('"}\n')]);
    const input = new Uint8Array([...bytes(line(1)), ...bad, ...bytes(line(2))]);
    const { events, invalid } = parseAll(input);
    expect(events).toEqual([event(1), event(2)]);
    expect(invalid).toEqual([expect.objectContaining({ line: 2, kind: "utf8", reason: "invalid UTF-8", excerpt: expect.stringContaining("\uFFFD") as string })]);
  });

  it("reports schema-invalid records with the field path", () => {
    const { invalid } = parseAll(bytes('{"event":"task_started","ts":"yesterday","event_id":"x"}\n[1,2]\n'));
    expect(invalid.map((i) => [i.line, i.kind])).toEqual([
      [1, "schema"],
      [2, "schema"],
    ]);
    expect(invalid[0]!.reason).toContain("ts: expected an ISO 8601 date-time");
  });

  it("keeps unknown fields of otherwise valid events", () => {
    const { events } = parseAll(bytes('{"event":"task_started","ts":"2026-01-01T00:00:00Z","event_id":"x","added_later":{"a":[1]}}\n'));
    expect(events).toEqual([{ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "x", added_later: { a: [1] } }]);
  });

  it("reports and skips an overlong line without buffering it whole", () => {
    const parser = new ChunkParser({ maxLineBytes: 1000 });
    const items: ParsedLine[] = [...parser.push(bytes(line(1)))];
    const junk = bytes("x".repeat(100));
    for (let i = 0; i < 10_000; i++) items.push(...parser.push(junk));
    expect(parser.pendingBytes).toBe(1_000_000);
    items.push(...parser.push(bytes(`\n${line(2)}`)), ...parser.end());
    expect(items.map((i) => (i.type === "event" ? i.event.task_id : i.issue.kind))).toEqual(["T-1", "too_long", "T-2"]);
    expect(items[1]).toMatchObject({ issue: { line: 2, offset: bytes(line(1)).length, reason: expect.stringContaining("1000000 bytes exceeds maxLineBytes (1000)") as string } });
    expect(items[2]).toMatchObject({ line: 3, offset: bytes(line(1)).length + 1_000_001 });
  });

  it("holds at most maxLineBytes of an endless line in memory", () => {
    const parser = new ChunkParser({ maxLineBytes: 1024 * 1024 });
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 128; i++) parser.push(chunk);
    const grown = process.memoryUsage().arrayBuffers - before;
    // Buffering the line would hold 128 MiB; only the head kept for the excerpt (and the 1 MiB limit) may remain.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(parser.pendingBytes).toBe(128 * 1024 * 1024);
    expect(parser.end()).toEqual([{ type: "invalid", issue: expect.objectContaining({ kind: "too_long", line: 1, offset: 0 }) as unknown }]);
  });

  it("reports an overlong line that arrives in one chunk", () => {
    const { invalid, events } = parseAll(bytes(`${"y".repeat(5000)}\n${line(1)}`), undefined, { maxLineBytes: 4096 });
    expect(events).toEqual([event(1)]);
    expect(invalid).toEqual([expect.objectContaining({ line: 1, offset: 0, kind: "too_long", excerpt: "y".repeat(200) })]);
  });

  it("tracks the resumable offset and line count across chunks", () => {
    const parser = new ChunkParser();
    parser.push(bytes(line(1) + line(2).slice(0, 10)));
    expect(parser.offset).toBe(bytes(line(1)).length);
    expect(parser.line).toBe(1);
    parser.push(bytes(line(2).slice(10)));
    expect(parser.offset).toBe(bytes(line(1) + line(2)).length);
    expect(parser.line).toBe(2);
  });

  it("parses lazily with feed() and next(), one line per call, matching push()", () => {
    const input = bytes(line(1) + "{bad\n" + line(2) + line(3).slice(0, 9));
    const lazy = new ChunkParser();
    lazy.feed(input);
    const first = lazy.next();
    expect(first).toMatchObject({ type: "event", line: 1 });
    // Only the first line has been consumed so far.
    expect(lazy.line).toBe(1);
    const rest: ParsedLine[] = [];
    for (let item = lazy.next(); item !== undefined; item = lazy.next()) rest.push(item);
    expect([first, ...rest, ...lazy.end()]).toEqual(parseAll(input).items);
  });

  it("refuses a new chunk before the previous one was consumed", () => {
    const parser = new ChunkParser();
    parser.feed(bytes(line(1)));
    expect(() => parser.feed(bytes(line(2)))).toThrow(/previous chunk/);
  });

  describe("with a pre-filter that names its next candidate", () => {
    const text = (items: Uint8Array, start: number, end: number): string => new TextDecoder().decode(items.subarray(start, end));
    /** Passes lines holding "T-5"; candidates are found with a plain search. */
    const wantsTask5: LinePrefilter = Object.assign((b: Uint8Array, start: number, end: number) => text(b, start, end).includes('"T-5"'), {
      candidateAt: (b: Uint8Array, from: number) => {
        const at = Buffer.from(b.buffer, b.byteOffset, b.length).indexOf('"T-5"', from);
        return at;
      },
    });

    it("skips runs of lines that cannot pass and still numbers the rest exactly", () => {
      const input = bytes(Array.from({ length: 9 }, (_, i) => line(i + 1)).join(""));
      for (const size of [input.length, 100, 7]) {
        const { items } = parseAll(input, size, { prefilter: wantsTask5 });
        expect(items).toEqual([expect.objectContaining({ type: "event", line: 5, offset: bytes(line(1)).length * 4 })]);
      }
    });

    it("still reports an overlong line among the lines it skips", () => {
      const input = bytes(`${line(1)}${"z".repeat(3000)}
${line(2)}${line(5)}`);
      const { items } = parseAll(input, undefined, { prefilter: wantsTask5, maxLineBytes: 1000 });
      expect(items.map((i) => (i.type === "event" ? [i.event.task_id, i.line] : [i.issue.kind, i.issue.line]))).toEqual([
        ["too_long", 2],
        ["T-5", 4],
      ]);
    });

    it("with countSkippedLines false, numbers only the lines it looked at, offsets still exact", () => {
      const input = bytes(line(1) + line(2) + line(5));
      const { items } = parseAll(input, undefined, { prefilter: wantsTask5, countSkippedLines: false });
      expect(items).toEqual([expect.objectContaining({ type: "event", line: 1, offset: bytes(line(1) + line(2)).length })]);
    });
  });
});
