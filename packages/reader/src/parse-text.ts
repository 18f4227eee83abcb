// Whole-input convenience over the chunk parser: text or bytes in, every
// event and every invalid-line report out. Browser-safe.
import type { TelemetryEvent } from "@telemetry/schema";
import { ChunkParser, type ChunkParserOptions } from "./chunk-parser.js";
import type { InvalidLine } from "./invalid-line.js";

export interface ParsedText {
  /** Valid events in input order. */
  readonly events: TelemetryEvent[];
  /** Skipped lines in input order, the torn tail included. */
  readonly invalid: InvalidLine[];
}

const encoder = new TextEncoder();

/** Parses a complete JSONL document (string or UTF-8 bytes); never throws on bad lines. */
export function parseJsonl(input: string | Uint8Array, options: Omit<ChunkParserOptions, "prefilter"> = {}): ParsedText {
  const parser = new ChunkParser(options);
  const events: TelemetryEvent[] = [];
  const invalid: InvalidLine[] = [];
  for (const item of [...parser.push(typeof input === "string" ? encoder.encode(input) : input), ...parser.end()]) {
    if (item.type === "event") events.push(item.event);
    else invalid.push(item.issue);
  }
  return { events, invalid };
}
