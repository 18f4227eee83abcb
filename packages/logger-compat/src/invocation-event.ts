// The one mapping between a legacy invocation row and a `cost_update` event.
// Both directions live here so the README table has a single source.
import { createEvent, EventValidationError, type EventInput, type TelemetryEvent } from "@telemetry/schema";
import {
  INVOCATION_STATUSES,
  InvocationValidationError,
  PRIVACY_LEVELS,
  type InvocationRow,
  type InvocationStatus,
  type PrivacyLevel,
} from "./invocation-record.js";

/** Event field -> record field, for error paths that the schema reports. */
const RECORD_FIELD_OF: Readonly<Record<string, string>> = {
  event_id: "invocation_id",
  ts: "timestamp",
  agent_role: "agent_name",
  tool: "tool_name",
  status: "status",
  summary: "error_message",
  "metrics.model": "model_name",
  "metrics.prompt_tokens": "prompt_tokens",
  "metrics.completion_tokens": "completion_tokens",
  "metrics.total_tokens": "total_tokens",
  "metrics.cost_usd": "cost_usd",
  "metrics.latency_ms": "latency_ms",
  "attributes.privacy_level": "privacy_level",
};

/**
 * The `EventInput` for a validated row: `cost_update`, fields as in the
 * README table, listed in the wire order (the schema's EVENT_FIELDS), so a
 * bulk writer serializes it as it is instead of copying it into that order.
 */
export function invocationToEventInput(row: InvocationRow): EventInput {
  return {
    event: "cost_update",
    ts: row.timestamp,
    // The wire format omits absent fields rather than writing null; an undefined field is absent.
    agent_role: row.agent_name ?? undefined,
    tool: row.tool_name,
    status: row.status,
    summary: row.error_message ?? undefined,
    metrics: {
      model: row.model_name,
      prompt_tokens: row.prompt_tokens,
      completion_tokens: row.completion_tokens,
      total_tokens: row.total_tokens,
      cost_usd: row.cost_usd,
      latency_ms: row.latency_ms,
    },
    attributes: { privacy_level: row.privacy_level },
    event_id: row.invocation_id,
  };
}

/**
 * Builds the event for a row with the schema's `createEvent`. The schema has
 * the last word on the wire rules; if it disagrees, its issues come back
 * under the record's field names.
 * @throws {InvocationValidationError}
 */
export function invocationToEvent(row: InvocationRow): TelemetryEvent {
  try {
    return createEvent(invocationToEventInput(row));
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    throw invocationErrorFromEvent(error);
  }
}

/** The schema's rejection of an invocation's event, with the issues under the record's field names. */
export function invocationErrorFromEvent(error: EventValidationError): InvocationValidationError {
  return new InvocationValidationError(
    error.issues.map((i) => ({ path: RECORD_FIELD_OF[i.path] ?? i.path, message: i.message })),
    { cause: error },
  );
}

function isNonNegative(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/**
 * The row an event carries, or undefined when the event is not one this
 * package wrote: only `cost_update` events with a tool, a legacy status, the
 * model and all five figures in `metrics`, and a privacy level count.
 */
export function eventToInvocation(event: TelemetryEvent): InvocationRow | undefined {
  if (event.event !== "cost_update") return undefined;
  const { tool, status, metrics, attributes } = event;
  if (tool === undefined || metrics === undefined || attributes === undefined) return undefined;
  if (!(INVOCATION_STATUSES as readonly unknown[]).includes(status)) return undefined;
  const privacy = attributes.privacy_level;
  if (!(PRIVACY_LEVELS as readonly unknown[]).includes(privacy)) return undefined;
  const { model, prompt_tokens, completion_tokens, total_tokens, cost_usd, latency_ms } = metrics;
  if (model === undefined) return undefined;
  if (!isNonNegative(prompt_tokens) || !isNonNegative(completion_tokens) || !isNonNegative(total_tokens)) return undefined;
  if (!isNonNegative(cost_usd) || !isNonNegative(latency_ms)) return undefined;
  return {
    invocation_id: event.event_id,
    timestamp: event.ts,
    agent_name: event.agent_role ?? null,
    tool_name: tool,
    model_name: model,
    prompt_tokens,
    completion_tokens,
    total_tokens,
    cost_usd,
    latency_ms,
    status: status as InvocationStatus,
    error_message: event.summary ?? null,
    privacy_level: privacy as PrivacyLevel,
  };
}
