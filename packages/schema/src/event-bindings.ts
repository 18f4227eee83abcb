// Contextual bindings: fields a child writer adds to every event it writes.
// They are part of an event, so the wire format's field rules decide them.
import * as z from "zod/mini";
import { EventValidationError } from "./errors.js";
import { eventInputSchema, type EventInput } from "./event-schema.js";
import { toValidationIssues } from "./issues.js";

/**
 * Fields bound to every event of a child writer: any optional field of an
 * event except `ts` and `event_id`, which belong to one event each, and
 * `event`, which says what happened.
 */
export type EventBindings = Omit<EventInput, "event" | "ts" | "event_id">;

/** Bindings are an event input without its own per-event fields: strict, so a typo fails where it is made. */
export const eventBindingsSchema = /* @__PURE__ */ z.omit(eventInputSchema, { event: true, ts: true, event_id: true });

/**
 * Validates bindings once, when a child writer is created.
 * @throws {EventValidationError} naming each bad or unknown field path.
 */
export function parseEventBindings(bindings: unknown): EventBindings {
  const result = z.safeParse(eventBindingsSchema, bindings);
  if (!result.success) throw new EventValidationError(toValidationIssues(result.error.issues, bindings));
  return result.data;
}
