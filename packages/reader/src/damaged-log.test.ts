// Property tests: random valid events written as lines, then random damage.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_TYPES, createEvent, safeParseEvent, serializeEvent, type TelemetryEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkParser } from "./chunk-parser.js";
import { readEvents, type InvalidLine } from "./index.js";

const MAX_LINE_BYTES = 2048;
const encoder = new TextEncoder();

const eventArb = fc
  .record(
    {
      event: fc.constantFrom(...EVENT_TYPES),
      ts: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
      run_id: fc.string({ maxLength: 12 }),
      summary: fc.string({ unit: "binary", maxLength: 40 }),
      metrics: fc.record({ total_tokens: fc.nat(), cost_usd: fc.double({ min: 0, max: 10, noNaN: true }) }, { requiredKeys: [] }),
      attributes: fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }),
    },
    { requiredKeys: ["event", "ts"] },
  )
  .map((input) => createEvent(input));

type Damage =
  | { kind: "none" }
  | { kind: "crlf" }
  | { kind: "flip"; at: number; bit: number }
  | { kind: "nul"; at: number; length: number }
  | { kind: "garbageBefore"; bytes: Uint8Array }
  | { kind: "overlongBefore"; length: number };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "crlf" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("nul" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("garbageBefore" as const), bytes: fc.uint8Array({ maxLength: 80 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("overlongBefore" as const), length: fc.integer({ min: MAX_LINE_BYTES + 1, max: 3 * MAX_LINE_BYTES }) }) },
);

interface DamagedLog {
  bytes: Uint8Array;
  /** Events whose lines survived intact (CRLF counts as intact), in order. */
  intact: TelemetryEvent[];
}

function buildLog(lines: [TelemetryEvent, Damage][], truncateAt: number | undefined): DamagedLog {
  const parts: { bytes: Uint8Array; event?: TelemetryEvent }[] = [];
  for (const [event, damage] of lines) {
    const body = encoder.encode(serializeEvent(event));
    switch (damage.kind) {
      case "none":
        parts.push({ bytes: new Uint8Array([...body, 0x0a]), event });
        break;
      case "crlf":
        parts.push({ bytes: new Uint8Array([...body, 0x0d, 0x0a]), event });
        break;
      case "flip": {
        const copy = body.slice();
        const at = damage.at % copy.length;
        copy[at] = copy[at]! ^ (1 << damage.bit);
        parts.push({ bytes: new Uint8Array([...copy, 0x0a]) });
        break;
      }
      case "nul": {
        const copy = body.slice();
        const at = damage.at % copy.length;
        copy.fill(0, at, at + damage.length);
        parts.push({ bytes: new Uint8Array([...copy, 0x0a]) });
        break;
      }
      case "garbageBefore":
        // Ends with a newline, so it damages no neighbour.
        parts.push({ bytes: new Uint8Array([...damage.bytes, 0x0a]) }, { bytes: new Uint8Array([...body, 0x0a]), event });
        break;
      case "overlongBefore":
        parts.push({ bytes: new Uint8Array([...encoder.encode(`{"event":"task_started","summary":"${"x".repeat(damage.length)}"}`), 0x0a]) });
        parts.push({ bytes: new Uint8Array([...body, 0x0a]), event });
        break;
    }
  }
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const cut = truncateAt === undefined ? total : truncateAt % (total + 1);
  const bytes = new Uint8Array(total);
  const intact: TelemetryEvent[] = [];
  let offset = 0;
  for (const part of parts) {
    bytes.set(part.bytes, offset);
    offset += part.bytes.length;
    // A line survives a truncation only with its newline.
    if (part.event !== undefined && offset <= cut) intact.push(part.event);
  }
  return { bytes: bytes.subarray(0, cut), intact };
}

function expectSubsequence(yielded: readonly TelemetryEvent[], expected: readonly TelemetryEvent[]): void {
  let next = 0;
  for (const event of yielded) {
    if (next < expected.length && JSON.stringify(event) === JSON.stringify(expected[next])) next++;
  }
  expect(next, "every intact line's event, in order").toBe(expected.length);
}

const logArb = fc.record({
  lines: fc.array(fc.tuple(eventArb, damageArb), { maxLength: 25 }),
  truncateAt: fc.option(fc.nat(), { nil: undefined }),
  chunk: fc.integer({ min: 1, max: 300 }),
});

describe("reading a damaged log", () => {
  it("never throws, yields only valid events and yields every intact line's event in order", async () => {
    const dir = testdir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(logArb, async ({ lines, truncateAt }) => {
        const { bytes, intact } = buildLog(lines, truncateAt);
        const path = join(dir, `log-${run++}.jsonl`);
        writeFileSync(path, bytes);
        const yielded: TelemetryEvent[] = [];
        const invalid: InvalidLine[] = [];
        for await (const event of readEvents(path, { maxLineBytes: MAX_LINE_BYTES, onInvalid: (i) => invalid.push(i) })) yielded.push(event);
        for (const event of yielded) expect(safeParseEvent(event).success).toBe(true);
        expectSubsequence(yielded, intact);
        for (const issue of invalid) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.offset).toBeLessThanOrEqual(bytes.length);
          expect(issue.excerpt.length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same events and reports whatever the chunk sizes", async () => {
    const dir = testdir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(logArb, async ({ lines, truncateAt, chunk }) => {
        const { bytes } = buildLog(lines, truncateAt);
        const path = join(dir, `log-${run++}.jsonl`);
        writeFileSync(path, bytes);
        const fromFile: unknown[] = [];
        for await (const event of readEvents(path, { maxLineBytes: MAX_LINE_BYTES, onInvalid: (i) => fromFile.push({ ...i, file: "x" }) })) fromFile.push(event);
        const parser = new ChunkParser({ file: "x", maxLineBytes: MAX_LINE_BYTES });
        const fromChunks: unknown[] = [];
        const take = (items: ReturnType<ChunkParser["push"]>): void => {
          for (const item of items) fromChunks.push(item.type === "event" ? item.event : item.issue);
        };
        for (let i = 0; i < bytes.length; i += chunk) take(parser.push(bytes.subarray(i, i + chunk)));
        take(parser.end());
        expect(fromChunks).toEqual(fromFile);
      }),
      { numRuns: 200 },
    );
  });
});
