// Builds a stored event from caller input: strict validation, defaults for
// `ts` and `event_id`, canonical field order, deep freeze. This runs on every
// writer's emit, so the common case takes the fast path.
import * as z from "zod/mini";
import { EventValidationError } from "./errors.js";
import { passesFastPath } from "./event-fast-path.js";
import { EVENT_FIELDS, eventInputSchema, type EventInput, type TelemetryEvent } from "./event-schema.js";
import { toValidationIssues } from "./issues.js";
import { structureIssue } from "./structure-limits.js";

// Web Crypto exists in browsers and as a global in Node >= 19; typed locally
// so this package needs neither DOM nor Node type definitions.
const webCrypto = (globalThis as unknown as { crypto: { randomUUID(): string } }).crypto;

// Formatting a Date is the costliest step of filling defaults; a busy writer
// stamps hundreds of events within one millisecond, so the string is reused
// while the millisecond lasts.
let stampedAt = Number.NaN;
let stamp = "";
function nowIso(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/**
 * Copies the known fields in wire order, filling `ts` and `event_id` in
 * place and dropping absent ones. Nested objects (whose values are all
 * scalars) are copied and frozen, so nothing of the caller's is frozen or shared.
 * They are copied with Object.assign, not a spread: V8 freezes a spread
 * clone about ten times slower (measured on Node 20: 1.0 µs against 0.1 µs
 * per nested object, half of createEvent's time for an event with metrics).
 * Object.assign would set a prototype for a "__proto__" key, but none
 * reaches here: the fast path and `structureIssue` refuse it first.
 */
export function canonical(source: Record<string, unknown>): TelemetryEvent {
  const out: Record<string, unknown> = {};
  for (const key of EVENT_FIELDS) {
    let value = source[key];
    if (value === undefined) {
      if (key === "ts") value = nowIso();
      else if (key === "event_id") value = webCrypto.randomUUID();
      else continue;
    } else if (typeof value === "object" && value !== null) {
      value = Object.freeze(Object.assign({}, value));
    }
    out[key] = value;
  }
  return Object.freeze(out) as TelemetryEvent;
}

/**
 * Validates `input` strictly (unknown keys are rejected), fills `ts` (now,
 * UTC) and `event_id` (a random UUID v4), and returns a deeply frozen event.
 * @throws {EventValidationError} naming every bad field path.
 */
export function createEvent(input: EventInput): TelemetryEvent {
  if (passesFastPath(input, "input")) return canonical(input);
  // Before zod: it would drop a "__proto__" key (e.g. from JSON.parse) silently.
  const structural = structureIssue(input);
  if (structural !== undefined) throw new EventValidationError([structural]);
  const result = z.safeParse(eventInputSchema, input);
  if (!result.success) throw new EventValidationError(toValidationIssues(result.error.issues, input));
  return canonical(result.data);
}
