// Builds a stored event from caller input: strict validation, defaults for
// `ts` and `event_id`, canonical field order, deep freeze.
import * as z from "zod/mini";
import { EventValidationError } from "./errors.js";
import { EVENT_FIELDS, eventInputSchema, type EventInput, type TelemetryEvent } from "./event-schema.js";
import { toValidationIssues } from "./issues.js";

// Web Crypto exists in browsers and as a global in Node >= 19; typed locally
// so this package needs neither DOM nor Node type definitions.
const webCrypto = (globalThis as unknown as { crypto: { randomUUID(): string } }).crypto;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Copies the known fields in wire order, dropping absent ones. */
function canonical(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EVENT_FIELDS) {
    const value = source[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Validates `input` strictly (unknown keys are rejected), fills `ts` (now,
 * UTC) and `event_id` (a random UUID v4), and returns a deeply frozen event.
 * @throws {EventValidationError} naming every bad field path.
 */
export function createEvent(input: EventInput): TelemetryEvent {
  const result = z.safeParse(eventInputSchema, input);
  if (!result.success) throw new EventValidationError(toValidationIssues(result.error.issues, input));
  const data = result.data as Record<string, unknown>;
  data.ts ??= new Date().toISOString();
  data.event_id ??= webCrypto.randomUUID();
  return deepFreeze(canonical(data)) as TelemetryEvent;
}
