// Merging a child writer's bindings under an event's own fields, pino-style:
// the event wins on a conflict; for object fields (attributes, log_paths,
// metrics) the merge is per member, so a bound attribute and an event's own
// attributes both reach the line.
import type { EventBindings } from "@telemetry/schema";

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Defines `key` as an own data property, so a "__proto__" key stays an ordinary key (no prototype change). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `inner` over `outer`, member by member for object fields. */
export function mergeFields(outer: Fields, inner: Fields): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...outer };
  for (const key of Object.keys(inner)) {
    const value = inner[key];
    // An explicit undefined means "absent" in the format: the bound value stays.
    if (value === undefined) continue;
    const bound = merged[key];
    put(merged, key, isRecord(bound) && isRecord(value) && Object.hasOwn(outer, key) ? { ...bound, ...value } : value);
  }
  return merged;
}

/** The input with `bindings` under it; anything but an object is left for validation to report. */
export function applyBindings(bindings: EventBindings, input: unknown): unknown {
  return isRecord(input) ? mergeFields(bindings, input) : input;
}
