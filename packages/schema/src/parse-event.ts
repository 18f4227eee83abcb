// Read-side validation: strict about the known fields, keeps unknown ones.
// Runs once per line on every reader, so the common case takes the fast path.
import * as z from "zod/mini";
import { EventValidationError } from "./errors.js";
import { passesFastPath } from "./event-fast-path.js";
import { eventSchema, type TelemetryEvent } from "./event-schema.js";
import { toValidationIssues } from "./issues.js";
import { structureIssue } from "./structure-limits.js";

export type SafeParseResult = { success: true; data: TelemetryEvent } | { success: false; error: EventValidationError };

/**
 * Validates a decoded JSON value as a stored event. Never throws. A valid
 * plain object is returned as it is (not copied): readers hand in values
 * they just decoded, and copying each one would double the cost of a read.
 */
export function safeParseEvent(value: unknown): SafeParseResult {
  if (passesFastPath(value, "stored")) return { success: true, data: value as unknown as TelemetryEvent };
  // Before zod: it would drop a "__proto__" key silently, and it recurses.
  const structural = structureIssue(value);
  if (structural !== undefined) return { success: false, error: new EventValidationError([structural]) };
  const result = z.safeParse(eventSchema, value);
  if (result.success) return { success: true, data: result.data };
  return { success: false, error: new EventValidationError(toValidationIssues(result.error.issues, value)) };
}

/**
 * Validates a decoded JSON value as a stored event.
 * @throws {EventValidationError} naming every bad field path.
 */
export function parseEvent(value: unknown): TelemetryEvent {
  const result = safeParseEvent(value);
  if (!result.success) throw result.error;
  return result.data;
}
