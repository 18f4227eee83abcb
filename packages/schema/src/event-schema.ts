// The wire format, defined once. Every other package imports these schemas
// and types; none restates a field name or a rule.
import * as z from "zod/mini";
import { EventType } from "./event-type.js";

const nonNegativeInt = z.int().check(z.nonnegative());
// z.number() already rejects NaN and ±Infinity, which JSON cannot carry.
const nonNegativeFinite = z.number().check(z.nonnegative());

export const metricsSchema = z.strictObject({
  model: z.optional(z.string()),
  prompt_tokens: z.optional(nonNegativeInt),
  completion_tokens: z.optional(nonNegativeInt),
  total_tokens: z.optional(nonNegativeInt),
  cost_usd: z.optional(nonNegativeFinite),
  latency_ms: z.optional(nonNegativeFinite),
});

export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Year 0000 is valid ISO 8601 but not a year most languages can hold (Python's `datetime` starts at 0001). */
export const YEAR_ZERO_PATTERN = /^(?!0000-)/;

/**
 * ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`) and any
 * sub-second precision, e.g. Python's `2026-02-13T10:05:23.330081+00:00`,
 * in the years 0001-9999.
 */
export const timestampSchema = z.iso.datetime({ offset: true }).check(z.regex(YEAR_ZERO_PATTERN, { error: "expected a year from 0001 to 9999" }));

/** Field order is the wire order the Python reference writes. */
const eventShape = {
  event: z.enum(EventType),
  ts: timestampSchema,
  run_id: z.optional(z.string()),
  task_id: z.optional(z.string()),
  phase: z.optional(z.string()),
  agent_role: z.optional(z.string()),
  tool: z.optional(z.string()),
  mode: z.optional(z.string()),
  status: z.optional(z.string()),
  log_paths: z.optional(z.record(z.string(), z.string())),
  summary: z.optional(z.string()),
  metrics: z.optional(metricsSchema),
  attributes: z.optional(z.record(z.string(), attributeValueSchema)),
  event_id: z.string().check(z.minLength(1)),
};

/** Wire field names in serialization order. */
export const EVENT_FIELDS = Object.freeze(Object.keys(eventShape)) as readonly (keyof typeof eventShape)[];

/**
 * Read-side schema: strict about known fields, lenient about unknown ones
 * (kept as they are), so a reader accepts lines from a newer writer.
 */
export const eventSchema = z.looseObject(eventShape);

/** Write-side schema: unknown keys are rejected so a typo such as `runId` fails loudly. */
export const eventInputSchema = z.strictObject({
  ...eventShape,
  ts: z.optional(timestampSchema),
  event_id: z.optional(eventShape.event_id),
});

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Token, cost and latency figures of one model invocation (an extension of the reference format). */
export type EventMetrics = DeepReadonly<z.output<typeof metricsSchema>>;
/** Free-form scalar attributes (an extension of the reference format). */
export type EventAttributes = DeepReadonly<Record<string, string | number | boolean | null>>;
/** A stored event, as written to and read from the log. Deeply readonly. */
export type TelemetryEvent = DeepReadonly<z.output<ReturnType<typeof z.strictObject<typeof eventShape>>>>;
/** What callers pass to `createEvent`: a `TelemetryEvent` whose `ts` and `event_id` may be left out. */
export type EventInput = z.input<typeof eventInputSchema>;
