import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_TYPES, createEvent, serializeEvent, type EventType, type TelemetryEvent } from "@telemetry/schema";
import { testdir } from "@telemetry/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidQueryError, queryEvents, readEvents, type InvalidLine, type QueryOptions } from "./index.js";

async function query(path: string, options: QueryOptions = {}): Promise<TelemetryEvent[]> {
  const found: TelemetryEvent[] = [];
  for await (const event of queryEvents(path, options)) found.push(event);
  return found;
}

/** Open file descriptors of this process (Linux). */
const openFileCount = (): number => readdirSync("/proc/self/fd").length;

/** Writes like Python's json.dumps (ensure_ascii): every non-ASCII character as \uXXXX. */
function pythonStyle(event: TelemetryEvent): string {
  return serializeEvent(event).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
/** A writer that escapes every character of string values, ASCII included (valid JSON, if unusual). */
function escapeEverything(event: TelemetryEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => value).replace(/"((?:[^"\\]|\\.)*)"/g, (_m, body: string) => {
    const text = JSON.parse(`"${body}"`) as string;
    const units = Array.from({ length: text.length }, (_u, i) => `\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}`);
    return `"${units.join("")}"`;
  });
}

const AWKWARD = ["RUN-1", "RUN-2", 'say "hi"', "back\\slash", "caf\u00e9", "\u{1F600} emoji", "line\nbreak", "tab\there", "\u2028sep", "a/b", "RUN-1 ", ""];

const eventArb = fc
  .record({
    event: fc.constantFrom(...EVENT_TYPES),
    ts: fc.oneof(
      fc.date({ min: new Date("2026-01-01"), max: new Date("2026-01-03"), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.date({ min: new Date("2026-01-01"), max: new Date("2026-01-03"), noInvalidDate: true }).map((d) => d.toISOString().replace("Z", "123+00:00")),
      fc.date({ min: new Date("2026-01-01"), max: new Date("2026-01-03"), noInvalidDate: true }).map((d) => {
        // The same instant written with a +02:00 offset.
        const shifted = new Date(d.getTime() + 2 * 3600_000).toISOString().slice(0, 19);
        return `${shifted}+02:00`;
      }),
    ),
    run_id: fc.constantFrom(...AWKWARD),
    task_id: fc.option(fc.constantFrom(...AWKWARD), { nil: undefined }),
    agent_role: fc.option(fc.constantFrom("pedro", "alphonso", "caf\u00e9"), { nil: undefined }),
    tool: fc.option(fc.constantFrom("codex", "claude-code"), { nil: undefined }),
    status: fc.option(fc.constantFrom("running", "ok", "RUN-1"), { nil: undefined }),
    summary: fc.option(fc.constantFrom(...AWKWARD), { nil: undefined }),
  })
  .map((input) => createEvent(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Parameters<typeof createEvent>[0]));

const styleArb = fc.constantFrom(serializeEvent, pythonStyle, escapeEverything);

const queryArb: fc.Arbitrary<QueryOptions> = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.subarray([...EVENT_TYPES] as EventType[])),
    run_id: fc.constantFrom(...AWKWARD),
    task_id: fc.constantFrom(...AWKWARD),
    agent_role: fc.constantFrom("pedro", "caf\u00e9", "nobody"),
    tool: fc.constantFrom("codex", "claude-code"),
    status: fc.constantFrom("running", "RUN-1"),
    since: fc.oneof(fc.constantFrom("2026-01-02T00:00:00Z", "2026-01-02T02:00:00+02:00", "2026-01-01T12:00:00.5+00:00"), fc.constant(new Date("2026-01-01T18:00:00Z"))),
    until: fc.constantFrom("2026-01-02T12:00:00Z", "2026-01-02T14:00:00.000001+02:00"),
    limit: fc.integer({ min: 0, max: 20 }),
    order: fc.constantFrom("asc" as const, "desc" as const),
  },
  { requiredKeys: [] },
);

