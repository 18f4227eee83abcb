import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NeedleSearch } from "./needle-search.js";

/** A chunk large enough to be sampled (64 KiB and more), of `line` repeated. */
function chunkOf(line: string, bytes = 96 * 1024): Buffer {
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)));
}

/** Every occurrence from `start`, one search after the other, as a query walks a chunk. */
function allFrom(search: NeedleSearch, haystack: Buffer, start: number): number[] {
  const found: number[] = [];
  for (let at = search.indexIn(haystack, start); at !== -1; at = search.indexIn(haystack, at + 1)) found.push(at);
  return found;
}

function allByIndexOf(haystack: Buffer, needle: Buffer, start: number): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle, start); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

describe("NeedleSearch", () => {
  it("finds every occurrence Buffer.indexOf finds, in sampled chunks and short sources alike", () => {
    // A small alphabet makes partial matches, repeats and overlaps common; the
    // filler decides whether the pattern's bytes are rare (anchor) or common (pairs).
    const alphabet = [0x22, 0x30, 0x31, 0x41, 0x0a, 0xff];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 400 }),
        fc.array(fc.constantFrom(...alphabet), { minLength: 2, maxLength: 12 }),
        fc.constantFrom(0, 200, 70 * 1024),
        fc.constantFrom(0x20, 0x41),
        fc.nat(400),
        (tail, pattern, fillerBytes, filler, start) => {
          const haystack = Buffer.concat([Buffer.alloc(fillerBytes, filler), Buffer.from(tail)]);
          const needle = Buffer.from(pattern);
          const from = Math.min(fillerBytes + start, haystack.length);
          expect(allFrom(new NeedleSearch(needle), haystack, from)).toEqual(allByIndexOf(haystack, needle, from));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds a run id in log lines where its rarest byte appears once a line", () => {
    const needle = Buffer.from('"RUN-0042"');
    const lines = Array.from({ length: 600 }, (_, i) => `{"event":"task_started","run_id":"RUN-${String(i % 100).padStart(4, "0")}","summary":"step done"}\n`).join("");
    const haystack = Buffer.from(lines.repeat(2));
    const found = allFrom(new NeedleSearch(needle), haystack, 0);
    expect(found).toEqual(allByIndexOf(haystack, needle, 0));
    expect(found).toHaveLength(12);
  });

  it("still finds the pattern when every one of its bytes is common in the chunk", () => {
    // No byte of "0101" is rare in a run of digits: the pair search does the work.
    const haystack = Buffer.concat([chunkOf("0110"), Buffer.from("0101"), chunkOf("1100", 1024)]);
    expect(allFrom(new NeedleSearch(Buffer.from("0101")), haystack, 0)).toEqual(allByIndexOf(haystack, Buffer.from("0101"), 0));
  });

  it("chooses again for each new chunk, so a match after a change of text is not missed", () => {
    const search = new NeedleSearch(Buffer.from('"abc"'));
    const first = chunkOf("xyz ");
    const second = Buffer.concat([chunkOf('"ab" "bc" '), Buffer.from('"abc"'), chunkOf("a")]);
    expect(search.indexIn(first, 0)).toBe(-1);
    expect(search.indexIn(second, 0)).toBe(second.indexOf('"abc"'));
    expect(search.indexIn(first, 0)).toBe(-1);
  });
});
