// Finds a query's exact value (as JSON bytes) in a chunk of a log: the search
// under the queries' pre-filter, picking per chunk the faster of two ways.
import type { Buffer } from "node:buffer";
import { BigramSearch } from "./bigram-search.js";

/** Bytes sampled at the start of a chunk to choose the way to search it. */
const SAMPLE_BYTES = 4 * 1024;
/** Smaller sources (a line searched on its own, backwards) go straight to the pair search. */
const MIN_SAMPLED_SOURCE = 64 * 1024;
/**
 * An anchor byte seen at most once per this many bytes is worth a `memchr`
 * stop each (~20 ns with the check): the pair search costs ~0.25-0.4 ns per
 * byte, so below this rate stopping at each anchor is the faster of the two.
 */
const ANCHOR_SPACING = 64;

/**
 * Two searches for one pattern. Where the pattern holds a byte that is rare
 * in the text (a run id's `R` in a log where each line has one), native
 * `memchr` (Buffer.indexOf of one byte, SIMD) jumps from one of those bytes
 * to the next and the pattern is checked around each, last bytes first (ids
 * share their prefixes): ~3x faster than the pair search on the benchmark
 * log. Where every byte of the pattern is common, memchr would stop too
 * often and the pair search ({@link BigramSearch}) does the work. The choice
 * is made per chunk from a sample of it, so it follows the text; both give
 * the same answer, the first occurrence.
 */
export class NeedleSearch {
  readonly #pattern: Uint8Array;
  readonly #pairs: BigramSearch;
  readonly #counts = new Uint32Array(256);
  /** The chunk the choice was made for, and the pattern index of its anchor byte (-1: the pair search). */
  #source: Buffer | undefined;
  #anchor = -1;

  constructor(pattern: Uint8Array) {
    this.#pattern = new Uint8Array(pattern);
    this.#pairs = new BigramSearch(pattern);
  }

  get length(): number {
    return this.#pattern.length;
  }

  /** Position of the first occurrence at or after `start` in `source`, or -1. */
  indexIn(source: Buffer, start: number): number {
    if (source !== this.#source) {
      this.#source = source;
      this.#anchor = source.length - start >= MIN_SAMPLED_SOURCE ? this.#chooseAnchor(source, start) : -1;
    }
    const anchor = this.#anchor;
    if (anchor === -1) return this.#pairs.indexIn(source, start);
    const pattern = this.#pattern;
    const m = pattern.length;
    const byte = pattern[anchor]!;
    for (let at = source.indexOf(byte, start + anchor); at !== -1; at = source.indexOf(byte, at + 1)) {
      const from = at - anchor;
      if (from + m > source.length) return -1;
      let k = m - 1;
      while (k >= 0 && source[from + k] === pattern[k]) k--;
      if (k < 0) return from;
    }
    return -1;
  }

  /** The index in the pattern of its byte seen least in a sample of `source`, or -1 when even that one is too common. */
  #chooseAnchor(source: Buffer, start: number): number {
    const counts = this.#counts;
    counts.fill(0);
    const end = Math.min(source.length, start + SAMPLE_BYTES);
    for (let i = start; i < end; i++) counts[source[i]!]!++;
    const pattern = this.#pattern;
    let best = pattern.length - 1;
    for (let k = pattern.length - 2; k >= 0; k--) if (counts[pattern[k]!]! < counts[pattern[best]!]!) best = k;
    return counts[pattern[best]!]! * ANCHOR_SPACING <= end - start ? best : -1;
  }
}