function plainFilter(all: readonly TelemetryEvent[], q: QueryOptions): TelemetryEvent[] {
  const types = q.event === undefined ? undefined : typeof q.event === "string" ? [q.event] : q.event;
  const since = q.since === undefined ? -Infinity : new Date(q.since).getTime();
  const until = q.until === undefined ? Infinity : new Date(q.until).getTime();
  let out = all.filter((e) => {
    if (types && !types.includes(e.event)) return false;
    for (const field of ["run_id", "task_id", "phase", "agent_role", "tool", "mode", "status"] as const) {
      if (q[field] !== undefined && e[field] !== q[field]) return false;
    }
    // Timestamps here have at most millisecond precision, except the bounds, which never tie with an event.
    const at = new Date(e.ts).getTime();
    return at >= since && at < until;
  });
  if (q.order === "desc") out = out.reverse();
  return q.limit === undefined ? out : out.slice(0, q.limit);
}

describe("queryEvents", () => {
  it("returns exactly what a plain filter over every event returns, whatever the escaping of the lines", { timeout: 60_000 }, async () => {
    const dir = testdir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(eventArb, styleArb), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(queryArb, { minLength: 1, maxLength: 5 }),
        async (written, rotations, queries) => {
          const path = join(dir, `log-${run++}.jsonl`);
          // Spread the lines over path.N .. path.1 and path.
          const files = Array.from({ length: rotations + 1 }, () => [] as string[]);
          written.forEach(([event, style], i) => files[Math.floor((i * files.length) / written.length)]!.push(`${style(event)}\n`));
          files.forEach((lines, i) => writeFileSync(i === files.length - 1 ? path : `${path}.${files.length - 1 - i}`, lines.join("")));
          const all: TelemetryEvent[] = [];
          for await (const event of readEvents(path)) all.push(event);
          expect(all).toEqual(written.map(([event]) => event));
          for (const q of queries) expect(await query(path, q)).toEqual(plainFilter(all, q));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("finds values that need JSON escaping, written raw or as \\uXXXX escapes", async () => {
    const path = join(testdir(), "events.jsonl");
    const quoted = createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: 'say "hi"', event_id: "a" });
    const accented = createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: "caf\u00e9", event_id: "b" });
    writeFileSync(path, `${serializeEvent(quoted)}\n${pythonStyle(accented)}\n${serializeEvent(accented)}\n`);
    expect(pythonStyle(accented)).toContain("caf\\u00e9");
    expect(await query(path, { run_id: 'say "hi"' })).toEqual([quoted]);
    expect(await query(path, { run_id: "caf\u00e9" })).toEqual([accented, accented]);
  });

  it("compares since/until as instants across Z and +hh:mm offsets, with sub-millisecond precision", async () => {
    const path = join(testdir(), "events.jsonl");
    const at = (ts: string, id: string): TelemetryEvent => createEvent({ event: "task_started", ts, event_id: id });
    const events = [at("2026-02-13T10:05:23.330081+00:00", "a"), at("2026-02-13T12:05:23.330500+02:00", "b"), at("2026-02-13T10:05:24Z", "c")];
    writeFileSync(path, events.map((e) => `${serializeEvent(e)}\n`).join(""));
    expect((await query(path, { since: "2026-02-13T10:05:23.330200Z" })).map((e) => e.event_id)).toEqual(["b", "c"]);
    expect((await query(path, { until: "2026-02-13T10:05:23.3305Z" })).map((e) => e.event_id)).toEqual(["a"]);
    expect((await query(path, { since: new Date("2026-02-13T10:05:24Z") })).map((e) => e.event_id)).toEqual(["c"]);
  });

  it("returns the newest N first with order desc and a limit, reading across rotated files", async () => {
    const dir = testdir();
    const path = join(dir, "events.jsonl");
    const events = Array.from({ length: 30 }, (_, i) => createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: i % 2 ? "odd" : "even", event_id: `e-${i}` }));
    const lines = events.map((e) => `${serializeEvent(e)}\n`);
    writeFileSync(`${path}.2`, lines.slice(0, 10).join(""));
    writeFileSync(`${path}.1`, lines.slice(10, 20).join(""));
    writeFileSync(path, lines.slice(20).join(""));
    expect((await query(path, { order: "desc", limit: 3 })).map((e) => e.event_id)).toEqual(["e-29", "e-28", "e-27"]);
    expect((await query(path, { order: "desc", limit: 12, run_id: "odd" })).map((e) => e.event_id)).toEqual(
      [29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7].map((i) => `e-${i}`),
    );
  });

  it("reports damaged lines with file, line and offset when reading backwards", async () => {
    const path = join(testdir(), "events.jsonl");
    const good = serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "g" }));
    writeFileSync(path, `${good}\n{bad\n\n${good}\n{"torn`);
    const invalid: InvalidLine[] = [];
    const found = await query(path, { order: "desc", onInvalid: (i) => invalid.push(i) });
    expect(found).toHaveLength(2);
    expect(invalid.map((i) => [i.line, i.offset, i.kind])).toEqual([
      [5, good.length * 2 + 8, "torn"],
      [2, good.length + 1, "json"],
    ]);
  });

  it("reports damaged lines with their exact line numbers after lines the pre-filter skipped", async () => {
    const path = join(testdir(), "events.jsonl");
    const other = (i: number): string => serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: "other", event_id: `o-${i}` }));
    const wanted = serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: "RUN-7", event_id: "w" }));
    const lines = [...Array.from({ length: 40 }, (_, i) => other(i)), '{"run_id":"RUN-7", bad', ...Array.from({ length: 30 }, (_, i) => other(40 + i)), wanted, "", '{"run_id":"RUN-7"'];
    writeFileSync(path, lines.join("\n"));
    for (const order of ["asc", "desc"] as const) {
      const invalid: InvalidLine[] = [];
      const found = await query(path, { run_id: "RUN-7", order, onInvalid: (i) => invalid.push(i) });
      expect(found.map((e) => e.event_id)).toEqual(["w"]);
      const offsetOf = (n: number): number => lines.slice(0, n - 1).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
      const expected = [
        [41, offsetOf(41), "json"],
        [74, offsetOf(74), "torn"],
      ];
      expect(invalid.map((i) => [i.line, i.offset, i.kind])).toEqual(order === "asc" ? expected : expected.reverse());
    }
  });

  it("reads backwards through lines longer than its chunk and over maxLineBytes", async () => {
    const path = join(testdir(), "events.jsonl");
    const big = createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", summary: "s".repeat(1_500_000), event_id: "big" });
    const small = createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: "small" });
    writeFileSync(path, `${serializeEvent(small)}\n${serializeEvent(big)}\n${"q".repeat(3_000_000)}\n${serializeEvent(small)}\n`);
    const invalid: InvalidLine[] = [];
    const found = await query(path, { order: "desc", maxLineBytes: 2_000_000, onInvalid: (i) => invalid.push(i) });
    expect(found.map((e) => e.event_id)).toEqual(["small", "big", "small"]);
    expect(invalid).toEqual([expect.objectContaining({ line: 3, kind: "too_long", excerpt: "q".repeat(200) })]);
  });

  it("rejects a since that is not an instant at the call, before reading anything", () => {
    expect(() => queryEvents("/nonexistent/events.jsonl", { since: "last tuesday" })).toThrow(InvalidQueryError);
    expect(() => queryEvents("/nonexistent/events.jsonl", { limit: -1 })).toThrow(expect.objectContaining({ code: "QUERY_INVALID", option: "limit" }));
  });

  it("streams: breaking out of the loop after the first match closes the files", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, Array.from({ length: 50 }, (_, i) => `${serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", run_id: "r", event_id: `e-${i}` }))}\n`).join(""));
    const before = openFileCount();
    const iterator = queryEvents(path, { run_id: "r" });
    for await (const event of iterator) {
      expect(event.event_id).toBe("e-0");
      expect(openFileCount()).toBeGreaterThan(before);
      break;
    }
    expect(openFileCount()).toBe(before);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("stops with the signal's AbortError once it aborts, in either order, closing the files", async () => {
    const path = join(testdir(), "events.jsonl");
    writeFileSync(path, Array.from({ length: 20 }, (_, i) => `${serializeEvent(createEvent({ event: "task_started", ts: "2026-01-01T00:00:00Z", event_id: `e-${i}` }))}\n`).join(""));
    const before = openFileCount();
    for (const order of ["asc", "desc"] as const) {
      const controller = new AbortController();
      const seen: string[] = [];
      const reading = (async () => {
        for await (const event of queryEvents(path, { order, signal: controller.signal })) {
          seen.push(event.event_id);
          if (seen.length === 3) controller.abort();
        }
      })();
      await expect(reading).rejects.toMatchObject({ name: "AbortError" });
      expect(seen).toHaveLength(3);
    }
    const controller = new AbortController();
    const read = (async () => {
      for await (const _ of readEvents(path, { signal: controller.signal })) controller.abort();
    })();
    await expect(read).rejects.toMatchObject({ name: "AbortError" });
    expect(openFileCount()).toBe(before);
  });
});
