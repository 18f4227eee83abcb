// An event's line straight from caller input: the bulk writers' path (a
// legacy import appends a million of them), which needs the line only, not
// the frozen event object `createEvent` builds for `emit` to return.
import { canonical, createEvent } from "./create-event.js";
import { passesFastPath } from "./event-fast-path.js";
import { EVENT_FIELDS, type EventInput } from "./event-schema.js";
import { escapeLineSeparators, serializeEvent } from "./serialize-event.js";

const WIRE_RANK: ReadonlyMap<string, number> = new Map(EVENT_FIELDS.map((field, rank) => [field, rank]));

/** Whether the input's keys already come in wire order, with `ts` and `event_id` given (nothing to fill in). */
function isWireShaped(input: Record<string, unknown>): boolean {
  if (input.ts === undefined || input.event_id === undefined) return false;
  let previous = -1;
  for (const key in input) {
    const rank = WIRE_RANK.get(key);
    if (rank === undefined || rank < previous) return false;
    previous = rank;
  }
  return true;
}

/**
 * Exactly `serializeEvent(createEvent(input))`, the same validation and the
 * same errors, without building the event: input that passes the fast
 * validation and already lists its fields in wire order (as a bulk
 * producer can build it) is serialized as it is, which is the line itself,
 * copying nothing. Any other input takes `createEvent`'s way.
 * @throws {EventValidationError} naming every bad field path.
 */
export function createEventLine(input: EventInput): string {
  if (!passesFastPath(input, "input")) return serializeEvent(createEvent(input));
  // The fast path admits no null field, so there is nothing for serializeEvent to leave out.
  return isWireShaped(input) ? escapeLineSeparators(JSON.stringify(input)) : serializeEvent(canonical(input));
}
