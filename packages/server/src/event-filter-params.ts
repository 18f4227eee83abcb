// The filters `/api/events` and `/api/stream` share, from query parameters
// to the reader's event matcher (the same semantics as `queryEvents`).
import { createEventMatcher, InvalidQueryError } from "@telemetry/reader";
import { isEventType, EVENT_TYPES, type EventType, type TelemetryEvent } from "@telemetry/schema";
import { BadRequestError } from "./errors.js";

const EXACT = ["run_id", "task_id", "phase", "agent_role", "tool", "mode", "status"] as const;

/** Parameters each route accepts besides the filters. */
export function eventMatcherFromParams(params: URLSearchParams, extra: readonly string[]): (event: TelemetryEvent) => boolean {
  const known = new Set<string>([...EXACT, "event", "since", "until", "token", ...extra]);
  for (const name of params.keys()) {
    if (!known.has(name)) throw new BadRequestError(name, `unknown parameter (filters: event, ${EXACT.join(", ")}, since, until)`);
  }
  const types = params.getAll("event").flatMap((value) => value.split(",")).filter((value) => value !== "");
  for (const type of types) {
    if (!isEventType(type)) throw new BadRequestError("event", `unknown event type "${type}" (known: ${EVENT_TYPES.join(", ")})`);
  }
  const options: Record<string, string | EventType[]> = {};
  if (types.length > 0) options.event = types as EventType[];
  for (const field of [...EXACT, "since", "until"] as const) {
    const value = params.get(field);
    if (value !== null) options[field] = value;
  }
  try {
    return createEventMatcher(options);
  } catch (error) {
    if (error instanceof InvalidQueryError) throw new BadRequestError(error.option, error.message);
    throw error;
  }
}

/** A whole number in [min, max], or the default when absent. */
export function integerParam(params: URLSearchParams, name: string, options: { min: number; max: number; fallback: number }): number {
  const raw = params.get(name);
  if (raw === null) return options.fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < options.min || n > options.max) {
    throw new BadRequestError(name, `expected a whole number from ${options.min} to ${options.max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}
