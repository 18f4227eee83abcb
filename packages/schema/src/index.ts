export { EventType, EVENT_TYPES, isEventType } from "./event-type.js";
export {
  eventSchema,
  eventInputSchema,
  metricsSchema,
  timestampSchema,
  EVENT_FIELDS,
  type TelemetryEvent,
  type EventInput,
  type EventMetrics,
  type EventAttributes,
} from "./event-schema.js";
export { EventValidationError, type ValidationIssue } from "./errors.js";
export { createEvent } from "./create-event.js";
export { createEventLine } from "./create-event-line.js";
export { parseEvent, safeParseEvent, type SafeParseResult } from "./parse-event.js";
export { serializeEvent } from "./serialize-event.js";
export { isTimestamp, TIMESTAMP_PATTERN } from "./timestamp.js";
export { eventJsonSchema } from "./json-schema.js";
export { eventBindingsSchema, parseEventBindings, type EventBindings } from "./event-bindings.js";
export { MAX_UNKNOWN_FIELD_DEPTH } from "./structure-limits.js";
export { describeValue } from "./describe-value.js";
